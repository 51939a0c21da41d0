"""The event benchmark: its scoring rule and cause labels, and the dev-corpus score held above a pinned floor."""

import datetime as dt

from bench.events import Score, run_dev, score_article
from etl.events.extract import Event, Participant
from tests.conftest import shared_path

# a little below what `python -m bench.events --dev` measured on each part when last pinned
DEV_FLOOR = {"all": {"f1": 0.89, "precision": 0.89, "date_accuracy": 0.98},
             "odd": {"f1": 0.90, "precision": 0.90, "date_accuracy": 0.99},
             "even": {"f1": 0.87, "precision": 0.88, "date_accuracy": 0.96}}


def _event(kind: str, day: str, vn: str, ru: str) -> Event:
    date = dt.date.fromisoformat(day)
    return Event(kind, date, date, (Participant(vn, "VN"), Participant(ru, "RU")), "")


def _gold(kind: str, start: str, end: str, vn: list[str], ru: list[str], required: bool = True) -> dict:
    return {"type": kind, "start": start, "end": end, "vn": vn, "ru": ru, "required": required}


def test_scoring_counts_a_misdated_event_against_date_accuracy_and_labels_causes():
    gold = [_gold("talks", "2020-01-02", "2020-01-02", ["A"], ["B"]),
            _gold("agreement", "2020-01-02", "2020-01-02", ["A"], []),
            _gold("visit", "2020-01-01", "2020-01-03", [], ["B"], required=False)]
    predicted = [_event("meeting", "2020-01-02", "A", "B"), _event("agreement", "2020-01-05", "A", "B"),
                 _event("phone_call", "2020-01-02", "A", "C")]
    score = Score()
    score_article(predicted, gold, score, "x")
    assert (score.predicted, score.correct, score.required, score.found) == (3, 1, 2, 1)
    assert score.date_accuracy == 0.5  # the agreement was found by type and people, but dated wrong
    assert score.misses == ["x: agreement 2020-01-02..2020-01-02 VN=['A'] RU=[]  [date]"]
    assert [line.rsplit("[", 1)[1] for line in score.false_events] == ["date]", "trigger (wrong type)]"]


def test_dev_corpus_score_stays_above_the_pinned_floor():
    dev = shared_path("eval", "dev", "cases.json").parent
    scores, _ = run_dev(dev)
    for half, floors in DEV_FLOOR.items():
        score = scores[half]
        measured = {"f1": score.f1, "precision": score.precision, "date_accuracy": score.date_accuracy}
        assert all(measured[k] >= floor for k, floor in floors.items()), f"{half}: {measured} below {floors}"
