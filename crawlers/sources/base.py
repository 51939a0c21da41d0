"""The typed description of a news source: where its articles are listed and how its pages are built."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Sitemap:
    """A sitemap (urlset or sitemapindex) whose <lastmod> dates the listed articles."""

    url: str


@dataclass(frozen=True)
class RSSFeed:
    """An RSS 2.0 feed whose <pubDate> dates the listed articles."""

    url: str


@dataclass(frozen=True)
class DateArchive:
    """A date-addressed listing page, e.g. 'https://site/archive/{date:%Y/%m/%d}', one per day of the window."""

    url_template: str

    def url_for(self, day: dt.date) -> str:
        return self.url_template.format(date=day)


Discovery = Sitemap | RSSFeed | DateArchive


@dataclass(frozen=True)
class Source:
    """One news site: identity, discovery, and the selectors and text rules its pages need.

    body_selector: CSS selector of the element holding the article body (title excluded).
    drop_selectors: CSS selectors of clutter inside or around the body (teasers, share bars, captions).
    title_selector / date_selector: where the headline and publication date are, when metadata lacks them.
    line_patterns: regexes of whole lines that are clutter on this site (captions, credits, datelines).
    end_markers: strings after which the rest of the article is clutter (e.g. VNA's './.').
    """

    name: str
    title: str
    domains: tuple[str, ...]
    country: str
    language: str
    discovery: tuple[Discovery, ...]
    article_url: str
    body_selector: str
    drop_selectors: tuple[str, ...] = ()
    title_selector: str = "h1"
    date_selector: str | None = None
    line_patterns: tuple[str, ...] = ()
    end_markers: tuple[str, ...] = ()
    _article_re: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_article_re", re.compile(self.article_url))

    def is_article(self, url: str) -> bool:
        return bool(self._article_re.search(url))

    def owns(self, url: str) -> bool:
        host = re.sub(r"^[a-z]+://", "", url).split("/", 1)[0].lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)
