"""Tuoi Tre News (tuoitrenews.vn): the English edition of Tuoi Tre (Youth), a Ho Chi Minh City daily.

Recordings under crawlers/recorded/tuoitrenews/ are modelled on the site's public structure, with invented text.
"""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="tuoitrenews",
    title="Tuoi Tre News",
    domains=("tuoitrenews.vn",),
    country="VN",
    language="en",
    discovery=(
        Sitemap("https://tuoitrenews.vn/sitemap.xml"),  # assumed
        # assumed: public feed lists disagree (/rss, /rss.htm, /rss/home.rss, /rss/all.rss, /rss/news.rss)
        RSSFeed("https://tuoitrenews.vn/rss/home.rss"),
    ),
    # '/news/<section>/<yyyymmdd>/<slug>/<numeric id>.html'
    # verified: https://tuoitrenews.vn/news/features/20241020/introducing-chef-summer-le-and-the-strength-found-within-vietnamese-cuisine/82475.html
    # (cited by a public repository found with the search tool; the page markup is not confirmed)
    article_url=r"tuoitrenews\.vn/news/[a-z-]+/\d{8}/[\w-]+/\d+\.html(?:[?#]|$)",
    # assumed: the same CMS family as en.baochinhphu.vn (blocks typed Photo / RelatedOneNews inside the body)
    body_selector="div.detail-content[data-role=content]",
    drop_selectors=('[type="Photo"]', '[type="RelatedOneNews"]', "div.detail-share"),
    title_selector="h1.detail-title",  # assumed
    date_selector='div[data-role="publishdate"]',  # assumed
    line_patterns=(r"\bPhoto: [\w .,/&-]+$",),  # assumed
)
