"""`vnru sources check`: do a source's own rules still find what they should? For an operator after a site's
redesign: each discovery listing is read, the most recent articles it lists are fetched, and for each field
(title, date, lead, body) the share of pages the site's rules found it in is reported, with the discovery
entries found per listing. Offline it reads the recordings (crawlers/recorded/<source>/); --live asks the site
(robots.txt obeyed, the crawlers' user agent).
"""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawlers import listings, parsing
from crawlers.sources.base import DateArchive, RSSFeed, Sitemap, Source
from etl import settings

Fetch = Callable[[str], tuple[int, bytes]]


@dataclass
class Report:
    source: str
    discovery: dict[str, int | str] = field(default_factory=dict)  # listing URL -> articles listed, or an error
    pages: int = 0
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(parsing.FIELDS, 0))
    declared: dict[str, bool] = field(default_factory=dict)  # False: the source has no rule for the field
    fell_back: list[str] = field(default_factory=list)  # pages whose body the site's selectors missed

    @property
    def ok(self) -> bool:
        return (self.pages > 0 and not self.fell_back and all(isinstance(n, int) and n > 0
                                                              for n in self.discovery.values()))


def recorded_fetch(source: Source) -> Fetch:
    """Fetch from the recordings of `source` (404 for a page not recorded)."""
    def fetch(url: str) -> tuple[int, bytes]:
        path = settings.RECORDED_DIR / source.name / urlsplit(url).path.lstrip("/")
        return (200, path.read_bytes()) if path.is_file() else (404, b"")
    return fetch


def live_fetch(user_agent: str) -> Fetch:
    """Fetch from the site, asking its robots.txt first (a disallowed URL answers 403 without a request)."""
    robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    def fetch(url: str) -> tuple[int, bytes]:
        root = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        if root not in robots:
            robots[root] = urllib.robotparser.RobotFileParser(root + "/robots.txt")
            try:
                robots[root].read()
            except OSError as error:  # the site unreachable: nothing else is asked of it
                robots.pop(root)
                return 0, str(error).encode()
        if not robots[root].can_fetch(user_agent, url):
            return 403, b""
        request = urllib.request.Request(url, headers={"User-Agent": user_agent})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, b""
        except OSError as error:
            return 0, str(error).encode()
    return fetch


def _entries(source: Source, listing, fetch: Fetch) -> list[listings.Listed]:
    if isinstance(listing, DateArchive):
        return []
    status, body = fetch(listing.url)
    if status != 200 or not body:
        raise ValueError(f"HTTP {status}" if status else f"unreachable: {body.decode(errors='replace')}")
    if isinstance(listing, Sitemap):
        kind, entries = listings.parse_sitemap(body)
        if kind == "sitemapindex" and entries:
            newest = max(entries, key=lambda e: e.day or dt.date.min)
            return _entries(source, Sitemap(newest.url), fetch)
        return entries
    if isinstance(listing, RSSFeed):
        return listings.parse_feed(body)
    return listings.parse_links(body, listing.url, topic=True)


def check(source: Source, fetch: Fetch, limit: int = 5) -> Report:
    """Read every listing of `source`, fetch its `limit` most recent articles, and report what its rules found."""
    report = Report(source.name)
    articles: dict[str, listings.Listed] = {}
    for listing in source.discovery:
        url = getattr(listing, "url", None) or getattr(listing, "url_template", "")
        try:
            found = [e for e in _entries(source, listing, fetch) if source.owns(e.url) and source.is_article(e.url)]
        except ValueError as error:
            report.discovery[url] = str(error)
            continue
        report.discovery[url] = len(found)
        for entry in found:
            articles.setdefault(entry.url, entry)
    recent = sorted(articles.values(), key=lambda e: e.day or dt.date.min, reverse=True)[:limit]
    for entry in recent:
        status, body = fetch(entry.url)
        if status != 200:
            continue
        parsed = parsing.parse_page(body, source, entry.day)
        report.pages += 1
        for name, hit in parsed.found.items():
            report.declared[name] = hit is not None
            report.found[name] += bool(hit)
        if parsed.path != "site":
            report.fell_back.append(entry.url)
    return report
