"""The simulated site behaves like the sites it stands for: proportions, listings, redirects, robots.txt and
conditional requests (a month of a small site; the year is measured by python -m bench.crawl)."""

import datetime as dt
import urllib.error
import urllib.request

import pytest

from bench import simsite
from crawlers.listings import parse_feed, parse_sitemap


@pytest.fixture(scope="module")
def site():
    site = simsite.Site(simsite.generate(dt.date(2025, 1, 1), 1, per_month=2000, relevant_share=0.02))
    server, url = simsite.serve(site)
    yield site, url + "/simnews"
    server.shutdown()


def get(url: str, **headers) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, b"", dict(error.headers)


def test_a_month_of_articles_with_a_small_relevant_share(site):
    articles = site[0].articles
    assert len(articles) == 2000 and all(a.day.month == 1 for a in articles)
    assert 0.01 < sum(a.relevant for a in articles) / len(articles) < 0.03


def test_listings_are_news_sitemaps_and_a_feed_with_tracking_links(site):
    _, base = site
    kind, months = parse_sitemap(get(base + "/sitemap.xml")[1])
    assert kind == "sitemapindex" and [m.url for m in months] == ["https://simnews.example/sitemaps/2025-01.xml"]
    kind, entries = parse_sitemap(get(base + "/sitemaps/2025-01.xml")[1])
    assert len(entries) == 2000 and all(e.title and e.day for e in entries)
    assert all("utm_source=rss" in e.url for e in parse_feed(get(base + "/rss/latest.rss")[1]))


def test_conditional_requests_moved_articles_and_robots(site):
    data, base = site
    status, _, headers = get(base + "/sitemap.xml")
    assert status == 200 and get(base + "/sitemap.xml", **{"If-None-Match": headers["ETag"]})[0] == 304
    moved = next(a for a in data.articles if a.moved)
    assert get(base + moved.listed_path)[0] == 200  # followed to the new address
    assert data.log[-2][1] == 301
    assert b"Disallow: /search" in get(base + "/robots.txt")[1]
