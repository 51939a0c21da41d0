"""Every read and write of the vnru database: the archive, articles, events. Nothing else holds SQL.

Writes are upserts on natural keys (page URL + body hash, article URL, event identity) that leave a
row untouched when nothing changed, so re-running a date window changes nothing. Each batch is one
transaction: it lands whole or, on error, not at all, and is retried.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Engine, and_, create_engine, func, or_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import OperationalError
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

from etl import pgserver
from etl.events.extract import Event, Participant, compatible, merge
from etl.schema import (
    articles,
    event_participants,
    event_sources,
    events,
    pages,
    persons,
    pipeline_runs,
    quarantine,
    site_lines,
    sources,
)
from etl.settings import MAX_PAGE_BYTES
from etl.templates import SiteLines
from etl.walls import REFETCH_STAGE

transient = retry(retry=retry_if_exception_type(OperationalError), stop=stop_after_attempt(4),
                  wait=wait_exponential(multiplier=0.5, max=8), reraise=True)


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


def archived_urls(db: Engine, source_id: str) -> set[str]:
    """Article URLs archived with a usable response (an error, an empty page or a wall is fetched again)."""
    walled = select(quarantine.c.page_id).where(quarantine.c.page_id == pages.c.page_id,
                                                quarantine.c.stage == REFETCH_STAGE)
    with db.connect() as conn:
        return set(conn.scalars(select(pages.c.url).where(
            pages.c.source_id == source_id, pages.c.kind == "article", pages.c.status == 200,
            pages.c.sha256 != EMPTY_SHA256, ~walled.exists())))


@transient
def archive_page(db: Engine, page) -> bool:
    """Store a fetched response; False when the same URL with the same bytes is archived already."""
    statement = insert(pages).values(
        source_id=page.source_id, kind=page.kind, url=page.url, final_url=page.final_url, status=page.status,
        headers=page.headers, fetched_at=page.fetched_at, listed_date=page.listed_date,
        body_gzip=gzip.compress(page.body, mtime=0), sha256=hashlib.sha256(page.body).hexdigest(),
    ).on_conflict_do_nothing(constraint="uq_pages_url_sha256")
    with db.begin() as conn:
        return conn.execute(statement).rowcount == 1


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
    """The newest archived version of each article URL listed in the window."""
    newest = (select(pages.c.page_id, func.row_number().over(
        partition_by=pages.c.url, order_by=pages.c.fetched_at.desc()).label("n"))
        .where(pages.c.kind == "article", pages.c.listed_date.between(start, end))
        .where(pages.c.source_id.in_(source_ids) if source_ids else text("true"))).subquery()
    query = (select(pages.c.page_id, pages.c.source_id, pages.c.url, pages.c.status, pages.c.listed_date,
                    pages.c.body_gzip)
             .join(newest, and_(newest.c.page_id == pages.c.page_id, newest.c.n == 1)).order_by(pages.c.page_id))
    with db.connect() as conn:
        for row in conn.execute(query):
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


@transient
def save_articles(db: Engine, rows: list[dict]) -> int:
    """Upsert cleaned articles by URL; returns how many were new or changed. Clears their quarantine."""
    if not rows:
        return 0
    statement = insert(articles).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["url"], set_={f: statement.excluded[f] for f in ARTICLE_FIELDS},
        where=or_(*(articles.c[f].is_distinct_from(statement.excluded[f]) for f in ARTICLE_FIELDS)))
    with db.begin() as conn:
        changed = conn.execute(statement).rowcount
        conn.execute(quarantine.delete().where(quarantine.c.page_id.in_([r["page_id"] for r in rows])))
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


def site_line_counts(db: Engine, source_ids: Iterable[str], min_count: int) -> dict[str, SiteLines]:
    """Per source: its number of pages and the page count of every fingerprint on at least min_count pages."""
    ids = sorted(set(source_ids))
    with db.connect() as conn:
        totals = dict(conn.execute(select(site_lines.c.source_id, func.count(site_lines.c.url.distinct()))
                                   .where(site_lines.c.source_id.in_(ids)).group_by(site_lines.c.source_id)).all())
        counts: dict[str, dict[str, int]] = {}
        for source_id, line, n in conn.execute(
                select(site_lines.c.source_id, site_lines.c.line_hash, func.count())
                .where(site_lines.c.source_id.in_(ids)).group_by(site_lines.c.source_id, site_lines.c.line_hash)
                .having(func.count() >= min_count)):
            counts.setdefault(source_id, {})[line] = n
    return {source_id: SiteLines(totals.get(source_id, 0), counts.get(source_id, {})) for source_id in ids}


def _window(start: dt.date, end: dt.date, margin: int = 0):
    return articles.c.published.between(start - dt.timedelta(days=margin), end + dt.timedelta(days=margin))


def articles_for_dedupe(db: Engine, start: dt.date, end: dt.date, margin: int) -> list[tuple]:
    """(article_id, url, text, published) of the window widened by `margin` days, for near-copy search."""
    with db.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(articles.c.article_id, articles.c.url, articles.c.text, articles.c.published)
            .where(_window(start, end, margin)))]


@transient
def save_duplicates(db: Engine, article_ids: list[int], duplicates: dict[int, tuple[int, str]]) -> int:
    """Set duplicate_of/kind for the given articles (None where original); returns rows changed."""
    changed = 0
    with db.begin() as conn:
        for article_id in article_ids:
            original, kind = duplicates.get(article_id, (None, None))
            changed += conn.execute(articles.update().where(
                articles.c.article_id == article_id,
                or_(articles.c.duplicate_of.is_distinct_from(original),
                    articles.c.duplicate_kind.is_distinct_from(kind)))
                .values(duplicate_of=original, duplicate_kind=kind)).rowcount
    return changed


def articles_to_extract(db: Engine, start: dt.date, end: dt.date) -> list[tuple[int, str, dt.date]]:
    """Relevant originals published in the window: (article_id, text, published)."""
    with db.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(articles.c.article_id, articles.c.text, articles.c.published)
            .where(_window(start, end), articles.c.is_relevant, articles.c.duplicate_of.is_(None))
            .order_by(articles.c.published, articles.c.article_id))]


@transient
def save_extracted(db: Engine, results: dict[int, list[dict]]) -> int:
    changed = 0
    with db.begin() as conn:
        for article_id, found in results.items():
            value = json.loads(json.dumps(found))
            changed += conn.execute(articles.update().where(
                articles.c.article_id == article_id,
                articles.c.extracted.is_distinct_from(func.cast(json.dumps(value), articles.c.extracted.type)))
                .values(extracted=value)).rowcount
    return changed


# --- events ------------------------------------------------------------------------------------

def _event_from_json(data: dict) -> Event:
    return Event(type=data["type"], start=dt.date.fromisoformat(data["start"]), end=dt.date.fromisoformat(data["end"]),
                 participants=tuple(Participant(p["name"], p["country"], p["role"], p.get("title"),
                                                 p.get("registered", True))
                                    for p in data["participants"]),
                 evidence=data["evidence"], status=data["status"], city=data["city"], country=data["country"],
                 dated=True)


def _stored_events(conn, start: dt.date, end: dt.date) -> dict[int, Event]:
    margin = dt.timedelta(days=31)
    rows = conn.execute(select(events).where(events.c.end_date >= start - margin,
                                             events.c.start_date <= end + margin)).all()
    people: dict[int, list[Participant]] = {}
    if rows:
        for p in conn.execute(select(event_participants).where(
                event_participants.c.event_id.in_([r.event_id for r in rows]))):
            people.setdefault(p.event_id, []).append(
                Participant(p.name, p.side, p.role, p.title, p.person_id is not None))
    return {r.event_id: Event(r.event_type, r.start_date, r.end_date, tuple(people.get(r.event_id, ())), "",
                              r.status, r.city, r.country, dated=True) for r in rows}


def _person_ids(conn, participants: Iterable[Participant]) -> dict[str, int]:
    """core.persons ids of the registered participants (an unregistered name gets none)."""
    rows = [{"name": p.name, "country": p.country} for p in participants if p.registered]
    if rows:
        conn.execute(insert(persons).values(rows).on_conflict_do_nothing(index_elements=["name"]))
    names = [r["name"] for r in rows]
    return dict(conn.execute(select(persons.c.name, persons.c.person_id).where(persons.c.name.in_(names))).all())


def _write_event(conn, event_id: int | None, event: Event, article_id: int, published: dt.date) -> tuple[int, bool]:
    values = {"event_type": event.type, "start_date": event.start, "end_date": event.end, "status": event.status,
              "cameo": event.cameo, "city": event.city, "country": event.country}
    created = event_id is None
    if created:
        event_id = conn.execute(events.insert().values(first_article_id=article_id, **values)
                                .returning(events.c.event_id)).scalar_one()
    else:
        conn.execute(events.update().where(events.c.event_id == event_id, or_(
            *(events.c[k].is_distinct_from(v) for k, v in values.items()))).values(**values))
        conn.execute(text(
            "UPDATE core.events e SET first_article_id = :article FROM core.articles first "
            "WHERE e.event_id = :event AND first.article_id = e.first_article_id "
            "AND (first.published, first.article_id) > (:published, :article)"),
            {"article": article_id, "event": event_id, "published": published})
    ids = _person_ids(conn, event.participants)
    rows = [{"event_id": event_id, "name": p.name, "person_id": ids.get(p.name), "side": p.country, "role": p.role,
             "title": p.title} for p in event.participants]
    if rows:
        statement = insert(event_participants).values(rows)
        conn.execute(statement.on_conflict_do_update(
            index_elements=["event_id", "name"], set_={"title": statement.excluded.title},
            where=event_participants.c.title.is_(None) & statement.excluded.title.is_not(None)))
    conn.execute(insert(event_sources).values(event_id=event_id, article_id=article_id, evidence=event.evidence)
                 .on_conflict_do_nothing())
    return event_id, created


def _unlink_stale(conn, article_id: int, reported: set[int]) -> None:
    """Drop the article's links to events it no longer reports (after re-extraction)."""
    conn.execute(event_sources.delete().where(event_sources.c.article_id == article_id,
                                              event_sources.c.event_id.not_in(reported)))


