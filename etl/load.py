"""Every read and write of the vnru database: the archive, articles, events. Nothing else holds SQL.

Writes are upserts on natural keys (page URL + body hash, article URL, event identity) that leave a
row untouched when nothing changed, so re-running a date window changes nothing. Each batch is one
transaction: it lands whole or, on error, not at all, and is retried.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import logging
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Engine, and_, create_engine, func, literal, or_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import OperationalError
from tenacity import retry, retry_if_exception, stop_after_attempt, wait_exponential

from etl import pgserver
from etl.dedupe import Signature
from etl.events.extract import Event, Participant, compatible, merge
from etl.schema import (
    article_signatures,
    articles,
    event_participants,
    events,
    pages,
    pipeline_runs,
    quarantine,
    site_lines,
    sources,
    stage_marks,
)
from etl.settings import MAX_PAGE_BYTES
from etl.templates import SiteLines
from etl.walls import REFETCH_STAGE

log = logging.getLogger(__name__)
LOCK_NOT_AVAILABLE = "55P03"
REFUSED_STAGE = "refused"  # a body over MAX_PAGE_BYTES: archived without it, not fetched again unless re-asked


def _retryable(error: BaseException) -> bool:
    """A lost connection or a deadlock is retried; a lock wait that timed out is the caller's to handle."""
    return isinstance(error, OperationalError) and getattr(error.orig, "pgcode", None) != LOCK_NOT_AVAILABLE


transient = retry(retry=retry_if_exception(_retryable), stop=stop_after_attempt(4),
                  wait=wait_exponential(multiplier=0.5, max=8), reraise=True)


def _unnest(columns: dict[str, tuple[str, list]]) -> tuple[str, dict]:
    """`unnest(CAST(:a AS t[]), ...) AS n(a, ...)` and its parameters: many rows in one statement."""
    casts = ", ".join(f"CAST(:{name} AS {sql_type}[])" for name, (sql_type, _) in columns.items())
    return f"unnest({casts}) AS n({', '.join(columns)})", {name: values for name, (_, values) in columns.items()}


def engine() -> Engine:
    return create_engine(pgserver.resolve_url(), pool_pre_ping=True)


# --- archive -----------------------------------------------------------------------------------

def upsert_sources(db: Engine, registry: Iterable) -> None:
    rows = [{"source_id": s.name, "title": s.title, "country": s.country, "language": s.language,
             "domains": list(s.domains)} for s in registry]
    statement = insert(sources).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["source_id"],
        set_={c: statement.excluded[c] for c in ("title", "country", "language", "domains")},
        where=or_(*(sources.c[c].is_distinct_from(statement.excluded[c])
                    for c in ("title", "country", "language", "domains"))))
    with db.begin() as conn:
        conn.execute(statement)


EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _walled():
    """Pages the clean stage quarantined as walls (paywall, cookie wall, soft 404): their URL is asked again."""
    return select(quarantine.c.page_id).where(quarantine.c.page_id == pages.c.page_id,
                                              quarantine.c.stage == REFETCH_STAGE).exists()


def _refused():
    """Pages the crawl refused for their size (archived without a body, quarantined at REFUSED_STAGE)."""
    return select(quarantine.c.page_id).where(quarantine.c.page_id == pages.c.page_id,
                                              quarantine.c.stage == REFUSED_STAGE).exists()


def archived_urls(db: Engine, source_id: str) -> set[str]:
    """Article URLs archived with a usable response (an error, an empty page or a wall is fetched again), or
    refused for their size: not asked again by every run, only when an operator re-asks (refetch)."""
    with db.connect() as conn:
        return set(conn.scalars(select(pages.c.url).where(
            pages.c.source_id == source_id, pages.c.kind == "article",
            or_(and_(pages.c.status == 200, pages.c.sha256 != EMPTY_SHA256, ~_walled()), _refused()))))


def irrelevant_urls(db: Engine, source_id: str) -> set[str]:
    """Article URLs archived with a body scored irrelevant by the crawl: never fetched again (a wall's body says
    nothing of the article behind it, so a walled URL is not among them)."""
    with db.connect() as conn:
        return set(conn.scalars(select(pages.c.url).where(
            pages.c.source_id == source_id, pages.c.kind == "article", pages.c.relevance == 0, ~_walled())))


@transient
def archive_page(db: Engine, page) -> bool:
    """Store a fetched response (with the crawl's relevance score and parsing path of an article); False when
    the same URL with the same bytes is archived already. A response refused for its size (`page.refused`) is
    stored without a body and quarantined at REFUSED_STAGE with the reason, in the same transaction."""
    statement = insert(pages).values(
        source_id=page.source_id, kind=page.kind, url=page.url, final_url=page.final_url, status=page.status,
        headers=page.headers, fetched_at=page.fetched_at, listed_date=page.listed_date,
        body_gzip=gzip.compress(page.body, mtime=0), sha256=hashlib.sha256(page.body).hexdigest(),
        relevance=page.relevance, relevance_evidence=page.relevance_evidence, parsed_by=page.parsed_by,
        selectors_found=page.selectors_found or None,
    ).on_conflict_do_nothing(constraint="uq_pages_url_sha256")
    with db.begin() as conn:
        stored = conn.execute(statement).rowcount == 1
        if getattr(page, "refused", None):
            refused = insert(quarantine).from_select(["page_id", "stage", "reason"], select(
                pages.c.page_id, literal(REFUSED_STAGE), literal(f"refused for its size: {page.refused}"),
            ).where(pages.c.url == page.url, pages.c.sha256 == EMPTY_SHA256))
            conn.execute(refused.on_conflict_do_update(
                index_elements=["page_id"], set_={"stage": refused.excluded.stage, "reason": refused.excluded.reason}))
        return stored


