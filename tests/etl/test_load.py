"""etl.load's set-based writes against a real PostgreSQL: COPY-staged articles, one-statement updates
that leave equal rows alone, the indexed event merge, first reports independent of arrival order and the
load lock's timeout."""

import datetime as dt
import random
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from etl import load
from etl.dedupe import Signature
from etl.events.extract import Event, Participant, compatible

DAY = dt.date(2025, 3, 10)


@pytest.fixture(scope="module")
def shared_db(module_db_url):
    engine = create_engine(module_db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(shared_db):
    """The module's database, emptied of what a test wrote (one migration for the whole module)."""
    with shared_db.begin() as conn:
        conn.execute(text("TRUNCATE core.events, core.persons, core.articles, raw.pages, core.sources CASCADE"))
    return shared_db


def _article(page_id: int, url: str, published: dt.date = DAY, body: str = "Text") -> dict:
    return {"page_id": page_id, "source_id": "site", "url": url, "canonical_url": url, "title": "A\ttitle",
            "published": published, "updated": None, "author": None, "language": "en", "text": body,
            "content_hash": f"h{page_id}", "is_relevant": True,
            "removed": [{"text": "menu \\ line\nnext", "reason": "site template"}]}


def _store(db, urls: list[str], body: str = "Text") -> dict[str, int]:
    """Articles at the given URLs (pages and a source made up for them); their ids by URL."""
    with db.begin() as conn:
        conn.execute(text("INSERT INTO core.sources VALUES ('site', 'Site', 'VN', 'en', '{site.vn}')"))
        for page_id, url in enumerate(urls, 1):
            conn.execute(text("INSERT INTO raw.pages (page_id, source_id, kind, url, final_url, status, headers, "
                              "fetched_at, listed_date, body_gzip, sha256) VALUES (:p, 'site', 'article', :u, :u, "
                              "200, '{}', now(), :d, '', :s)"), {"p": page_id, "u": url, "d": DAY, "s": str(page_id)})
    load.save_articles(db, [_article(i, url, body=body) for i, url in enumerate(urls, 1)])
    with db.connect() as conn:
        return dict(conn.execute(text("SELECT url, article_id FROM core.articles")).all())


def _call(day: dt.date, ru: str = "Vladimir Putin", vn: str = "To Lam", evidence: str = "They spoke.") -> dict:
    return Event("phone_call", day, day, (Participant(ru, "RU"), Participant(vn, "VN")), evidence).as_dict()


def test_save_articles_copies_awkward_text_and_counts_only_changes(db):
    ids = _store(db, ["https://site.vn/a", "https://site.vn/b"], body="Line one\n\nTab\there \\ back")
    with db.connect() as conn:
        stored = conn.execute(text("SELECT title, text, removed FROM core.articles ORDER BY url")).all()
    assert len(ids) == 2
    assert stored[0] == ("A\ttitle", "Line one\n\nTab\there \\ back",
                         [{"text": "menu \\ line\nnext", "reason": "site template"}])
    rows = [_article(1, "https://site.vn/a", body="Line one\n\nTab\there \\ back"),
            _article(2, "https://site.vn/b", body="Changed")]
    assert load.save_articles(db, rows) == 1


def test_save_extracted_and_duplicates_leave_equal_rows_untouched(db):
    ids = _store(db, ["https://site.vn/a", "https://site.vn/b"])
    a, b = ids["https://site.vn/a"], ids["https://site.vn/b"]
    found = {a: [_call(DAY)], b: []}
    assert load.save_extracted(db, found) == 2
    assert load.save_extracted(db, found) == 0  # a no-op re-extraction reports 'changed 0'
    assert load.save_duplicates(db, [a, b], {b: (a, "near")}) == 1
    assert load.save_duplicates(db, [a, b], {b: (a, "near")}) == 0
    assert load.save_duplicates(db, [a, b], {}) == 1


def test_the_event_index_finds_the_event_a_full_scan_finds():
    rng = random.Random(13)
    people = {"RU": ["Putin", "Mishustin", "Lavrov"], "VN": ["To Lam", "Pham Minh Chinh", "Bui Thanh Son"]}
    index, scanned = load.EventIndex(), {}
    for n in range(600):
        kind = rng.choice(["visit", "talks", "meeting", "phone_call"])
        start = DAY + dt.timedelta(days=rng.randrange(120))
        sides = [side for side in ("RU", "VN") if rng.random() < 0.9]
        cast = tuple(Participant(rng.choice(people[side]), side, rng.choice(["visitor", "host", "participant"]))
                     for side in sides)
        event = Event(kind, start, start + dt.timedelta(days=rng.choice([0, 0, 1, 3, 9])), cast, "", dated=True)
        expected = min((k for k, e in scanned.items() if compatible(e, event)), default=None)
        assert index.match(event) == expected
        key = expected or (1, n)
        scanned[key] = event
        index.put(key, event)
    assert sum(1 for _ in scanned) < 600  # some reports joined an earlier event


def test_the_first_report_is_the_earliest_by_date_then_url_whatever_the_arrival(db):
    ids = _store(db, ["https://site.vn/z-arrived-first", "https://site.vn/a-arrived-second"])
    load.save_extracted(db, {i: [_call(DAY)] for i in ids.values()})
    counts = load.load_events(db, DAY, DAY)
    with db.connect() as conn:
        first = conn.scalar(text("SELECT a.url FROM core.events e JOIN core.articles a "
                                 "ON a.article_id = e.first_article_id"))
    assert (counts.new, counts.merged, counts.linked) == (1, 1, 2)
    assert first == "https://site.vn/a-arrived-second"


def test_two_template_calls_a_year_apart_stay_two_events(db):
    ids = _store(db, ["https://site.vn/2024", "https://site.vn/2025"])
    load.save_extracted(db, {ids["https://site.vn/2024"]: [_call(DAY - dt.timedelta(days=365))],
                             ids["https://site.vn/2025"]: [_call(DAY)]})
    assert load.load_events(db, DAY - dt.timedelta(days=365), DAY).new == 2
    assert load.load_events(db, DAY - dt.timedelta(days=365), DAY).new == 0  # and a re-load adds nothing


def test_a_held_load_lock_fails_the_load_clearly_instead_of_waiting_forever(db):
    with db.connect() as holder:
        holder.execute(text("SELECT * FROM core.locks WHERE name = 'load_events' FOR UPDATE"))
        began = time.monotonic()
        with pytest.raises(load.LoadLockTimeout, match="stayed locked"):
            load.load_events(db, DAY, DAY, lock_timeout_s=0.2, attempts=2)
        assert time.monotonic() - began < 5
        holder.rollback()
    assert load.load_events(db, DAY, DAY, lock_timeout_s=0.2).new == 0


def test_the_analyst_cannot_take_the_load_lock(module_db_url):
    analyst = create_engine(make_url(module_db_url).set(username="analyst", password=None))
    try:
        with analyst.connect() as conn, pytest.raises(ProgrammingError, match="permission denied"):
            conn.execute(text("SELECT * FROM core.locks FOR UPDATE"))
    finally:
        analyst.dispose()


def test_a_signature_is_read_back_while_its_text_is_unchanged(db):
    ids = _store(db, ["https://site.vn/a"], body="Some words of a story")
    article = ids["https://site.vn/a"]
    [(_, _, _, _, _, digest, minhash, anchors, _)] = list(load.articles_for_dedupe(db, DAY, DAY, 0))
    assert minhash is None and anchors is None
    signed = Signature(b"\x01\x02", frozenset({16, 4294967280}))
    load.save_signatures(db, [(article, digest, signed)])
    assert Signature.stored(*next(load.articles_for_dedupe(db, DAY, DAY, 0))[6:8]) == signed
    load.save_articles(db, [_article(1, "https://site.vn/a", body="Another text") | {"content_hash": "other"}])
    assert next(load.articles_for_dedupe(db, DAY, DAY, 0))[6] is None  # a signature of the old text is not used


def test_compilation_links_are_replaced_for_the_articles_judged_and_kept_for_the_others(db):
    ids = list(_store(db, [f"https://site.vn/{n}" for n in range(5)]).values())
    assert load.save_compilations(db, ids, {ids[3]: (ids[0], ids[1]), ids[4]: (ids[2],)}) == 3
    assert load.save_compilations(db, ids, {ids[3]: (ids[0], ids[1]), ids[4]: (ids[2],)}) == 0  # a re-run
    assert load.save_compilations(db, ids[3:4], {ids[3]: (ids[1],)}) == 1  # only ids[3] judged again
    with db.connect() as conn:
        links = set(conn.execute(text("SELECT article_id, contained_id FROM core.article_contains")).all())
    assert links == {(ids[3], ids[1]), (ids[4], ids[2])}


def _events_snapshot(db) -> list[tuple]:
    """Every event by its content, first report and reporting URLs (ids left out: they differ between loads)."""
    with db.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(text(
            "SELECT e.event_type, e.start_date, e.end_date, e.status, f.url, "
            "  (SELECT array_agg(a.url ORDER BY a.url) FROM core.event_sources s "
            "   JOIN core.articles a USING (article_id) WHERE s.event_id = e.event_id), "
            "  (SELECT array_agg(p.name || '/' || p.side || '/' || p.role ORDER BY p.name) "
            "   FROM core.event_participants p WHERE p.event_id = e.event_id) "
            "FROM core.events e JOIN core.articles f ON f.article_id = e.first_article_id")))


