"""The Hanoi Times (hanoitimes.vn): English-language news about Hanoi and Vietnam, often republishing VNA wire
stories.

Recordings (crawlers/recorded/hanoitimes/) are modelled on the site's public structure, not copies of it; every
URL and selector below is assumed unless marked verified."""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="hanoitimes",
    title="The Hanoi Times",
    domains=("hanoitimes.vn",),
    country="VN",
    language="en",
    discovery=(
        Sitemap("https://hanoitimes.vn/sitemap.xml"),  # assumed
        # verified by others: a public project's feed-status file (github.com/hms4792/vietnam-infra-news, checked
        # 2026-04-07) lists /rss/home.rss as working with 20 items; /rss/news.rss, used before, is not confirmed
        RSSFeed("https://hanoitimes.vn/rss/home.rss"),
    ),
    article_url=r"[.-]\d{5,}\.html$",
    body_selector="div.post-content",
    drop_selectors=("figure", "div.inline-news", "div.post-share"),
    title_selector="h1.post-title",
    date_selector="time.post-date",
    line_patterns=(r"\bPhoto: [\w .,/&-]+$", r"^Source: [\w .,/&-]+$"),
)