def _inflate(body_gzip: bytes, limit: int) -> bytes:
    """At most `limit` bytes of a stored body: a bomb archived before the size limit costs no memory."""
    return zlib.decompressobj(wbits=31).decompress(body_gzip, limit)


@dataclass(frozen=True)
class StoredPage:
    page_id: int
    source_id: str
    url: str
    status: int
    listed_date: dt.date | None
    body: bytes


def pages_in_window(db: Engine, start: dt.date, end: dt.date, source_ids: list[str] | None = None
                    ) -> Iterator[StoredPage]:
    """The newest archived version of each article URL listed in the window, past any refused for its size
    (no body to clean; its quarantine stays as the crawl recorded it)."""
    newest = (select(pages.c.page_id, func.row_number().over(
        partition_by=pages.c.url, order_by=pages.c.fetched_at.desc()).label("n"))
        .where(pages.c.kind == "article", pages.c.listed_date.between(start, end), ~_refused())
        .where(pages.c.source_id.in_(source_ids) if source_ids else text("true"))).subquery()
    query = (select(pages.c.page_id, pages.c.source_id, pages.c.url, pages.c.status, pages.c.listed_date,
                    pages.c.body_gzip)
             .join(newest, and_(newest.c.page_id == pages.c.page_id, newest.c.n == 1)).order_by(pages.c.page_id))
    with db.connect() as conn:  # a server-side cursor: the window's bodies are never all in memory
        for row in conn.execution_options(stream_results=True, yield_per=200).execute(query):
            yield StoredPage(row.page_id, row.source_id, row.url, row.status, row.listed_date,
                             _inflate(row.body_gzip, MAX_PAGE_BYTES + 1))


@transient
def quarantine_page(db: Engine, page_id: int, stage: str, reason: str) -> None:
    statement = insert(quarantine).values(page_id=page_id, stage=stage, reason=reason)
    statement = statement.on_conflict_do_update(
        index_elements=["page_id"], set_={"stage": statement.excluded.stage, "reason": statement.excluded.reason},
        where=or_(quarantine.c.reason != statement.excluded.reason, quarantine.c.stage != statement.excluded.stage))
    with db.begin() as conn:
        conn.execute(statement)


# --- articles ----------------------------------------------------------------------------------

ARTICLE_FIELDS = ("page_id", "source_id", "canonical_url", "title", "published", "updated", "author", "language",
                  "text",
                  "content_hash", "removed", "is_relevant")
ARTICLE_COLUMNS = ("url", *ARTICLE_FIELDS)


def _copy_value(value) -> str:
    """One field in COPY's text format (NULL as \\N; backslash, tab and line breaks escaped)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    value = json.dumps(value) if isinstance(value, dict | list) else str(value)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_rows(conn, table: str, columns: Iterable[str], rows: Iterable[dict]) -> None:
    """COPY the rows (dicts; lists and dicts as JSON) into `table` on the connection's transaction."""
    columns = list(columns)
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_value(row[c]) for c in columns) + "\n")
    buffer.seek(0)
    with conn.connection.driver_connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


@transient
def save_articles(db: Engine, rows: list[dict]) -> int:
    """Upsert cleaned articles by URL; returns how many were new or changed. Clears their quarantine.
    The rows are COPied into a staging table, then merged in one INSERT ... ON CONFLICT."""
    if not rows:
        return 0
    columns = ", ".join(ARTICLE_COLUMNS)
    with db.begin() as conn:
        conn.execute(text(f"CREATE TEMP TABLE stage_articles ON COMMIT DROP AS SELECT {columns} FROM core.articles "
                          "WITH NO DATA"))
        _copy_rows(conn, "stage_articles", ARTICLE_COLUMNS, rows)
        changed = conn.execute(text(
            f"INSERT INTO core.articles AS a ({columns}) SELECT {columns} FROM stage_articles "
            f"ON CONFLICT (url) DO UPDATE SET {', '.join(f'{f} = excluded.{f}' for f in ARTICLE_FIELDS)} "
            f"WHERE ({', '.join(f'a.{f}' for f in ARTICLE_FIELDS)}) IS DISTINCT FROM "
            f"({', '.join(f'excluded.{f}' for f in ARTICLE_FIELDS)})")).rowcount
        conn.execute(text("DELETE FROM raw.quarantine q USING stage_articles s WHERE q.page_id = s.page_id"))
    return changed


@transient
def save_site_lines(db: Engine, pages_lines: list[tuple[str, str, set[str]]]) -> int:
    """Record each (source_id, url, line fingerprints) page: new fingerprints added, ones the page no
    longer has dropped, so re-cleaning a window counts each URL once. Returns rows added or dropped."""
    if not pages_lines:
        return 0
    rows = [{"source_id": source_id, "url": url, "line_hash": line}
            for source_id, url, lines in pages_lines for line in lines]
    with db.begin() as conn:
        dropped = conn.execute(text(
            "DELETE FROM core.site_lines s WHERE s.url = ANY(:urls) AND NOT EXISTS ("
            "SELECT 1 FROM unnest(CAST(:new_urls AS text[]), CAST(:new_lines AS text[])) AS n(url, line_hash) "
            "WHERE n.url = s.url AND n.line_hash = s.line_hash)"),
            {"urls": [url for _, url, _ in pages_lines], "new_urls": [r["url"] for r in rows],
             "new_lines": [r["line_hash"] for r in rows]}).rowcount
        added = conn.execute(insert(site_lines).values(rows).on_conflict_do_nothing()).rowcount if rows else 0
    return dropped + added


