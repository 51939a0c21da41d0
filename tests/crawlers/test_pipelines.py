"""The archive stores the live form of where the bytes came from: never the recorded-pages server's port."""

import datetime as dt
from types import SimpleNamespace

from crawlers import pipelines
from crawlers.items import FetchedPage
from crawlers.middlewares import unmirrored


def test_unmirrored_maps_a_mirror_url_back_to_the_live_host():
    live = "https://tass.com/politics/1806207"
    assert unmirrored("http://127.0.0.1:41873/tass/politics/1806207?p=2", "http://127.0.0.1:41873", live) == (
        "https://tass.com/politics/1806207?p=2")
    assert unmirrored("http://127.0.0.1:41873/tass/world/9", "http://127.0.0.1:41873/", live) == (
        "https://tass.com/world/9")  # a redirect inside the mirror keeps its own path
    assert unmirrored(live, "http://127.0.0.1:41873", live) == live
    assert unmirrored("https://tass.com/x", None, live) == "https://tass.com/x"


def test_two_crawls_through_mirrors_on_different_ports_archive_the_same_row(monkeypatch):
    archived = []
    monkeypatch.setattr(pipelines.load, "archive_page", lambda db, item: archived.append(item.final_url) or True)
    for port in (41873, 52011):
        mirror = f"http://127.0.0.1:{port}"
        pipeline = pipelines.ArchivePipeline()
        pipeline.engine = None
        pipeline.crawler = SimpleNamespace(settings={"VNRU_MIRROR": mirror},
                                           stats=SimpleNamespace(inc_value=lambda key: None))
        pipeline.process_item(FetchedPage("tass", "article", "https://tass.com/politics/1806207",
                                          f"{mirror}/tass/politics/1806207", 200, {}, dt.datetime.now(dt.UTC), b"x"))
    assert archived == ["https://tass.com/politics/1806207"] * 2
