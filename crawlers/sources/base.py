"""The typed description of a news source: where its articles are listed and how its pages are built."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawlers import parsing
from etl.dedupe import TRACKING


def request_url(url: str) -> str:
    """The URL to ask for and archive: tracking parameters (utm_*, fbclid...) and the fragment dropped, scheme
    and host lower-cased; host and path otherwise as the site wrote them (a 'www.' stays: the mirror and the
    site's own redirects depend on it)."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


@dataclass(frozen=True)
class Sitemap:
    """A sitemap (urlset or sitemapindex). Entries are dated by <lastmod> or, in a Google news sitemap, by
    <news:publication_date>; news:title and news:keywords are read as relevance evidence before fetching."""

    url: str


@dataclass(frozen=True)
class RSSFeed:
    """An RSS 2.0 or Atom feed dated by <pubDate> (or dc:date, <published>, <updated>); its titles and
    descriptions are relevance evidence before fetching."""

    url: str


@dataclass(frozen=True)
class DateArchive:
    """A date-addressed listing page, e.g. 'https://site/archive/{date:%Y/%m/%d}', one per day of the window."""

    url_template: str

    def url_for(self, day: dt.date) -> str:
        return self.url_template.format(date=day)


@dataclass(frozen=True)
class TopicPage:
    """A listing of the site's own Vietnam–Russia tag, topic or search results, newest first: every article it
    lists is relevant by the site's judgement. Followed through rel=next (or `next_selector`) up to `max_pages`
    pages, or until a page lists only articles older than the window (when its items carry dates)."""

    url: str
    max_pages: int = 20
    next_selector: str = "a[rel=next]::attr(href)"


Discovery = Sitemap | RSSFeed | DateArchive | TopicPage


@dataclass(frozen=True)
class Layout:
    """The selectors of one page layout of a site. A source's current layout is its own fields; an older one is
    listed in Source.layouts with the last day it was served (`valid_until`), so archived HTML still parses."""

    body_selector: str
    title_selector: str = "h1"
    date_selector: str | None = None
    lead_selector: str | None = None
    drop_selectors: tuple[str, ...] = ()
    valid_until: dt.date | None = None  # None: the layout served today


@dataclass(frozen=True)
class Source:
    """One news site: identity, discovery, and the selectors and text rules its pages need.

    body_selector: CSS selector of the element(s) holding the article body (title excluded); every match is
        used, in page order (a body split around a photo or an advert is matched twice).
    drop_selectors: CSS selectors of clutter inside or around the body (teasers, share bars, captions).
    title_selector / date_selector: where the headline and publication date are (the date from a `datetime` or
        `content` attribute, else the element's text).
    lead_selector: the standfirst when the site prints it outside the body (TASS's news-header__lead).
    line_patterns: regexes of whole lines that are clutter on this site (captions, credits).
    dateline_patterns: regexes of a dateline opening the body's first paragraph, cut from it
        ('MOSCOW, May 8. /TASS/.').
    end_markers: strings after which the rest of the article is clutter (e.g. VNA's './.').
    min_body_words: fewer words found by the site's selectors means they missed (a redesign): the generic
        extractor is used instead, and the fallback recorded.
    layouts: older page layouts with their `valid_until` day (see Layout).
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
    lead_selector: str | None = None
    dateline_patterns: tuple[str, ...] = ()
    min_body_words: int = 40
    layouts: tuple[Layout, ...] = ()
    _article_re: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_article_re", re.compile(self.article_url))

    @property
    def current_layout(self) -> Layout:
        return Layout(self.body_selector, self.title_selector, self.date_selector, self.lead_selector,
                      self.drop_selectors)

    def layouts_for(self, day: dt.date | None) -> list[Layout]:
        """Every layout, the one served on `day` first (unknown day: the current one), then newest to oldest."""
        older = sorted(self.layouts, key=lambda layout: layout.valid_until or dt.date.max, reverse=True)
        every = [self.current_layout, *older]
        served = [lay for lay in reversed(every) if day is not None and lay.valid_until and day <= lay.valid_until]
        first = served[0] if served else self.current_layout
        return [first, *(lay for lay in every if lay is not first)]

    def is_article(self, url: str) -> bool:
        """Whether `url` is an article: the pattern is matched against the URL without query, fragment or trailing
        slash, so '$' anchors at the end of the path whatever tracking suffix a listing adds."""
        parts = urlsplit(request_url(url))
        return bool(self._article_re.search(urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))))

    def owns(self, url: str) -> bool:
        host = re.sub(r"^[a-z]+://", "", url).split("/", 1)[0].lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def select_body(self, tree, day: dt.date | None = None) -> str | None:
        """The body text the site's own selectors find (lines joined by newlines), or None when they find too
        little and the generic extractor must be used. (etl.clean asks this; see crawlers.parsing.)"""
        parsed = parsing.parse_tree(tree, self, day)
        return parsed.body if parsed.path == "site" else None

    def select_date(self, tree, day: dt.date | None = None) -> dt.date | None:
        """The publication date the site's date selector finds, if any."""
        return parsing.parse_tree(tree, self, day).published
