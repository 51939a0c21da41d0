"""`vnru sources check` on the recordings: a source passes; the same source after a 'redesign' does not."""

import dataclasses

from crawlers import check
from crawlers.sources import SOURCES


def test_recorded_source_passes_every_field():
    tass = SOURCES["tass"]
    report = check.check(tass, check.recorded_fetch(tass), limit=3)
    assert report.ok and report.pages == 3
    assert report.found == {"title": 3, "date": 3, "lead": 3, "body": 3}


def test_a_redesigned_site_is_reported_field_by_field():
    redesigned = dataclasses.replace(SOURCES["tass"], body_selector="div.article-body", lead_selector="div.standfirst")
    report = check.check(redesigned, check.recorded_fetch(SOURCES["tass"]), limit=2)
    assert not report.ok
    assert report.found == {"title": 2, "date": 2, "lead": 0, "body": 0} and len(report.fell_back) == 2
