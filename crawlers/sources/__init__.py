"""The registry of news sources: one module per site, listed here once.

To add a source: write crawlers/sources/<name>.py with a module-level SOURCE, add it below,
record its pages under crawlers/recorded/<name>/ and run scripts/regenerate_golden.py.
"""

from crawlers.sources import (
    baochinhphu,
    government,
    hanoitimes,
    kremlin,
    mid,
    nhandan,
    qdnd,
    sggp,
    tass,
    tuoitrenews,
    vietnamnews,
    vietnamplus,
    vnexpress,
    vov,
)
from crawlers.sources.base import DateArchive, RSSFeed, Sitemap, Source

SOURCES: dict[str, Source] = {m.SOURCE.name: m.SOURCE for m in (
    vietnamplus, hanoitimes, tass,
    vietnamnews,
    nhandan,
    vov,
    baochinhphu,
    qdnd,
    kremlin,
    government,
    mid,
    sggp,
    tuoitrenews,
    vnexpress,
)}


def get(name: str) -> Source:
    try:
        return SOURCES[name]
    except KeyError:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(sorted(SOURCES))}") from None


def for_url(url: str) -> Source | None:
    return next((s for s in SOURCES.values() if s.owns(url)), None)


__all__ = ["SOURCES", "Source", "Sitemap", "RSSFeed", "DateArchive", "get", "for_url"]
