"""The pipeline's stages over a date window, shared by the Airflow DAG and `vnru run`.

Each stage reads what the previous one stored, does its work with the pure functions of
etl.clean / etl.templates / etl.dedupe / etl.events.extract, writes through etl.load, and returns small counts
(never page bodies), so the stages can run as separate Airflow tasks and be re-run alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Mapping
from itertools import groupby
from pathlib import Path

from sqlalchemy import Engine

from etl import load
from etl.clean import CleanError, HtmlPage, SiteRules, clean_html
from etl.dedupe import Candidate, Duplicate, NearCopies, Signature, canonical_url, content_hash, shingles, signature
from etl.events.extract import extract_events, is_bilateral
from etl.templates import MIN_COUNT, page_fingerprints, strip_template, template_fingerprints
from etl.walls import page_problem

log = logging.getLogger(__name__)
DEDUPE_MARGIN_DAYS = 7
BATCH = 2000  # rows per write: memory and transactions bounded however large the window
ETL = Path(__file__).resolve().parent
# The code each stage's result depends on: a change re-runs the stage over windows it has already done.
STAGE_CODE = {"clean": ("pipeline.py", "clean.py", "walls.py", "templates.py", "dedupe.py", "events"),
              "dedupe": ("pipeline.py", "dedupe.py"), "extract": ("pipeline.py", "events"),
              "load": ("pipeline.py", "load.py", "events")}


def _code_digest(stage: str) -> str:
    """sha256 of the source files the stage's result depends on."""
    paths = [ETL / name for name in STAGE_CODE[stage]]
    files = sorted(f for path in paths for f in (path.rglob("*") if path.is_dir() else [path])
                   if f.is_file() and "__pycache__" not in f.parts)
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()


def _incremental(db: Engine, stage: str, start: dt.date, end: dt.date, run: Callable[[], dict], extra: str = "",
                 nothing: dict | None = None, **inputs) -> dict:
    """Run the stage unless its last run over this window saw the same input and code (and `extra`): then
    return that run's counts, with `nothing` (default: changed 0) for the counts of what a run changes,
    and `skipped`. A re-run of an unchanged window costs one digest query per stage."""
    digest = hashlib.sha256((load.stage_input_digest(db, stage, start, end, **inputs) + _code_digest(stage) + extra)
                            .encode()).hexdigest()
    mark = load.stage_mark(db, stage, start, end)
    if mark and mark[0] == digest:
        log.info("%s: window %s..%s unchanged since its last run, skipped", stage, start, end)
        return mark[1] | (nothing or {"changed": 0}) | {"skipped": True}
    counts = run()
    load.set_stage_mark(db, stage, start, end, digest, counts)
    return counts


def clean_stage(db: Engine, start: dt.date, end: dt.date, source_ids: list[str] | None = None,
                sites: Mapping[str, SiteRules] | None = None) -> dict:
    """The window's pages cleaned (see _clean), unless neither they nor the code or site rules changed."""
    rules = repr(sorted((name, [getattr(rules, a) for a in SiteRules.__annotations__])
                        for name, rules in (sites or {}).items()))
    return _incremental(db, "clean", start, end, lambda: _clean(db, start, end, source_ids, sites), rules,
                        source_ids=sorted(source_ids) if source_ids else None)


