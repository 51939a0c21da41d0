"""The fault matrix's own arithmetic and fault makers: how `lost` and `duplicated` are counted, how a kept
article's text is described, and that the encoding faults serve what their names say."""

from bench import reliability
from etl.walls import REFETCH_STAGE, page_problem


def state(**changes) -> dict:
    return {"articles": {"a", "b"}, "article_rows": 2, "events": 3, "event_sources": 4, "page_dupes": 0,
            "target_pages": 1, "quarantine": None, "target_text": "Putin and To Lam held talks.",
            "status": "passed"} | changes


def test_lost_and_duplicated_count_rows_against_the_fault_free_run():
    assert reliability.losses(state(), state()) == (0, 0)
    assert reliability.losses(state(), state(articles={"a"}, article_rows=1, events=2, event_sources=3)) == (3, 0)
    assert reliability.losses(state(), state(article_rows=3, events=4, page_dupes=1)) == (0, 3)


def test_a_kept_article_with_replaced_bytes_or_mojibake_is_described_so():
    assert reliability.describe(None, state(target_text="th\ufffd talks and th\ufffd visit")).startswith(
        "article kept with 2 replacement characters where bytes were bad; run passed")
    assert "garbled (mojibake)" in reliability.describe(None, state(target_text="Itâ€™s"))
    assert reliability.describe("CrawlFailed: x", state(quarantine=("refused", "refused for its size"))) == \
        "quarantined (refused): refused for its size; run passed (CrawlFailed: x)"


class Served:
    """Stands in for the fault server's handler: keeps what a fault sends."""

    def send(self, status, body, headers=None, length=None):
        self.status, self.body, self.headers = status, body, headers or {}


def test_the_encoding_faults_damage_the_page_throughout_or_in_two_places():
    served = {}
    for name, respond in reliability.FETCH_FAULTS:
        if "UTF-8 page" in name:
            handler = Served()
            assert respond(handler, 1)
            served[name] = handler.body
    broken, stray = served["broken UTF-8 bytes in a UTF-8 page"], served["two stray bad bytes in a UTF-8 page"]
    assert page_problem(200, broken).stage == REFETCH_STAGE
    assert page_problem(200, stray) is None
    assert stray.count(b"\xe9") == 2 and b"\xff" not in stray
