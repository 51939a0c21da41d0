"""The one item vnru's spiders yield: a fetched response, exactly as it came, with what the crawl made of it."""

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class FetchedPage:
    source_id: str
    kind: str  # sitemap | feed | archive | article
    url: str  # the live URL (stable across mirrors)
    final_url: str  # where the bytes actually came from, after redirects or mirroring
    status: int
    headers: dict[str, str]
    fetched_at: datetime
    body: bytes
    listed_date: date | None = None
    # articles only: relevance of the body (0..1) with the listing's and the body's evidence, and whether the
    # site's own selectors parsed it ('site') or the generic extractor had to ('generic'), field by field
    relevance: float | None = None
    relevance_evidence: dict | None = None
    parsed_by: str | None = None
    selectors_found: dict = field(default_factory=dict)
    # why the body was not downloaded (over DOWNLOAD_MAXSIZE): archived without it, quarantined, not asked again
    refused: str | None = None
