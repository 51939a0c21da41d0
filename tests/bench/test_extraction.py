"""The AEB extraction benchmark: its metric's edge rules, and vnru's F1 held above the floor pinned in the repo."""

import gzip
import hashlib
import json

import pytest

from bench import extraction
from bench.extraction import page_counts, run, run_checks, score
from etl import settings
from tests.conftest import shared_path

FLOOR = json.loads((settings.PROJECT_ROOT / "bench" / "aeb_floor.json").read_text())


def test_shingle_counts_are_multisets_normalised_per_page():
    truth = "one two three four five one two three four"
    assert page_counts(truth, truth) == (1.0, 0.0, 0.0)
    tp, fp, fn = page_counts(truth, "one two three four five six")
    assert (tp, fp, fn) == pytest.approx((2 / 7, 1 / 7, 4 / 7))
    assert page_counts("", "") == (0.0, 0.0, 0.0)


def test_empty_prediction_is_left_out_of_precision_and_scores_zero_recall():
    truth = "the two sides signed a plan"
    result = score("x", [page_counts(truth, truth), page_counts(truth, "")], seconds=1.0)
    assert (result.precision, result.recall) == (1.0, 0.5)
    assert result.f1 == pytest.approx(2 / 3)


def test_vnru_f1_on_aeb_stays_above_the_pinned_floor():
    truth = shared_path("bench", "aeb", "ground-truth.json")
    assert hashlib.sha256(truth.read_bytes()).hexdigest() == FLOOR["ground_truth_sha256"], \
        "the benchmark data changed: re-measure with python -m bench.extraction and update bench/aeb_floor.json"
    result = run(truth.parent, names=("vnru",))["vnru"]
    assert result.f1 >= FLOOR["f1_floor"], f"F1 {result.f1:.4f} fell below the floor {FLOOR['f1_floor']}"
    assert result.precision >= FLOOR["precision_floor"], f"precision {result.precision:.4f} fell below the floor"


def test_vnru_keeps_and_drops_at_least_what_trafilatura_does_on_the_check_set():
    checks = run_checks()
    vnru, plain = checks["vnru"], checks["trafilatura"]
    assert vnru.wanted == plain.wanted > 0 and vnru.clutter == plain.clutter > 0
    assert (vnru.kept, vnru.dropped) >= (plain.kept, plain.dropped), vnru.failures
    assert vnru.kept + vnru.dropped > plain.kept + plain.dropped, f"no lead over trafilatura: {plain.failures}"


def test_the_extractor_going_first_alternates_page_by_page(tmp_path, monkeypatch):
    (tmp_path / "html").mkdir()
    truth = {f"p{i}": {"articleBody": f"page {i} text"} for i in range(4)}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    for key in truth:
        (tmp_path / "html" / f"{key}.html.gz").write_bytes(gzip.compress(b"<html><body><p>x</p></body></html>"))
    calls = []
    monkeypatch.setattr(extraction, "EXTRACTORS", {name: (lambda html, name=name: calls.append(name) or "")
                                                   for name in ("a", "b")})
    run(tmp_path, names=("a", "b"))
    assert calls == ["a", "b", "b", "a", "a", "b", "b", "a"]
