"""Article requests that Scrapy drops without an error are counted, so the crawl fails instead of passing."""

import datetime as dt
from types import SimpleNamespace

from scrapy import Request
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from crawlers.extensions import Unanswered
from crawlers.items import FetchedPage


def parse_article(response):  # the spider's article callback, by name
    return None


def parse_feed(response):
    return None


def test_an_article_request_without_an_archived_page_is_counted_unanswered():
    stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))
    extension = Unanswered(stats)
    live = "https://tass.com/politics/1"
    mirrored = Request("http://127.0.0.1:5/tass/politics/1", callback=parse_article, meta={"live_url": live})
    hop = Request("http://127.0.0.1:5/tass/politics/1/loop1", callback=parse_article,
                  meta={"live_url": live, "redirect_urls": [mirrored.url]})
    extension.scheduled(Request("https://tass.com/rss/v2.xml", callback=parse_feed), None)
    extension.scheduled(mirrored, None)
    extension.scheduled(hop, None)  # a redirect hop is the same article
    extension.scheduled(Request("https://tass.com/politics/2", callback=parse_article), None)
    assert stats.get_value("vnru/unanswered") == 2
    page = FetchedPage("tass", "article", "https://tass.com/politics/2", "https://tass.com/politics/2", 200, {},
                       dt.datetime.now(dt.UTC), b"<html></html>")
    extension.scraped(page, None, None)
    assert stats.get_value("vnru/unanswered") == 1 and stats.get_value("vnru/unanswered_urls") == live