def _link_copies(conn) -> None:
    """A syndicated copy (core.articles.duplicate_of) reports exactly the events of its original."""
    conn.execute(text(
        "DELETE FROM core.event_sources s USING core.articles a WHERE s.article_id = a.article_id "
        "AND a.duplicate_of IS NOT NULL AND NOT EXISTS (SELECT 1 FROM core.event_sources o "
        "WHERE o.article_id = a.duplicate_of AND o.event_id = s.event_id)"))
    conn.execute(text(
        "INSERT INTO core.event_sources (event_id, article_id, evidence) "
        "SELECT o.event_id, a.article_id, o.evidence FROM core.articles a "
        "JOIN core.event_sources o ON o.article_id = a.duplicate_of ON CONFLICT DO NOTHING"))


def _assign_stories(conn) -> None:
    """story_id: the smallest article_id among the articles joined, through the events they report,
    to this one (connected components, so A-B and B-C make one story); an article without events is
    its original's story."""
    parent: dict[int, int] = {}

    def root(article: int) -> int:
        while parent.setdefault(article, article) != article:
            parent[article] = parent[parent[article]]
            article = parent[article]
        return article

    first_of_event: dict[int, int] = {}
    for event_id, article_id in conn.execute(select(event_sources.c.event_id, event_sources.c.article_id)):
        other = first_of_event.setdefault(event_id, article_id)
        a, b = root(other), root(article_id)
        parent[max(a, b)] = min(a, b)
    linked = list(parent)
    conn.execute(text(
        "UPDATE core.articles a SET story_id = coalesce(s.story, a.duplicate_of, a.article_id) "
        "FROM core.articles b LEFT JOIN (SELECT unnest(CAST(:articles AS bigint[])) AS article, "
        "                                       unnest(CAST(:stories AS bigint[])) AS story) s "
        "       ON s.article = b.article_id "
        "WHERE a.article_id = b.article_id "
        "  AND a.story_id IS DISTINCT FROM coalesce(s.story, a.duplicate_of, a.article_id)"),
        {"articles": linked, "stories": [root(a) for a in linked]})