def test_a_load_in_small_batches_makes_the_events_of_one_batch(db, monkeypatch):
    """Reports merged a few articles at a time, against what earlier batches stored, give the same events,
    first reports, links and counts as the whole window at once."""
    rng = random.Random(5)
    ids = _store(db, [f"https://site.vn/{n:02d}" for n in range(40)])
    ru, vn = ["Vladimir Putin", "Sergey Lavrov"], ["To Lam", "Bui Thanh Son"]
    load.save_extracted(db, {article: [_call(DAY + dt.timedelta(days=rng.randrange(10)), rng.choice(ru), rng.choice(vn))
                                       for _ in range(rng.randint(0, 2))] for article in ids.values()})
    results = []
    for batch in (3, 1000):
        with db.begin() as conn:
            conn.execute(text("TRUNCATE core.events, core.persons CASCADE"))
        monkeypatch.setattr(load, "EVENT_BATCH", batch)
        counts = load.load_events(db, DAY, DAY)
        results.append(((counts.new, counts.merged, counts.linked), _events_snapshot(db)))
    assert results[0] == results[1]
    assert results[0][0][1] > 0 and len(results[0][1]) > 1  # reports joined events stored by an earlier batch


def test_a_page_refused_for_its_size_is_quarantined_and_not_asked_again_until_re_asked(db):
    """The crawl archives a refused page's metadata without its body: quarantined with the reason, counted as
    archived (the next run does not ask again), never cleaned; a re-asked copy that fits is cleaned as usual."""
    from crawlers.items import FetchedPage
    from crawlers.sources import SOURCES
    from etl import pipeline, settings

    tass = SOURCES["tass"]
    url, day = "https://tass.com/politics/1806207", dt.date(2024, 6, 20)
    load.upsert_sources(db, [tass])

    def fetched(body: bytes, minute: int, refused: str | None = None) -> FetchedPage:
        return FetchedPage("tass", "article", url, url, 200, {"Content-Length": "25165824"},
                           dt.datetime(2024, 6, 20, 12, minute, tzinfo=dt.UTC), body, day, refused=refused)

    assert load.archive_page(db, fetched(b"", 0, "larger than the limit of 8388608 bytes (Content-Length 25165824)"))
    assert not load.archive_page(db, fetched(b"", 1, "larger than the limit"))  # refused again (re-asked): one row
    with db.connect() as conn:
        [(stage, reason, status)] = conn.execute(text(
            "SELECT q.stage, q.reason, p.status FROM raw.quarantine q JOIN raw.pages p USING (page_id)")).all()
    assert (stage, status) == (load.REFUSED_STAGE, 200) and reason.startswith("refused for its size: larger than")
    assert url in load.archived_urls(db, "tass") and url not in load.irrelevant_urls(db, "tass")
    assert list(load.pages_in_window(db, day, day)) == []
    assert pipeline.clean_stage(db, day, day, ["tass"], {"tass": tass})["quarantined"] == 0
    with db.connect() as conn:  # the clean stage left the crawl's reason as it was
        assert conn.scalar(text("SELECT stage FROM raw.quarantine")) == load.REFUSED_STAGE

    real = (settings.RECORDED_DIR / "tass" / "politics" / "1806207").read_bytes()
    load.archive_page(db, fetched(real, 5))  # an operator re-asked (--refetch) and the site now serves the page
    assert pipeline.clean_stage(db, day, day, ["tass"], {"tass": tass})["articles"] == 1
    assert url in load.archived_urls(db, "tass")


def test_a_compilation_reporting_two_stories_keeps_them_apart(db):
    ids = _store(db, ["https://site.vn/a", "https://site.vn/b", "https://site.vn/digest"])
    a, b, digest = ids["https://site.vn/a"], ids["https://site.vn/b"], ids["https://site.vn/digest"]
    first, second = _call(DAY), _call(DAY - dt.timedelta(days=1), vn="Pham Minh Chinh")
    load.save_extracted(db, {a: [first], b: [second], digest: [first, second]})

    def stories() -> dict[int, int]:
        load.load_events(db, DAY - dt.timedelta(days=1), DAY)
        with db.connect() as conn:
            return dict(conn.execute(text("SELECT article_id, story_id FROM core.articles")).all())

    assert set(stories().values()) == {min(ids.values())}  # unlinked, the digest bridges the two stories
    load.save_compilations(db, [digest], {digest: (a, b)})
    assert stories() == {a: a, b: b, digest: digest}