def site_line_counts(db: Engine, source_ids: Iterable[str], min_count: int,
                     lines: Iterable[str] | None = None) -> dict[str, SiteLines]:
    """Per source: its number of pages and the page count of every fingerprint on at least min_count pages;
    with `lines`, only of those fingerprints (the ones a window's pages have: the template they can lose)."""
    ids = sorted(set(source_ids))
    wanted = None if lines is None else sorted(set(lines))
    with db.connect() as conn:
        totals = dict(conn.execute(select(site_lines.c.source_id, func.count(site_lines.c.url.distinct()))
                                   .where(site_lines.c.source_id.in_(ids)).group_by(site_lines.c.source_id)).all())
        counts: dict[str, dict[str, int]] = {}
        for source_id, line, n in conn.execute(text(
                "SELECT s.source_id, s.line_hash, count(*) FROM core.site_lines s "
                "WHERE s.source_id = ANY(CAST(:ids AS text[])) AND (CAST(:lines AS text[]) IS NULL "
                "   OR s.line_hash = ANY(CAST(:lines AS text[]))) "
                "GROUP BY s.source_id, s.line_hash HAVING count(*) >= :min"),
                {"ids": ids, "lines": wanted, "min": min_count}):
            counts.setdefault(source_id, {})[line] = n
    return {source_id: SiteLines(totals.get(source_id, 0), counts.get(source_id, {})) for source_id in ids}


def _window(start: dt.date, end: dt.date, margin: int = 0):
    return articles.c.published.between(start - dt.timedelta(days=margin), end + dt.timedelta(days=margin))


def articles_for_dedupe(db: Engine, start: dt.date, end: dt.date, margin: int) -> Iterator[tuple]:
    """(article_id, url, canonical_url, text, published, content_hash, stored MinHash, stored anchors,
    duplicate_of) of the window widened by `margin` days, by publication date, streamed (a server-side cursor:
    the window's texts are never all in memory); MinHash and anchors are None where missing or made from
    another text."""
    query = (select(articles.c.article_id, articles.c.url, articles.c.canonical_url, articles.c.text,
                    articles.c.published, articles.c.content_hash, article_signatures.c.minhash,
                    article_signatures.c.anchors, articles.c.duplicate_of)
             .outerjoin(article_signatures, and_(article_signatures.c.article_id == articles.c.article_id,
                                                 article_signatures.c.content_hash == articles.c.content_hash))
             .where(_window(start, end, margin)).order_by(articles.c.published, articles.c.article_id))
    with db.connect() as conn:
        for row in conn.execution_options(stream_results=True, yield_per=500).execute(query):
            yield tuple(row)


@transient
def save_signatures(db: Engine, signatures: list[tuple[int, str, Signature]]) -> None:
    """Store (article_id, content_hash, signature), replacing a signature of an older text."""
    if not signatures:
        return
    rows, params = _unnest({"article_id": ("bigint", [a for a, _, _ in signatures]),
                            "content_hash": ("text", [h for _, h, _ in signatures]),
                            "minhash": ("bytea", [s.minhash for _, _, s in signatures]),
                            "anchors": ("bytea", [s.anchor_bytes for _, _, s in signatures])})
    with db.begin() as conn:
        conn.execute(text(f"INSERT INTO core.article_signatures (article_id, content_hash, minhash, anchors) "
                          f"SELECT article_id, content_hash, minhash, anchors FROM {rows} "
                          "ON CONFLICT (article_id) DO UPDATE SET content_hash = excluded.content_hash, "
                          "minhash = excluded.minhash, anchors = excluded.anchors"), params)


@transient
def save_compilations(db: Engine, article_ids: list[int], contains: dict[int, tuple[int, ...]]) -> int:
    """Make core.article_contains say, for each of the given articles, which earlier originals it contains
    (none where absent from `contains`), in two statements; returns the links added and removed."""
    pairs = [(a, c) for a, found in contains.items() for c in found]
    rows, params = _unnest({"article_id": ("bigint", [a for a, _ in pairs]),
                            "contained_id": ("bigint", [c for _, c in pairs])})
    with db.begin() as conn:
        removed = conn.execute(text(
            "DELETE FROM core.article_contains k WHERE k.article_id = ANY(CAST(:judged AS bigint[])) "
            f"AND (k.article_id, k.contained_id) NOT IN (SELECT article_id, contained_id FROM {rows})"),
            params | {"judged": article_ids}).rowcount
        added = conn.execute(text(f"INSERT INTO core.article_contains (article_id, contained_id) SELECT article_id, "
                                  f"contained_id FROM {rows} ON CONFLICT DO NOTHING"), params).rowcount
    return removed + added


@transient
def save_duplicates(db: Engine, article_ids: list[int], duplicates: dict[int, tuple[int, str]]) -> int:
    """Set duplicate_of/kind for the given articles (None where original), in one UPDATE; returns rows changed."""
    rows, params = _unnest({"article_id": ("bigint", article_ids),
                            "original": ("bigint", [duplicates.get(a, (None, None))[0] for a in article_ids]),
                            "kind": ("text", [duplicates.get(a, (None, None))[1] for a in article_ids])})
    with db.begin() as conn:
        return conn.execute(text(
            f"UPDATE core.articles a SET duplicate_of = n.original, duplicate_kind = n.kind FROM {rows} "
            "WHERE a.article_id = n.article_id "
            "AND (a.duplicate_of, a.duplicate_kind) IS DISTINCT FROM (n.original, n.kind)"), params).rowcount


