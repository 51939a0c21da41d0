"""VietnamPlus (en.vietnamplus.vn): the English-language news site of the Vietnam News Agency (VNA).

Recordings (crawlers/recorded/vietnamplus/) are modelled on the site's public structure, not copies of it; every
URL and selector below is assumed. Not confirmed: a public report says the English edition's /rss/*.rss paths
answer 404 (the Vietnamese edition's www.vietnamplus.vn/rss/<section>.rss feeds are reported working), so the
sitemap is the discovery to rely on; `vnru sources check --live` shows which works."""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="vietnamplus",
    title="VietnamPlus (VNA)",
    domains=("en.vietnamplus.vn",),
    country="VN",
    language="en",
    discovery=(
        Sitemap("https://en.vietnamplus.vn/sitemap.xml"),
        RSSFeed("https://en.vietnamplus.vn/rss/home.rss"),
    ),
    article_url=r"-post\d+\.vnp$",
    body_selector="div.article__body",
    drop_selectors=("figure", "div.box-related", "div.social-share"),
    title_selector="h1.article__title",
    date_selector="time.article__time",
    line_patterns=(r"\(Photo: [^)]*\)$",),
    end_markers=("./.",),
)
