"""President of Russia (en.kremlin.ru): the Kremlin's English site; news items and transcripts of the President's
talks, meetings and telephone conversations, which name Vietnamese leaders with full titles.

Recordings under crawlers/recorded/kremlin/ are modelled on the site's public structure, with invented text.
"""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="kremlin",
    title="President of Russia (Kremlin)",
    domains=("en.kremlin.ru",),
    country="RU",
    language="en",
    discovery=(
        Sitemap("http://en.kremlin.ru/sitemap.xml"),  # assumed
        # assumed: named by several public feed lists (e.g. beside https://tass.com/rss/v2.xml); not confirmed
        RSSFeed("http://en.kremlin.ru/events/president/news/feed"),
        # verified: date listings exist, e.g. http://en.kremlin.ru/events/president/transcripts/by-date/10.06.2022
        # (cited by a public repository); a by-date archive of /events/president/news is assumed
        # Targeted listing: a country's events, http://en.kremlin.ru/catalog/countries/VN/events (by day:
        # .../events/by-date/DD.MM.YYYY); the form is verified for other countries, cited by public repositories:
        # http://en.kremlin.ru/catalog/countries/UA/events, https://en.kremlin.ru/catalog/countries/KP/events/by-date/27.02.2025
    ),
    # '/events/president/news/<numeric id>', also under /transcripts/, optionally /photos or /videos after it
    # verified: https://en.kremlin.ru/events/president/news/66181
    # verified: http://en.kremlin.ru/events/president/news/68454/photos
    # the same item also under its country's catalogue: http://kremlin.ru/catalog/countries/UA/events/67825 (verified)
    # (cited by public repositories found with the search tool; the page markup is not confirmed)
    article_url=r"en\.kremlin\.ru/(?:events/president/(?:news|transcripts)|catalog/countries/[A-Z]{2}/events)/\d+/?"
                r"(?:[?#]|$)",
    # assumed: h-entry microformat classes (entry-title, entry-summary, entry-content), as public scrapers use
    body_selector="div.entry-content",
    drop_selectors=("div.read__see-also", "div.read__bottommeta", "figure"),  # assumed
    title_selector="h1.entry-title",  # assumed
    date_selector="time.read__published",  # assumed
    line_patterns=(r"^\* \* \*$",),  # assumed: the separator before a transcript
)