def articles_to_extract(db: Engine, start: dt.date, end: dt.date) -> Iterator[tuple[int, str, dt.date]]:
    """Relevant originals published in the window: (article_id, text, published), streamed."""
    query = (select(articles.c.article_id, articles.c.text, articles.c.published)
             .where(_window(start, end), articles.c.is_relevant, articles.c.duplicate_of.is_(None))
             .order_by(articles.c.published, articles.c.article_id))
    with db.connect() as conn:
        for row in conn.execution_options(stream_results=True, yield_per=500).execute(query):
            yield tuple(row)


@transient
def save_extracted(db: Engine, results: dict[int, list[dict]]) -> int:
    """Store each article's extracted events, in one UPDATE that leaves equal JSON untouched (jsonb
    compared with jsonb), so re-extracting unchanged articles changes 0 rows. Returns rows changed."""
    if not results:
        return 0
    rows, params = _unnest({"article_id": ("bigint", list(results)),
                            "extracted": ("text", [json.dumps(found) for found in results.values()])})
    with db.begin() as conn:
        return conn.execute(text(
            f"UPDATE core.articles a SET extracted = CAST(n.extracted AS jsonb) FROM {rows} "
            "WHERE a.article_id = n.article_id AND a.extracted IS DISTINCT FROM CAST(n.extracted AS jsonb)"),
            params).rowcount


# --- events ------------------------------------------------------------------------------------

def _event_from_json(data: dict) -> Event:
    return Event(type=data["type"], start=dt.date.fromisoformat(data["start"]), end=dt.date.fromisoformat(data["end"]),
                 participants=tuple(Participant(p["name"], p["country"], p["role"], p.get("title"),
                                                 p.get("registered", True))
                                    for p in data["participants"]),
                 evidence=data["evidence"], status=data["status"], city=data["city"], country=data["country"],
                 dated=True)


CONSULTATIONS = ("talks", "meeting", "phone_call", "conference")


def _index_keys(event: Event) -> set[tuple[str, str, int]]:
    """(kind, person, day) keys under which an event is filed: two compatible events share at least one
    (talks, meetings, calls and sessions are one kind, as extract.compatible may join them; visits share a
    visitor, other kinds a participant; dated events overlap, so they share a day)."""
    kind = "talks" if event.type in CONSULTATIONS else event.type
    people = [p.name for p in event.participants if event.type != "visit" or p.role == "visitor"]
    days = range(event.start.toordinal(), event.end.toordinal() + 1)
    return {(kind, name, day) for name in people or [""] for day in days}