def _delete_unsourced_events(conn) -> None:
    conn.execute(events.delete().where(~select(event_sources.c.event_id)
                                       .where(event_sources.c.event_id == events.c.event_id).exists()))


@dataclass
class LoadCounts:
    new: int = 0
    merged: int = 0
    linked: int = 0


@transient
def load_events(db: Engine, start: dt.date, end: dt.date) -> LoadCounts:
    """Merge every extracted event of the window's articles into core.events, one transaction.

    An event compatible with a stored one (same kind, shared people, overlapping dates) joins it as
    one more source; otherwise it becomes a new event. The earliest reporting article is the event's
    first report; syndicated copies are linked too, and count once among independent sources."""
    counts = LoadCounts()
    with db.begin() as conn:
        # one load at a time (a backfill's runs may overlap): each must see the events the other made
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('vnru.load_events'))"))
        stored = _stored_events(conn, start, end)
        linked_before = conn.scalar(select(func.count()).select_from(event_sources))
        batch = conn.execute(select(articles.c.article_id, articles.c.published, articles.c.extracted)
                             .where(_window(start, end), articles.c.extracted.is_not(None))
                             .order_by(articles.c.published, articles.c.article_id)).all()
        for article_id, published, extracted in batch:
            reported = set()
            for data in extracted:
                event = _event_from_json(data)
                match = next((i for i, e in stored.items() if compatible(e, event)), None)
                combined = merge(stored[match], event) if match is not None else event
                event_id, created = _write_event(conn, match, combined, article_id, published)
                stored[event_id] = combined
                reported.add(event_id)
                counts.new += created
                counts.merged += not created
            _unlink_stale(conn, article_id, reported)
        _link_copies(conn)
        _delete_unsourced_events(conn)  # after the batch: a later article may still report such an event
        _assign_stories(conn)
        counts.linked = conn.scalar(select(func.count()).select_from(event_sources)) - linked_before
    return counts


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
