"""The Ministry of Foreign Affairs of the Russian Federation (mid.ru/en): the Foreign Ministry's English news:
the Minister's meetings, talks, messages and the spokeswoman's briefings.

Recordings under crawlers/recorded/mid/ are modelled on the site's public structure, with invented text.
"""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="mid",
    title="Russian Ministry of Foreign Affairs",
    domains=("mid.ru",),
    country="RU",
    language="en",
    discovery=(
        Sitemap("https://mid.ru/sitemap.xml"),  # assumed
        RSSFeed("https://mid.ru/en/foreign_policy/news/rss/"),  # assumed: named in a public feed list, not confirmed
    ),
    # '/en/foreign_policy/news/<numeric id>/' (www. and a '?lang=' query also occur; the archive of the old site,
    # archive.mid.ru/en/foreign_policy/news/-/asset_publisher/.../content/id/<id>, is a different form)
    # verified: https://www.mid.ru/en/foreign_policy/news/1998294/
    # verified: https://mid.ru/en/foreign_policy/news/2049686/
    # (cited by public repositories found with the search tool; the page markup is not confirmed)
    article_url=r"mid\.ru/en/foreign_policy/news/\d+/?(?:[?#]|$)",
    body_selector="div.article-content",  # assumed
    drop_selectors=("div.photo-block", "div.share-block"),  # assumed
    title_selector="h1.announce__title",  # assumed
    date_selector="div.announce__date",  # assumed
)
