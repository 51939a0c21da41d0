"""The Russian Government (government.ru/en): the English news of the Russian Government and Prime Minister;
reports and transcripts of the Prime Minister's talks and meetings.

Recordings under crawlers/recorded/government/ are modelled on the site's public structure, with invented text.
"""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="government",
    title="The Russian Government",
    domains=("government.ru",),
    country="RU",
    language="en",
    discovery=(
        Sitemap("http://government.ru/en/sitemap.xml"),  # assumed
        RSSFeed("http://government.ru/en/news/rss/"),  # assumed: named in a public feed list, not confirmed
    ),
    # '/en/news/<numeric id>/' (the Russian site: '/news/<id>/'; only the English one is this source)
    # verified: http://government.ru/en/news/56525/
    # verified: http://government.ru/en/news/57132/
    # (cited by public repositories found with the search tool; the page markup is not confirmed)
    article_url=r"government\.ru/en/news/\d+/?(?:[?#]|$)",
    body_selector="div.reader_article_body",  # assumed
    drop_selectors=("div.reader_article_gallery", "div.reader_article_share"),  # assumed
    title_selector="h3.reader_article_headline",  # assumed
    date_selector="span.reader_article_dateline__date",  # assumed
    line_patterns=(r"^Excerpts from the transcript:?$",),  # assumed
)
