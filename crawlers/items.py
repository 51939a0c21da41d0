"""The one item vnru's spiders yield: a fetched response, exactly as it came."""

from dataclasses import dataclass
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
