"""People's Army Newspaper Online, English edition (en.qdnd.vn): the newspaper of the Central Military Commission
and the Ministry of National Defence; the main English source on defence ties.

Live crawls: a 2026 probe published by https://github.com/VSSpowerlifting/China-Mil-Watch (tests/test_vn_vgp.py)
found en.qdnd.vn answering article requests with a 302 to the same URL that sets a cookie (muid_mly); a crawler
must keep cookies and let that redirect through its duplicate filter.
Recordings under crawlers/recorded/qdnd/ are modelled on the site's public structure, with invented text.
"""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="qdnd",
    title="People's Army Newspaper (QDND)",
    domains=("en.qdnd.vn",),
    country="VN",
    language="en",
    discovery=(
        Sitemap("https://en.qdnd.vn/sitemap.xml"),  # assumed
        RSSFeed("https://en.qdnd.vn/rss/home.rss"),  # assumed
    ),
    # '/<section>/<subsection>/<slug>-<numeric id>', no extension
    # verified: https://en.qdnd.vn/economy/international-cooperation/russia-viet-nam-economic-ties-enter-more-substantive-phase-russian-website-594467
    # verified: https://en.qdnd.vn/social-affairs/news/pm-orders-stronger-push-on-minority-mountainous-region-development-581498
    # (both cited by public repositories found with the search tool; the page markup is not confirmed)
    article_url=r"en\.qdnd\.vn/[a-z-]+/[a-z-]+/[\w-]+-\d{5,}/?(?:[?#]|$)",
    body_selector="div.post-content",  # assumed
    drop_selectors=("table.image", "div.related-inline", "div.post-tools"),  # assumed
    title_selector="h1.post-title",  # assumed
    date_selector="span.post-date",  # assumed
    line_patterns=(r"\(Photo: [^)]*\)$",),  # assumed
)
