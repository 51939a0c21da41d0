"""Viet Nam News (vietnamnews.vn): the English-language national daily of the Vietnam News Agency, signing its own
stories 'VNS' (datelines in capitals, e.g. 'HÀ NỘI —', names with diacritics) and closing them with '— VNS'.

Recordings under crawlers/recorded/vietnamnews/ are modelled on the site's public structure, with invented text.
"""

from crawlers.sources.base import RSSFeed, Sitemap, Source

SOURCE = Source(
    name="vietnamnews",
    title="Viet Nam News (VNS)",
    domains=("vietnamnews.vn",),
    country="VN",
    language="en",
    discovery=(
        Sitemap("https://vietnamnews.vn/sitemap.xml"),  # assumed: the path is not confirmed
        # assumed: public feed lists name /rss/home.rss and /rss/politics-laws.rss; neither confirmed on the site
        RSSFeed("https://vietnamnews.vn/rss/home.rss"),
    ),
    # '/<section>[/<subsection>]/<numeric id>/<slug>.html', e.g. /economy/business-beat/1728186/<slug>.html
    # verified: https://vietnamnews.vn/economy/business-beat/1728186/viet-nam-puts-an-end-to-lump-sum-tax-aiming-for-a-level-playing-ground.html
    # verified: https://vietnamnews.vn/life-style/1799360/viet-nam-emerges-as-one-of-capcut-s-leading-regional-markets.html
    # (both URLs are cited by public repositories found with the search tool; the page markup is not confirmed)
    article_url=r"vietnamnews\.vn/[a-z-]+(?:/[a-z-]+)?/\d{5,}/[\w-]+\.html(?:[?#]|$)",
    body_selector="div#abody",  # assumed
    drop_selectors=("figure", "div.box-related", "div.social"),  # assumed
    title_selector="h1.headline",  # assumed
    date_selector="div.datetime",  # assumed
    line_patterns=(r"— VNA/VNS Photo$", r"— VNS Photo$"),  # assumed: the site's caption credit
    end_markers=("— VNS",),  # assumed: the signature closing a VNS story
)
