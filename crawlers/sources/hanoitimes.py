"""The Hanoi Times (hanoitimes.vn): English-language news about Hanoi and Vietnam, often republishing VNA wire
stories."""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="hanoitimes",
    title="The Hanoi Times",
    domains=("hanoitimes.vn",),
    country="VN",
    language="en",
    discovery=(
        Sitemap("https://hanoitimes.vn/sitemap.xml"),
        RSSFeed("https://hanoitimes.vn/rss/news.rss"),
    ),
    article_url=r"[.-]\d{5,}\.html$",
    body_selector="div.post-content",
    drop_selectors=("figure", "div.inline-news", "div.post-share"),
    title_selector="h1.post-title",
    date_selector="time.post-date",
    line_patterns=(r"\bPhoto: [\w .,/&-]+$", r"^Source: [\w .,/&-]+$"),
)