def _weeks(start: dt.date, end: dt.date) -> range:
    """The weeks (ordinal // 7) an event's days fall in."""
    return range(start.toordinal() // 7, end.toordinal() // 7 + 1)


class EventIndex:
    """Events filed by (kind, person, day), so a new report is compared with the few events it could
    be rather than with every event of the window (dated events: the load dates every one). Keys order
    the events, stored ones (0, event_id) before new ones (1, n); a report joins the first compatible one."""

    def __init__(self) -> None:
        self.events: dict[tuple[int, int], Event] = {}
        self.stored: dict[tuple[int, int], Event] = {}  # stored events as read, before any report joined them
        self._buckets: dict[tuple[str, str, int], set[tuple[int, int]]] = {}

    def put(self, key: tuple[int, int], event: Event) -> None:
        self.events[key] = event
        for bucket in _index_keys(event):
            self._buckets.setdefault(bucket, set()).add(key)

    def match(self, event: Event) -> tuple[int, int] | None:
        candidates = set().union(*(self._buckets.get(b, ()) for b in _index_keys(event)))
        return min((k for k in candidates if compatible(self.events[k], event)), default=None)


@dataclass
class EventMerge:
    """What merging a batch of reports changed: the events touched (in order), each one's earliest
    reporting article of the batch, the (event, article) links with their evidence, and the counts."""

    index: EventIndex
    touched: list[tuple[int, int]] = field(default_factory=list)
    first: dict[tuple[int, int], int] = field(default_factory=dict)
    links: dict[tuple[tuple[int, int], int], str] = field(default_factory=dict)
    new: int = 0
    merged: int = 0


def merge_reports(index: EventIndex, batch: Iterable[tuple[int, list[dict]]]) -> EventMerge:
    """Fold each article's extracted events (articles in report order) into the indexed events: a report
    joins the first compatible event, else it becomes a new one. Pure: the caller writes the result."""
    result = EventMerge(index)
    for article_id, extracted in batch:
        for data in extracted:
            event = _event_from_json(data)
            match = index.match(event)
            if match is None:
                key, combined = (1, result.new), event
                result.new += 1
            else:
                key, combined = match, merge(index.events[match], event)
                result.merged += 1
            index.put(key, combined)
            if key not in result.first:
                result.first[key] = article_id
                result.touched.append(key)
            result.links.setdefault((key, article_id), event.evidence)
    return result


def _stored_events(conn, start: dt.date, end: dt.date, weeks: set[int]) -> EventIndex:
    """The stored events a batch of reports can join, indexed: those within 31 days of the window whose
    days overlap a week the reports are filed under (found through the GiST index on their span)."""
    margin = dt.timedelta(days=31)
    ids = conn.scalars(text(
        "SELECT DISTINCT e.event_id FROM unnest(CAST(:weeks AS integer[])) AS w(week) JOIN core.events e "
        "ON daterange(e.start_date, e.end_date, '[]') "
        "   && daterange(date '0001-01-01' + (7 * w.week - 1), date '0001-01-01' + (7 * w.week + 5), '[]') "
        "WHERE e.end_date >= :lo AND e.start_date <= :hi"),
        {"weeks": sorted(weeks), "lo": start - margin, "hi": end + margin}).all()
    people: dict[int, list[Participant]] = {}
    for p in conn.execute(select(event_participants).where(event_participants.c.event_id.in_(ids))
                          .order_by(event_participants.c.event_id, event_participants.c.name)):
        people.setdefault(p.event_id, []).append(Participant(p.name, p.side, p.role, p.title, p.person_id is not None))
    index = EventIndex()
    for r in conn.execute(select(events).where(events.c.event_id.in_(ids)).order_by(events.c.event_id)):
        index.stored[0, r.event_id] = Event(r.event_type, r.start_date, r.end_date, tuple(people.get(r.event_id, ())),
                                            "", r.status, r.city, r.country, dated=True)
        index.put((0, r.event_id), index.stored[0, r.event_id])
    return index


def _write_events(conn, result: EventMerge) -> dict[tuple[int, int], int]:
    """Insert the new events and update the changed ones, set-based; a stored event's first report moves
    to a batch article only when that one is earlier by (published, canonical URL). Returns the ids."""
    fresh = [k for k in result.touched if k[0] == 1]
    new_ids = conn.scalars(text("SELECT nextval(pg_get_serial_sequence('core.events', 'event_id')) "
                                "FROM generate_series(1, :n)"), {"n": len(fresh)}).all() if fresh else []
    ids = {k: k[1] for k in result.touched if k[0] == 0} | dict(zip(fresh, new_ids, strict=True))
    for keys, write in ((fresh, _INSERT_EVENTS), ([k for k in result.touched if k[0] == 0], _UPDATE_EVENTS)):
        if keys:
            finals = [result.index.events[k] for k in keys]
            rows, params = _unnest({
                "event_id": ("bigint", [ids[k] for k in keys]), "event_type": ("text", [e.type for e in finals]),
                "start_date": ("date", [e.start for e in finals]), "end_date": ("date", [e.end for e in finals]),
                "status": ("text", [e.status for e in finals]), "cameo": ("text", [e.cameo for e in finals]),
                "city": ("text", [e.city for e in finals]), "country": ("text", [e.country for e in finals]),
                "first_article_id": ("bigint", [result.first[k] for k in keys])})
            conn.execute(text(write.format(rows=rows)), params)
    return ids


EVENT_COLUMNS = "event_id, event_type, start_date, end_date, status, cameo, city, country, first_article_id"
_INSERT_EVENTS = f"INSERT INTO core.events ({EVENT_COLUMNS}) SELECT {EVENT_COLUMNS} FROM {{rows}}"
_UPDATE_EVENTS = (
    "UPDATE core.events e SET event_type = n.event_type, start_date = n.start_date, end_date = n.end_date, "
    "status = n.status, cameo = n.cameo, city = n.city, country = n.country, "
    "first_article_id = CASE WHEN (nf.published, nf.canonical_url, nf.article_id) "
    "                           < (cf.published, cf.canonical_url, cf.article_id) "
    "                        THEN n.first_article_id ELSE e.first_article_id END "
    "FROM {rows} JOIN core.articles nf ON nf.article_id = n.first_article_id, core.articles cf "
    "WHERE e.event_id = n.event_id AND cf.article_id = e.first_article_id "
    "  AND ((e.event_type, e.start_date, e.end_date, e.status, e.cameo, e.city, e.country) IS DISTINCT FROM "
    "       (n.event_type, n.start_date, n.end_date, n.status, n.cameo, n.city, n.country) "
    "       OR (nf.published, nf.canonical_url, nf.article_id) < (cf.published, cf.canonical_url, cf.article_id))")


def _write_people(conn, result: EventMerge, ids: dict[tuple[int, int], int]) -> None:
    """Registered participants into core.persons; the touched events' participants that are new or bring a
    missing title (those stored as they would be written are skipped)."""
    people = {(ids[k], p.name): p for k in result.touched for p in result.index.events[k].participants
              if not _stored_as_is(result.index.stored.get(k), p)}
    registered = {p.name: p.country for p in people.values() if p.registered}
    if registered:
        rows, params = _unnest({"name": ("text", list(registered)), "country": ("text", list(registered.values()))})
        conn.execute(text(f"INSERT INTO core.persons (name, country) SELECT name, country FROM {rows} "
                          "ON CONFLICT (name) DO NOTHING"), params)
    if people:
        rows, params = _unnest({
            "event_id": ("bigint", [e for e, _ in people]), "name": ("text", [n for _, n in people]),
            "registered": ("boolean", [p.registered for p in people.values()]),
            "side": ("text", [p.country for p in people.values()]), "role": ("text", [p.role for p in people.values()]),
            "title": ("text", [p.title for p in people.values()])})
        conn.execute(text(
            "INSERT INTO core.event_participants AS t (event_id, name, person_id, side, role, title) "
            f"SELECT n.event_id, n.name, CASE WHEN n.registered THEN r.person_id END, n.side, n.role, n.title "
            f"FROM {rows} LEFT JOIN core.persons r ON r.name = n.name "
            "ON CONFLICT (event_id, name) DO UPDATE SET title = excluded.title "
            "WHERE t.title IS NULL AND excluded.title IS NOT NULL"), params)


def _stored_as_is(stored: Event | None, participant: Participant) -> bool:
    """The participant is already stored with this event as the write would leave it (the write adds names
    and fills missing titles only)."""
    before = next((p for p in stored.participants if p.name == participant.name), None) if stored else None
    return before is not None and (before.title is not None or participant.title is None)


def _write_links(conn, result: EventMerge, ids: dict[tuple[int, int], int], batch_ids: list[int]) -> tuple[int, set]:
    """Link each event to its reporting articles; drop the batch articles' links to events they no longer
    report (after re-extraction). Returns links added minus dropped, and the events that lost a link."""
    rows, params = _unnest({"event_id": ("bigint", [ids[k] for k, _ in result.links]),
                            "article_id": ("bigint", [a for _, a in result.links]),
                            "evidence": ("text", list(result.links.values()))})
    added = conn.execute(text(f"INSERT INTO core.event_sources (event_id, article_id, evidence) "
                              f"SELECT event_id, article_id, evidence FROM {rows} ON CONFLICT DO NOTHING"),
                         params).rowcount
    lost = conn.scalars(text(
        "DELETE FROM core.event_sources s WHERE s.article_id = ANY(CAST(:batch AS bigint[])) AND NOT EXISTS ("
        f"SELECT 1 FROM {rows} WHERE n.event_id = s.event_id AND n.article_id = s.article_id) RETURNING s.event_id"),
        params | {"batch": batch_ids}).all()
    return added - len(lost), set(lost)


def _link_copies(conn, articles_ids: list[int]) -> tuple[int, set]:
    """A syndicated copy (core.articles.duplicate_of) reports exactly the events of its original: the
    copies among, or of, the given articles. Returns links added minus dropped, and events that lost one."""
    copies = ("SELECT article_id, duplicate_of FROM core.articles WHERE duplicate_of = ANY(CAST(:ids AS bigint[])) "
              "UNION SELECT article_id, duplicate_of FROM core.articles "
              "WHERE article_id = ANY(CAST(:ids AS bigint[])) AND duplicate_of IS NOT NULL")
    lost = conn.scalars(text(
        f"WITH c AS ({copies}) DELETE FROM core.event_sources s USING c WHERE s.article_id = c.article_id "
        "AND NOT EXISTS (SELECT 1 FROM core.event_sources o WHERE o.article_id = c.duplicate_of "
        "AND o.event_id = s.event_id) RETURNING s.event_id"), {"ids": articles_ids}).all()
    added = conn.execute(text(
        f"WITH c AS ({copies}) INSERT INTO core.event_sources (event_id, article_id, evidence) "
        "SELECT o.event_id, c.article_id, o.evidence FROM c JOIN core.event_sources o ON o.article_id = c.duplicate_of "
        "ON CONFLICT DO NOTHING"), {"ids": articles_ids}).rowcount
    return added - len(lost), set(lost)


def _assign_stories(conn, seeds: list[int]) -> None:
    """story_id: the smallest article_id among the articles joined, through the events they report, to
    this one (connected components, so A-B and B-C make one story); an article without events is its
    original's story. A compilation (core.article_contains) and its copies join nothing: it reports the events
    of several stories, which stay apart, and keeps a story of its own. Only the components reached from
    `seeds` are read and rewritten, each (event, article) link once: the links of the events newly reached by
    the frontier's articles, not every pair of articles sharing an event (which grows with the square of an
    event's reports)."""
    edges, reached, frontier, events = set(), set(seeds), list(seeds), set()
    while frontier:  # breadth-first over shared events until the components are closed (a few rounds)
        new = set(conn.scalars(text("SELECT DISTINCT event_id FROM core.event_sources "
                                    "WHERE article_id = ANY(CAST(:frontier AS bigint[]))"), {"frontier": frontier}))
        new -= events
        events |= new
        found = conn.execute(text(
            "SELECT o.event_id, o.article_id FROM core.event_sources o JOIN core.articles a USING (article_id) "
            "WHERE o.event_id = ANY(CAST(:events AS bigint[])) AND NOT EXISTS ("
            "SELECT 1 FROM core.article_contains k WHERE k.article_id IN (a.article_id, a.duplicate_of))"),
            {"events": sorted(new)}).all()
        edges.update(map(tuple, found))
        frontier = list({article for _, article in found} - reached)
        reached.update(frontier)
    parent: dict[int, int] = {}

    def root(article: int) -> int:
        while parent.setdefault(article, article) != article:
            parent[article] = parent[parent[article]]
            article = parent[article]
        return article

    first_of_event: dict[int, int] = {}
    for event_id, article_id in sorted(edges):
        a, b = root(first_of_event.setdefault(event_id, article_id)), root(article_id)
        parent[max(a, b)] = min(a, b)
    linked = list(parent)
    rows, params = _unnest({"article": ("bigint", linked), "story": ("bigint", [root(a) for a in linked])})
    conn.execute(text(
        "UPDATE core.articles a SET story_id = coalesce(s.story, a.duplicate_of, a.article_id) "
        f"FROM unnest(CAST(:seeds AS bigint[]) || CAST(:article AS bigint[])) AS b(article_id) "
        f"LEFT JOIN (SELECT n.article, n.story FROM {rows}) s ON s.article = b.article_id "
        "WHERE a.article_id = b.article_id "
        "  AND a.story_id IS DISTINCT FROM coalesce(s.story, a.duplicate_of, a.article_id)"),
        params | {"seeds": seeds})


def _delete_unsourced_events(conn, event_ids: set[int]) -> None:
    """Delete those of the given events no article reports any more."""
    conn.execute(text("DELETE FROM core.events e WHERE e.event_id = ANY(CAST(:ids AS bigint[])) "
                      "AND NOT EXISTS (SELECT 1 FROM core.event_sources s WHERE s.event_id = e.event_id)"),
                 {"ids": sorted(event_ids)})


@dataclass
class LoadCounts:
    new: int = 0
    merged: int = 0
    linked: int = 0


class LoadLockTimeout(RuntimeError):
    """Another load held the load lock for longer than this one would wait."""


LOCK_TIMEOUT_S = 20
EVENT_BATCH = 2000  # articles whose reports are merged and written together
LOCK_ATTEMPTS = 3


def _take_load_lock(conn, timeout_s: float) -> None:
    """Lock core.locks' 'load_events' row for the transaction, waiting at most `timeout_s` (a row the
    analyst role cannot read, unlike an advisory lock, which any role can take)."""
    conn.execute(text("SELECT set_config('lock_timeout', :t, true)"), {"t": f"{int(timeout_s * 1000)}ms"})
    conn.execute(text("SELECT name FROM core.locks WHERE name = 'load_events' FOR UPDATE")).one()
    conn.execute(text("SELECT set_config('lock_timeout', '0', true)"))


def load_events(db: Engine, start: dt.date, end: dt.date, lock_timeout_s: float = LOCK_TIMEOUT_S,
                attempts: int = LOCK_ATTEMPTS) -> LoadCounts:
    """Merge the window's extracted events into core.events, one transaction, one load at a time (a
    backfill's runs may overlap: each must see the events the other made). Waits `lock_timeout_s` for
    the load lock, `attempts` times, then raises LoadLockTimeout."""
    for attempt in range(1, attempts + 1):
        try:
            return _load_events(db, start, end, lock_timeout_s)
        except OperationalError as error:
            if getattr(error.orig, "pgcode", None) != LOCK_NOT_AVAILABLE:
                raise
            log.warning("load lock busy (attempt %d of %d)", attempt, attempts)
    raise LoadLockTimeout(f"core.locks 'load_events' stayed locked by another load for {attempts} waits of "
                          f"{lock_timeout_s}s; see pg_locks/pg_stat_activity for the holder")


@transient
def _load_events(db: Engine, start: dt.date, end: dt.date, lock_timeout_s: float) -> LoadCounts:
    """An event compatible with a stored one (same kind, shared people, overlapping dates) joins it as
    one more source; otherwise it becomes a new event. The earliest report by (published, canonical
    URL) is the event's first; syndicated copies are linked too, and count once among sources.
    The reports are merged and written EVENT_BATCH articles at a time, in report order, each batch
    against the stored events it can touch (an earlier batch's are stored by then), so memory holds a
    batch, not the window."""
    counts, lost = LoadCounts(), set()
    with db.begin() as conn:
        _take_load_lock(conn, lock_timeout_s)
        order = conn.scalars(select(articles.c.article_id)
                             .where(_window(start, end), articles.c.extracted.is_not(None))
                             .order_by(articles.c.published, articles.c.canonical_url, articles.c.article_id)).all()
        for i in range(0, len(order), EVENT_BATCH):
            batch_ids = order[i:i + EVENT_BATCH]
            extracted = dict(conn.execute(select(articles.c.article_id, articles.c.extracted)
                                          .where(articles.c.article_id.in_(batch_ids))).all())
            batch = [(a, extracted[a]) for a in batch_ids]
            weeks = {week for _, found in batch for data in found
                     for week in _weeks(dt.date.fromisoformat(data["start"]), dt.date.fromisoformat(data["end"]))}
            index = _stored_events(conn, start, end, weeks)
            result = merge_reports(index, batch)
            ids = _write_events(conn, result)
            _write_people(conn, result, ids)
            linked, batch_lost = _write_links(conn, result, ids, batch_ids)
            counts.new, counts.merged, counts.linked = (counts.new + result.new, counts.merged + result.merged,
                                                        counts.linked + linked)
            lost |= batch_lost
        window_ids = conn.scalars(select(articles.c.article_id).where(_window(start, end))).all()
        copied, lost_copies = _link_copies(conn, window_ids)
        _delete_unsourced_events(conn, lost | lost_copies)  # after every batch: a later article may report one
        seeds = conn.scalars(text(  # articles whose story may have changed beyond the window
            "SELECT article_id FROM core.event_sources WHERE event_id = ANY(CAST(:events AS bigint[])) "
            "UNION SELECT article_id FROM core.articles WHERE duplicate_of = ANY(CAST(:window AS bigint[]))"),
            {"events": sorted(lost | lost_copies), "window": window_ids}).all()
        _assign_stories(conn, sorted(set(window_ids) | set(seeds)))
    counts.linked += copied
    return counts


# --- stage marks -------------------------------------------------------------------------------

# What each stage reads of a window, one text per row: equal digests, equal input.
STAGE_INPUTS = {
    "clean": "SELECT concat_ws(':', page_id, sha256, status) FROM raw.pages WHERE kind = 'article' "
             "AND listed_date BETWEEN :s AND :e "
             "AND (CAST(:sources AS text[]) IS NULL OR source_id = ANY(CAST(:sources AS text[])))",
    # the week before the window counts with its verdicts: its originals are what the window is matched with
    "dedupe": "SELECT concat_ws(':', article_id, url, content_hash, published, "
              "CASE WHEN published < :s THEN coalesce(duplicate_of, 0) END) FROM core.articles "
              "WHERE published BETWEEN :s - :margin AND :e + :margin",
    "extract": "SELECT concat_ws(':', article_id, content_hash, published) FROM core.articles "
               "WHERE published BETWEEN :s AND :e AND is_relevant AND duplicate_of IS NULL",
    "load": "SELECT concat_ws(':', article_id, published, canonical_url, duplicate_of, md5(extracted::text), "
            "EXISTS (SELECT 1 FROM core.article_contains k WHERE k.article_id = a.article_id)) "
            "FROM core.articles a WHERE published BETWEEN :s AND :e",
}


def stage_input_digest(db: Engine, stage: str, start: dt.date, end: dt.date, source_ids: list[str] | None = None,
                       margin: int = 0) -> str:
    """md5 of what `stage` reads of the window (index scans on the window's dates; no page bodies)."""
    with db.connect() as conn:
        return conn.scalar(text(f"SELECT md5(coalesce(string_agg(x, ',' ORDER BY x), '')) FROM ({STAGE_INPUTS[stage]}) "
                                "AS t(x)"), {"s": start, "e": end, "sources": source_ids, "margin": margin})


def stage_mark(db: Engine, stage: str, start: dt.date, end: dt.date) -> tuple[str, dict] | None:
    """(digest, counts) of the stage's last completed run over exactly this window, if any."""
    with db.connect() as conn:
        row = conn.execute(select(stage_marks.c.digest, stage_marks.c.counts).where(
            stage_marks.c.stage == stage, stage_marks.c.window_start == start, stage_marks.c.window_end == end)).first()
    return tuple(row) if row else None


@transient
def set_stage_mark(db: Engine, stage: str, start: dt.date, end: dt.date, digest: str, counts: dict) -> None:
    statement = insert(stage_marks).values(stage=stage, window_start=start, window_end=end, digest=digest,
                                           counts=counts)
    with db.begin() as conn:
        conn.execute(statement.on_conflict_do_update(
            index_elements=["stage", "window_start", "window_end"],
            set_={"digest": statement.excluded.digest, "counts": statement.excluded.counts, "marked_at": func.now()}))


# --- reports -----------------------------------------------------------------------------------

def pages_fetched_since(db: Engine, since: dt.datetime) -> int:
    with db.connect() as conn:
        return conn.scalar(select(func.count()).select_from(pages).where(pages.c.kind == "article",
                                                                         pages.c.fetched_at >= since))


@transient
def record_run(db: Engine, summary: dict) -> None:
    """Upsert the run's row in core.pipeline_runs (a retried Airflow task overwrites its own run)."""
    statement = insert(pipeline_runs).values(summary)
    with db.begin() as conn:
        conn.execute(statement.on_conflict_do_update(
            index_elements=["run_id"], set_={k: statement.excluded[k] for k in summary if k != "run_id"}))


def table_counts(db: Engine) -> dict[str, int]:
    with db.connect() as conn:
        return {name: conn.scalar(text(f"SELECT count(*) FROM {name}")) for name in (
            "raw.pages", "raw.quarantine", "core.articles", "core.events", "core.event_participants",
            "core.event_sources", "core.persons", "core.site_lines")}


def table_checksums(db: Engine) -> dict[str, str]:
    """md5 of every core/raw table's rows in key order: equal checksums, equal data."""
    with db.connect() as conn:
        return {name: conn.scalar(text(f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                                       f"FROM {name} t")) for name in (
            "raw.pages", "raw.quarantine", "core.sources", "core.articles", "core.events",
            "core.event_participants", "core.event_sources", "core.persons", "core.site_lines")}


def events_table(db: Engine, start: dt.date, end: dt.date) -> list[dict]:
    with db.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(
            "SELECT event_type, start_date, end_date, city, country, vn_participants, ru_participants, "
            "source_count FROM analytics.events WHERE start_date <= :end AND end_date >= :start "
            "ORDER BY start_date, event_type"), {"start": start, "end": end})]


