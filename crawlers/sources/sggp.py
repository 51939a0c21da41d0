"""SGGP English Edition (en.sggp.org.vn; sggpnews.org.vn until about 2022): the English edition of Sai Gon Giai
Phong, the newspaper of the Ho Chi Minh City Party Committee.

Both hosts are owned: articles of the old host keep their '/<section>/<slug>-<id>.html' URLs.
Recordings under crawlers/recorded/sggp/ are modelled on the current site's public structure, with invented text.
"""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="sggp",
    title="SGGP English Edition",
    domains=("en.sggp.org.vn", "sggpnews.org.vn"),
    country="VN",
    language="en",
    discovery=(
        Sitemap("https://en.sggp.org.vn/sitemap.xml"),  # assumed
        RSSFeed("https://en.sggp.org.vn/rss/home.rss"),  # assumed: named in a public feed list, not confirmed
    ),
    # current: '/<slug>-post<id>.html'
    # verified: https://en.sggp.org.vn/sai-gon-giai-phong-newspaper-celebrates-48th-founding-anniversary-post102009.html
    # verified: https://en.sggp.org.vn/agencies-enterprises-extend-congratulations-to-sai-gon-giai-phong-newspaper-post118320.html
    # former: '/<section>/<slug>-<id>.html'
    # verified: https://www.sggpnews.org.vn/national/sggp-newspaper-released-in-con-dao-98953.html
    # verified: https://sggpnews.org.vn/national/sai-gon-giai-phong-newspaper-celebrates-45th-founding-anniversary-86724.html
    # (all four are pages stored by the search tool; their text shows no markup, so the selectors are assumed)
    article_url=r"(?:en\.sggp\.org\.vn/[\w-]+-post\d+|sggpnews\.org\.vn/[a-z-]+/[\w-]+-\d+)\.html(?:[?#]|$)",
    body_selector="div.article__body",  # assumed: the CMS family of en.nhandan.vn (cms-title/cms-desc/cms-body)
    drop_selectors=("table.picture", "div.article__related"),  # assumed
    title_selector="h1.article__title",  # assumed
    date_selector="div.article__meta time",  # assumed
    line_patterns=(r"\(Photo: [^)]*\)$", r"(?i)^By [\w .]+ – Translated by [\w .]+$"),  # verified: the byline form
    # 'By Phu Ngan – Translated by Kim Khanh' ends https://www.sggpnews.org.vn/national/sggp-newspaper-released-in-con-dao-98953.html
)
