"""Viet Nam Government News (en.baochinhphu.vn): the English edition of the Government's online newspaper, signing
its stories 'VGP' (lead 'VGP - ...', body closing with './.').

Facts below marked 'verified' come from a public repository that captured and tested the site's pages in 2026:
https://github.com/VSSpowerlifting/China-Mil-Watch (scraper/sources/vn_vgp.py, tests/test_vn_vgp.py).
Recordings under crawlers/recorded/baochinhphu/ are modelled on the site's public structure, with invented text.
"""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="baochinhphu",
    title="Viet Nam Government News (VGP)",
    domains=("en.baochinhphu.vn",),
    country="VN",
    language="en",
    discovery=(
        Sitemap("https://en.baochinhphu.vn/sitemap.xml"),  # assumed
        RSSFeed("https://en.baochinhphu.vn/rss/home.rss"),  # assumed
        # verified (China-Mil-Watch): tag pages such as https://en.baochinhphu.vn/defense.html list a tag's stories
        # (older ones load by script from /timelinetags/...), a targeted listing for a Russia tag if the site has one.
    ),
    # '/<slug>-<numeric id>.htm', ids of 8 to 18 digits (never parsed for a date: it can read as the previous day)
    # verified: https://en.baochinhphu.vn/print/prime-minister-pham-minh-chinh-meets-russian-president-putin-in-tianjin-111250901215124524.htm
    # verified (China-Mil-Watch): https://en.baochinhphu.vn/viet-nam-invites-japan-to-attend-3rd-international-defense-expo-11126060215325338.htm
    article_url=r"en\.baochinhphu\.vn/(?:print/)?(?:[a-z0-9]+-)+\d{8,}\.htm(?:[?#]|$)",
    # verified (China-Mil-Watch): the body is div.detail-content[data-role=content]; photos and related-story
    # boxes sit inside it as blocks with type="Photo" / type="RelatedNewsBox"; the lead 'VGP - ...' is separate
    body_selector="div.detail-content[data-role=content]",
    drop_selectors=('[type="Photo"]', '[type="RelatedNewsBox"]', "div.detail-share"),
    title_selector="h1.detail-title",  # assumed
    # verified (China-Mil-Watch): visible stamp 'September 09, 2026 9:33 AM GMT+7'; article:published_time meta
    date_selector="div.detail-time",  # assumed: the element holding the visible stamp
    line_patterns=(r"\bPhoto: [\w .,/&-]+$",),  # assumed
)
