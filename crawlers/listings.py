"""Listing documents read into entries: sitemaps (with Google news extensions), RSS/Atom feeds and HTML listing
pages (topic, tag, search results, date archives). Pure: bytes in, Listed entries out.

Each entry carries what the listing says of an article before it is fetched (day, title, keywords, description),
which crawlers.relevance scores to decide whether fetching it is worth a request.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from crawlers.dates import parse_date


@dataclass(frozen=True)
class Listed:
    url: str
    day: dt.date | None = None
    title: str = ""
    keywords: str = ""
    description: str = ""
    topic: bool = False  # listed on the site's own Vietnam–Russia topic page


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(element, *names: str) -> str:
    """The text of the first descendant named (without namespace) one of `names`, in the order given."""
    for name in names:
        for child in element.iter():
            if _local(child.tag) == name:
                return " ".join("".join(child.itertext()).split())
    return ""


def _xml(body: bytes):
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    root = lxml.etree.fromstring(body.strip(), parser=parser)
    if root is None:
        raise ValueError("not an XML document")
    return root


def parse_sitemap(body: bytes) -> tuple[str, list[Listed]]:
    """('sitemapindex' | 'urlset', entries). An entry is dated by <lastmod>, else by news:publication_date
    (a news sitemap often has only that); a news sitemap's title and keywords are kept."""
    root = _xml(body)
    kind = _local(root.tag)
    entries = []
    for element in root:
        if _local(element.tag) not in ("url", "sitemap"):
            continue
        loc = _child_text(element, "loc")
        if loc:
            entries.append(Listed(
                url=loc, day=parse_date(_child_text(element, "publication_date")) or parse_date(
                    _child_text(element, "lastmod")),
                title=_child_text(element, "title"), keywords=_child_text(element, "keywords")))
    return kind, entries


URL_PERIOD = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-_/.]?(0[1-9]|1[0-2])(?:[-_/.]?(0[1-9]|[12]\d|3[01]))?(?!\d)")


def url_period(url: str) -> tuple[dt.date, dt.date] | None:
    """The days a child sitemap covers when its path names them ('sitemap-2024-06.xml': June 2024,
    '/sitemaps/2024/06/20.xml': that day), else None. Lets a backfill skip the children outside its window."""
    matches = list(URL_PERIOD.finditer(urlsplit(url).path))
    if not matches:
        return None
    year, month, day = (int(g) if g else 0 for g in matches[-1].groups())
    if day:
        try:
            return (dt.date(year, month, day),) * 2
        except ValueError:
            return None
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_feed(body: bytes) -> list[Listed]:
    """The items of an RSS 2.0 (or RSS 1.0/RDF) feed or the entries of an Atom feed, dated by pubDate, dc:date,
    published or updated, in that order."""
    root = _xml(body)
    entries = []
    for element in root.iter():
        name = _local(element.tag)
        if name not in ("item", "entry"):
            continue
        link = _child_text(element, "link")
        if not link:  # Atom: <link href="..." rel="alternate"/>
            hrefs = [child.get("href") for child in element if _local(child.tag) == "link"
                     and child.get("rel", "alternate") == "alternate"]
            link = next((h for h in hrefs if h), "") or element.get(
                "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about", "")
        if link:
            day = next(filter(None, (parse_date(_child_text(element, n))
                                     for n in ("pubdate", "date", "published", "updated"))), None)
            description = lxml.html.fromstring(_child_text(element, "description", "summary") or "<p></p>")
            entries.append(Listed(url=link.strip(), day=day, title=_child_text(element, "title"),
                                  description=" ".join(description.text_content().split()),
                                  keywords=" ".join(_child_text(c, "category") for c in element
                                                    if _local(c.tag) == "category")))
    return entries


def parse_links(html: bytes, base_url: str, topic: bool = False, day: dt.date | None = None) -> list[Listed]:
    """The links of an HTML listing page with their anchor text as title; a <time> inside the link's list item
    (or the link itself) dates it, else `day` (a date archive's day)."""
    if not html or not html.strip():
        return []
    tree = lxml.html.fromstring(html)
    entries = []
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        holder = next((a for a in anchor.iterancestors() if a.tag in ("li", "article")), anchor)
        stamp = next(iter(holder.iter("time")), None)
        listed_day = (parse_date(stamp.get("datetime") or stamp.text_content()) if stamp is not None else None) or day
        entries.append(Listed(url=urljoin(base_url, href), day=listed_day,
                              title=" ".join(anchor.text_content().split()), topic=topic))
    return entries