def window_counts(db: Engine, start: dt.date, end: dt.date) -> dict[str, int]:
    with db.connect() as conn:
        return dict(conn.execute(text(
            "SELECT (SELECT count(*) FROM core.articles WHERE published BETWEEN :s AND :e) AS articles, "
            "(SELECT count(*) FROM core.articles WHERE published BETWEEN :s AND :e AND is_relevant "
            "   AND duplicate_of IS NULL) AS kept, "
            "(SELECT count(*) FROM core.articles WHERE published BETWEEN :s AND :e AND duplicate_of IS NOT NULL) "
            "   AS duplicates, "
            "(SELECT count(*) FROM raw.quarantine q JOIN raw.pages p USING (page_id) "
            "   WHERE p.listed_date BETWEEN :s AND :e) AS quarantined"), {"s": start, "e": end}).one()._mapping)


def quality_problems(db: Engine, start: dt.date, end: dt.date, since: dt.datetime,
                     gates: tuple[str, ...] = ("sources", "articles", "events")) -> list[str]:
    """The problems core.quality_problems finds for a run over the window that began at `since`."""
    with db.connect() as conn:
        rows = conn.execute(text("SELECT gate, subject, problem FROM core.quality_problems(:s, :e, :since) "
                                 "WHERE gate = ANY(:gates) ORDER BY gate, subject"),
                            {"s": start, "e": end, "since": since, "gates": list(gates)})
        return [f"{gate} {subject}: {problem}" for gate, subject, problem in rows]
