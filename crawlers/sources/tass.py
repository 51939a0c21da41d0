"""TASS (tass.com): the English-language service of Russia's state news agency.

Recordings (crawlers/recorded/tass/) are modelled on the site's public structure, not copies of it. The feed
https://tass.com/rss/v2.xml is the one public feed lists and projects use for TASS English (widely cited, not
checked here); the sitemap path, the selectors and the lead/dateline forms are assumed from the site's
published articles ('MOSCOW, May 8. /TASS/.', 'IGORA /Leningrad Region/, December 26. /TASS/.')."""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="tass",
    title="TASS",
    domains=("tass.com",),
    country="RU",
    language="en",
    discovery=(
        Sitemap("https://tass.com/sitemap.xml"),
        RSSFeed("https://tass.com/rss/v2.xml"),
    ),
    article_url=r"/[a-z-]+/\d+$",
    body_selector="div.text-block",
    drop_selectors=("figure", "div.read-also", "div.share-panel"),
    title_selector="h1.news-header__title",
    date_selector="time.news-header__date",
    line_patterns=(r"^© .*$", r"^(Read also|Read more)$"),
    lead_selector="div.news-header__lead",
    # 'MOSCOW, May 8. /TASS/.', 'IGORA /Leningrad Region/, December 26. /TASS/.' (a place's region in slashes)
    dateline_patterns=(r"[A-Z][A-Z .'-]*[A-Z](?: /[^/]{2,60}/)?, [A-Z][a-z]+ \d{1,2}\. /TASS/\.",),
)