def _clean(db: Engine, start: dt.date, end: dt.date, source_ids: list[str] | None,
           sites: Mapping[str, SiteRules] | None) -> dict:
    """Archived article pages of the window -> core.articles; bad pages -> raw.quarantine with the reason.

    `sites` maps a source id to its page rules (the crawlers' registry); a page of another source is
    cleaned by the generic extractor alone.

    The window's line fingerprints are recorded first, then each site's template lines, learned from
    every page of that site archived so far, are removed from its articles."""
    cleaned, lines, seen_lines, quarantined, seen = [], [], set(), 0, 0
    for page in load.pages_in_window(db, start, end, source_ids):  # streamed: one body in memory at a time
        seen += 1
        source = (sites or {}).get(page.source_id)
        html = HtmlPage(page.body)  # decoded and parsed once, for the walls check and the cleaner
        problem = page_problem(page.status, html)  # an error status, too large, a wall with HTTP 200
        if problem:
            load.quarantine_page(db, page.page_id, problem.stage, problem.reason)
            quarantined += 1
            continue
        try:
            article = clean_html(html, url=page.url, source=source)
            published = article.published or page.listed_date
            if published is None:
                raise CleanError("no publication date in the page or its listing")
        except CleanError as error:
            load.quarantine_page(db, page.page_id, "clean", str(error))
            quarantined += 1
            log.warning("quarantined %s: %s", page.url, error)
            continue
        cleaned.append(((page.page_id, page.source_id, page.url), article, published))
        lines.append((page.source_id, page.url, page_fingerprints(article)))
        seen_lines |= lines[-1][2]
        if len(lines) == BATCH:
            load.save_site_lines(db, lines)
            lines = []
    load.save_site_lines(db, lines)
    sites = load.site_line_counts(db, {source_id for (_, source_id, _), _, _ in cleaned}, MIN_COUNT, seen_lines)
    template = {source_id: template_fingerprints(lines) for source_id, lines in sites.items()}
    rows, articles, changed = [], 0, 0
    for (page_id, source_id, url), article, published in cleaned:
        article = strip_template(article, template[source_id])
        if not article.text:
            load.quarantine_page(db, page_id, "clean", "nothing left after removing the site template")
            quarantined += 1
            continue
        rows.append({
            "page_id": page_id, "source_id": source_id, "url": url,
            "canonical_url": canonical_url(url), "title": article.title, "published": published,
            "updated": article.updated,
            "author": article.author, "language": article.language, "text": article.text,
            "content_hash": content_hash(article.text), "is_relevant": is_bilateral(article.text),
            "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        })
        if len(rows) == BATCH:
            changed, articles, rows = changed + load.save_articles(db, rows), articles + len(rows), []
    changed, articles = changed + load.save_articles(db, rows), articles + len(rows)
    return {"pages": seen, "articles": articles, "changed": changed, "quarantined": quarantined}


def dedupe_stage(db: Engine, start: dt.date, end: dt.date) -> dict:
    return _incremental(db, "dedupe", start, end, lambda: _dedupe(db, start, end), margin=DEDUPE_MARGIN_DAYS)


def _dedupe(db: Engine, start: dt.date, end: dt.date) -> dict:
    """Mark URL twins, identical texts and syndicated near-copies (searching a week beyond the window); of
    two reports of one day the original is the one with the smaller canonical URL, whatever the crawl order.
    The week before the window only supplies originals, as an earlier run judged them (their own earlier
    context is not read here, so they are not judged again); the window and the week after it are judged.
    The window is streamed a day at a time (NearCopies keeps a week of texts), and each article's MinHash
    and anchors are stored (core.article_signatures) the first time it is seen. An original that contains
    earlier ones is linked to each (core.article_contains)."""
    finder, article_ids, found, contains, missing = NearCopies(), [], {}, {}, []
    for _, day in groupby(load.articles_for_dedupe(db, start, end, DEDUPE_MARGIN_DAYS), key=lambda row: row[4]):
        for article_id, url, canonical, body, published, digest, minhash, anchors, duplicate_of in sorted(
                day, key=lambda row: (row[2], row[0])):  # the order NearCopies takes (Candidate.order)
            if minhash is None:  # hashed once per text, then read back on every run
                grams = shingles(body)
                signed = signature(body, grams)
                missing.append((article_id, digest, signed))
            else:
                grams, signed = None, Signature.stored(minhash, anchors)
            candidate = Candidate(article_id, url, body, published, signed, digest, canonical)
            if published < start:
                if duplicate_of is None:
                    finder.seed(candidate)
                continue
            article_ids.append(article_id)
            verdict = finder.add(candidate, grams)
            if isinstance(verdict, Duplicate):
                found[verdict.article_id] = (verdict.original_id, verdict.kind)
            elif verdict:
                contains[verdict.article_id] = verdict.contains
        if len(missing) >= BATCH:
            load.save_signatures(db, missing)
            missing = []
    load.save_signatures(db, missing)
    changed = load.save_duplicates(db, article_ids, found) + load.save_compilations(db, article_ids, contains)
    return {"articles": len(article_ids), "duplicates": len(found), "compilations": len(contains),
            "changed": changed}


def extract_stage(db: Engine, start: dt.date, end: dt.date) -> dict:
    """Events of each relevant original article, stored with the article (core.articles.extracted)."""
    return _incremental(db, "extract", start, end, lambda: _extract(db, start, end))


def _extract(db: Engine, start: dt.date, end: dt.date) -> dict:
    """The window's articles streamed, their events written BATCH articles at a time."""
    counts, results = {"articles": 0, "events": 0, "changed": 0}, {}
    for article_id, body, published in load.articles_to_extract(db, start, end):
        results[article_id] = [e.as_dict() for e in extract_events(body, published)]
        counts["articles"], counts["events"] = counts["articles"] + 1, counts["events"] + len(results[article_id])
        if len(results) == BATCH:
            counts["changed"], results = counts["changed"] + load.save_extracted(db, results), {}
    counts["changed"] += load.save_extracted(db, results)
    return counts


def load_stage(db: Engine, start: dt.date, end: dt.date) -> dict:
    """Merge the window's extracted events into core.events, linking every reporting article."""
    return _incremental(db, "load", start, end, lambda: _load(db, start, end),
                        nothing={"events_new": 0, "events_merged": 0, "links_new": 0})


def _load(db: Engine, start: dt.date, end: dt.date) -> dict:
    counts = load.load_events(db, start, end)
    return {"events_new": counts.new, "events_merged": counts.merged, "links_new": counts.linked}


class QualityError(ValueError):
    """A data-quality rule found problems in the run's window."""


BLOCKING_GATES = ("articles", "events")  # their rules judge rows that would reach the analysts: load waits


def gate_stage(db: Engine, start: dt.date, end: dt.date, since: dt.datetime,
               gates: tuple[str, ...] = BLOCKING_GATES) -> dict:
    """Raise QualityError when core.quality_problems finds problems of `gates` (the DAG asks the same
    function through common-sql check operators)."""
    problems = load.quality_problems(db, start, end, since, gates)
    if problems:
        raise QualityError("data-quality gate failed:\n" + "\n".join(f"- {p}" for p in problems))
    return {"gates": len(gates), "problems": 0}


def summary_stage(db: Engine, start: dt.date, end: dt.date, run_id: str, started_at: dt.datetime,
                  stages: dict[str, dict | None], failures: list[str] = ()) -> dict:
    """Record the run's summary, with every gate's problems, in core.pipeline_runs; return it.
    `stages` holds the counts of the clean, dedupe and load stages (None for a stage that did not run);
    `failures` what else failed (a crawl): any of them makes the run 'failed'."""
    clean, dedupe, loaded = (stages.get(name) or {} for name in ("clean", "dedupe", "load"))
    problems = load.quality_problems(db, start, end, started_at) + list(failures)
    incomplete = [name for name in ("clean", "dedupe", "load") if stages.get(name) is None]
    summary = {
        "run_id": run_id, "window_start": start, "window_end": end, "started_at": started_at,
        "finished_at": dt.datetime.now(dt.UTC),
        "status": "failed" if problems or incomplete else "passed",
        "pages_fetched": load.pages_fetched_since(db, started_at), "articles_changed": clean.get("changed", 0),
        "duplicates": dedupe.get("duplicates", 0), "events_new": loaded.get("events_new", 0),
        "events_merged": loaded.get("events_merged", 0), "quarantined": clean.get("quarantined", 0),
        "problems": problems + [f"stage {name} did not finish" for name in incomplete],
    }
    load.record_run(db, summary)
    log.info("run summary: %s", {k: v for k, v in summary.items() if k != "run_id"})
    return {k: summary[k] for k in ("status", "pages_fetched", "articles_changed", "duplicates", "events_new",
                                    "events_merged", "quarantined", "problems")}
