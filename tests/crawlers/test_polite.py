"""Polite by default: the settings every live crawl starts from, and the per-run request cap."""

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from crawlers import settings
from crawlers.middlewares import MirrorMiddleware, RequestCapMiddleware, RobotsTxtMiddleware


def test_live_defaults_are_polite():
    assert settings.ROBOTSTXT_OBEY is True
    assert settings.CONTACT_URL in settings.USER_AGENT and settings.USER_AGENT.startswith("vnru/")
    assert settings.AUTOTHROTTLE_ENABLED and settings.CONCURRENT_REQUESTS_PER_DOMAIN <= 2
    assert settings.HTTPCACHE_ENABLED and settings.HTTPCACHE_POLICY.endswith("RFC2616Policy")
    assert settings.VNRU_MAX_REQUESTS > 0
    order = settings.DOWNLOADER_MIDDLEWARES
    assert order["crawlers.middlewares.MirrorMiddleware"] > 100  # after RobotsTxtMiddleware: robots of the live URL


def test_the_request_cap_drops_what_exceeds_it_and_counts_it():
    stats = MemoryStatsCollector(get_crawler())
    cap = RequestCapMiddleware(2, stats)
    first, second = Request("https://tass.com/a"), Request("https://tass.com/b")
    assert cap.process_request(first) is None and cap.process_request(second) is None
    assert cap.process_request(first) is None  # the same request again (re-scheduled) is not counted twice
    with pytest.raises(IgnoreRequest):
        cap.process_request(Request("https://tass.com/c"))
    assert stats.get_value("vnru/capped") == 1


def test_the_mirror_serves_robots_txt_and_keeps_the_query():
    crawler = get_crawler(settings_dict={"VNRU_MIRROR": "http://127.0.0.1:1"})
    mirror = MirrorMiddleware.from_crawler(crawler)
    robots = mirror.process_request(Request("https://tass.com/robots.txt"))
    assert robots.url == "http://127.0.0.1:1/tass/robots.txt"
    assert robots.meta["live_url"] == "https://tass.com/robots.txt"
    assert robots.meta["dont_obey_robotstxt"]  # asked of the live URL already
    assert mirror.process_request(Request("https://tass.com/tag/x?page=2")).url == "http://127.0.0.1:1/tass/tag/x?page=2"


def test_every_request_waiting_for_robots_txt_gets_the_parser(monkeypatch):
    monkeypatch.setattr("crawlers.middlewares.maybe_deferred_to_future", lambda d: d)  # no reactor here
    middleware = RobotsTxtMiddleware(get_crawler(settings_dict={"ROBOTSTXT_OBEY": True}))
    middleware._parsers["tass.com"] = pending = Deferred()
    waiting = [Deferred.fromCoroutine(middleware.robot_parser(Request(f"https://tass.com/{i}"))) for i in range(3)]
    parser = object()
    pending.callback(parser)
    assert [w.result for w in waiting] == [parser] * 3
