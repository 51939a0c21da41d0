"""VnExpress International (e.vnexpress.net): the English edition of VnExpress, a large independent-minded
Vietnamese online newspaper.

Recordings under crawlers/recorded/vnexpress/ are modelled on the site's public structure, with invented text.
"""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="vnexpress",
    title="VnExpress International",
    domains=("e.vnexpress.net",),
    country="VN",
    language="en",
    discovery=(
        Sitemap("https://e.vnexpress.net/sitemap.xml"),  # assumed
        # assumed: named by several public feed lists (also /rss/world.rss, /rss/business.rss, /rss/travel.rss)
        RSSFeed("https://e.vnexpress.net/rss/news.rss"),
    ),
    # '/news/<section>[/<subsection>]/<slug>-<7-digit id>.html'
    # verified: https://e.vnexpress.net/news/business/property/3-sentosa-cove-bungalows-seized-5128982.html
    # verified: https://e.vnexpress.net/news/business/companies/asia-commercial-bank-co-founder-passes-away-4740712.html
    # (cited by public repositories found with the search tool)
    article_url=r"e\.vnexpress\.net/news/[a-z-]+(?:/[a-z-]+)*/[\w-]+-\d{6,}\.html(?:[?#]|$)",
    # assumed, as public scrapers of the site use them: h1.title-detail, p.description (the lead, outside the body),
    # article.fck_detail (the body), p.author_mail, meta article:published_time
    body_selector="article.fck_detail",
    drop_selectors=("figure", "ul.list-news", "p.author_mail"),
    title_selector="h1.title-detail",
    date_selector="span.date",  # assumed
    line_patterns=(r"\bPhoto by [\w .,/&-]+$",),  # assumed: the caption credit
)
