"""The pipeline's stages over a date window, shared by the Airflow DAG and `vnru run`.

Each stage reads what the previous one stored, does its work with the pure functions of
etl.clean / etl.templates / etl.dedupe / etl.events.extract, writes through etl.load, and returns small counts
(never page bodies), so the stages can run as separate Airflow tasks and be re-run alone.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

from sqlalchemy import Engine

from etl import load
from etl.clean import CleanError, SiteRules, clean_html
from etl.dedupe import Candidate, canonical_url, content_hash, find_duplicates
from etl.events.extract import extract_events, is_bilateral
from etl.templates import MIN_COUNT, page_fingerprints, strip_template, template_fingerprints
from etl.walls import page_problem

log = logging.getLogger(__name__)
DEDUPE_MARGIN_DAYS = 7


def clean_stage(db: Engine, start: dt.date, end: dt.date, source_ids: list[str] | None = None,
                sites: Mapping[str, SiteRules] | None = None) -> dict:
    """Archived article pages of the window -> core.articles; bad pages -> raw.quarantine with the reason.

    `sites` maps a source id to its page rules (the crawlers' registry); a page of another source is
    cleaned by the generic extractor alone.

    The window's line fingerprints are recorded first, then each site's template lines, learned from
    every page of that site archived so far, are removed from its articles."""
    cleaned, quarantined, seen = [], 0, 0
    for page in load.pages_in_window(db, start, end, source_ids):
        seen += 1
        source = (sites or {}).get(page.source_id)
        problem = page_problem(page.status, page.body)  # an error status, too large, a wall with HTTP 200
        if problem:
            load.quarantine_page(db, page.page_id, problem.stage, problem.reason)
            quarantined += 1
            continue
        try:
            article = clean_html(page.body, url=page.url, source=source)
            published = article.published or page.listed_date
            if published is None:
                raise CleanError("no publication date in the page or its listing")
        except CleanError as error:
            load.quarantine_page(db, page.page_id, "clean", str(error))
            quarantined += 1
            log.warning("quarantined %s: %s", page.url, error)
            continue
        cleaned.append((page, article, published))
    load.save_site_lines(db, [(page.source_id, page.url, page_fingerprints(article)) for page, article, _ in cleaned])
    sites = load.site_line_counts(db, {page.source_id for page, _, _ in cleaned}, MIN_COUNT)
    template = {source_id: template_fingerprints(lines) for source_id, lines in sites.items()}
    rows = []
    for page, article, published in cleaned:
        article = strip_template(article, template[page.source_id])
        if not article.text:
            load.quarantine_page(db, page.page_id, "clean", "nothing left after removing the site template")
            quarantined += 1
            continue
        rows.append({
            "page_id": page.page_id, "source_id": page.source_id, "url": page.url,
            "canonical_url": canonical_url(page.url), "title": article.title, "published": published,
            "updated": article.updated,
            "author": article.author, "language": article.language, "text": article.text,
            "content_hash": content_hash(article.text), "is_relevant": is_bilateral(article.text),
            "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        })
    changed = load.save_articles(db, rows)
    return {"pages": seen, "articles": len(rows), "changed": changed, "quarantined": quarantined}


def dedupe_stage(db: Engine, start: dt.date, end: dt.date) -> dict:
    """Mark URL twins, identical texts and syndicated near-copies (searching a week beyond the window)."""
    rows = load.articles_for_dedupe(db, start, end, DEDUPE_MARGIN_DAYS)
    candidates = [Candidate(article_id, url, body, (published, article_id))
                  for article_id, url, body, published in rows]
    found = find_duplicates(candidates)
    changed = load.save_duplicates(db, [c.article_id for c in candidates],
                                   {d.article_id: (d.original_id, d.kind) for d in found})
    return {"articles": len(candidates), "duplicates": len(found), "changed": changed}


def extract_stage(db: Engine, start: dt.date, end: dt.date) -> dict:
    """Events of each relevant original article, stored with the article (core.articles.extracted)."""
    results = {article_id: [e.as_dict() for e in extract_events(body, published)]
               for article_id, body, published in load.articles_to_extract(db, start, end)}
    changed = load.save_extracted(db, results)
    return {"articles": len(results), "events": sum(map(len, results.values())), "changed": changed}


def load_stage(db: Engine, start: dt.date, end: dt.date) -> dict:
    """Merge the window's extracted events into core.events, linking every reporting article."""
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
