"""Nhan Dan Online, English edition (en.nhandan.vn): the newspaper of the Communist Party of Vietnam, which
republishes many VNA stories.

Recordings under crawlers/recorded/nhandan/ are modelled on the site's public structure, with invented text.
"""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="nhandan",
    title="Nhan Dan Online",
    domains=("en.nhandan.vn",),
    country="VN",
    language="en",
    discovery=(
        Sitemap("https://en.nhandan.vn/sitemap.xml"),  # assumed
        # assumed: public feed lists name /rss/home.rss, /rss and /rss/home; none confirmed on the site
        RSSFeed("https://en.nhandan.vn/rss/home.rss"),
    ),
    # '/<slug>-post<numeric id>.html'
    # verified: https://en.nhandan.vn/party-leader-congratulates-president-putin-over-re-election-post134064.html
    article_url=r"en\.nhandan\.vn/[\w-]+-post\d+\.html(?:[?#]|$)",
    body_selector="div.article__body",  # assumed: the CMS family of en.vietnamplus.vn (cms-title/cms-desc/cms-body)
    drop_selectors=("figure", "div.article__related-inline", "div.article__social"),  # assumed
    title_selector="h1.article__title",  # assumed
    date_selector="div.article__meta time",  # assumed
    line_patterns=(r"\(Photo: [^)]*\)$",),  # assumed: VNA-style caption credit
)
