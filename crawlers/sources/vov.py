"""The Voice of Vietnam in English: VOV.VN's English news site (english.vov.vn) and VOV World, the external radio
service (vovworld.vn/en-US).

One source, not two: both are the output of the same national broadcaster and often carry the same story, so
counting them as two independent reporters of an event would inflate its source count; and each host has its own
URL form, kept apart by `article_url`. Discovery reads english.vov.vn's sitemap and VOV World's feed.
Recordings under crawlers/recorded/vov/ (both hosts' paths, which do not overlap) are modelled on the sites' public
structure, with invented text.
"""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="vov",
    title="Voice of Vietnam (VOV.VN, VOV World)",
    domains=("english.vov.vn", "vovworld.vn"),
    country="VN",
    language="en",
    discovery=(
        Sitemap("https://english.vov.vn/sitemap.xml"),  # assumed
        RSSFeed("https://vovworld.vn/en-US/rss/all.rss"),  # assumed: named in a public feed list, not confirmed
        # Targeted listing: tag pages '/en/tag/<words joined by +>', verified form: https://english.vov.vn/en/tag/biofuel+E10
        # (cited by a public repository); a Vietnam-Russia tag is assumed
    ),
    # english.vov.vn: '/en/<section>[/<subsection>]/<slug>-post<id>.vov'
    # verified: https://english.vov.vn/en/politics/vietnam-pakistan-deepen-ties-with-new-honorary-consulate-in-lahore-post1232021.vov
    # verified: https://english.vov.vn/en/politics/domestic/district-level-police-no-longer-in-operation-in-vietnam-as-of-march-1-post1157929.vov
    # vovworld.vn: '/en-US/<section>/<slug>-<id>.vov'
    # verified: https://vovworld.vn/en-US/spotlight/catholic-community-contributes-greatly-to-national-development-1239387.vov
    # verified: https://vovworld.vn/en-US/culture/vietnamese-naming-172401.vov
    # (all cited by public repositories found with the search tool; the page markup is not confirmed)
    article_url=r"(?:english\.vov\.vn/en/[\w/-]+-post\d+|vovworld\.vn/en-US/[\w/-]+-\d+)\.vov(?:[?#]|$)",
    body_selector="div.article__body, div.article-content",  # assumed: english.vov.vn, vovworld.vn
    drop_selectors=("figure", "table.image", "div.article__related-inline", "div.article__share",
                    "div.article-audio"),  # assumed
    title_selector="h1.article__title, h1.article-title",  # assumed
    date_selector="time",  # assumed
    line_patterns=(r"\bPhoto: [\w .,/&-]+$",),  # assumed: caption credits
)
