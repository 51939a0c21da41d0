"""NewsSpider: every article a source lists for a date window, found through its sitemaps, RSS feeds
and date-addressed archives, each response archived raw by crawlers.pipelines.ArchivePipeline.

Arguments (-a): source, start, end (YYYY-MM-DD, inclusive), refetch=1 to fetch archived URLs again,
stats_file=PATH to write the crawl's counters as JSON when it closes.
"""

from __future__ import annotations

import datetime as dt
import json
from email.utils import parsedate_to_datetime

import scrapy
from scrapy.utils.sitemap import Sitemap as SitemapDocument

from crawlers import sources
from crawlers.items import FetchedPage


def _iso_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(text.strip()[:10])
        except ValueError:
            return None


def _rfc822_date(text: str | None) -> dt.date | None:
    try:
        return parsedate_to_datetime(text.strip()).date() if text else None
    except (TypeError, ValueError):
        return None


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, source: str, start: str, end: str, refetch: str = "0", stats_file: str | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.source = sources.get(source)
        self.start_date, self.end_date = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        if self.start_date > self.end_date:
            raise ValueError(f"start {start} is after end {end}")
        self.refetch = refetch not in ("0", "", "false", "False")
        self.stats_file = stats_file
        self.archived_urls: set[str] = set()  # filled by ArchivePipeline.open_spider

    def in_window(self, day: dt.date | None) -> bool:
        return day is not None and self.start_date <= day <= self.end_date

    async def start(self):
        for entry in self.source.discovery:
            if isinstance(entry, sources.Sitemap):
                yield scrapy.Request(entry.url, callback=self.parse_sitemap)
            elif isinstance(entry, sources.RSSFeed):
                yield scrapy.Request(entry.url, callback=self.parse_feed)
            else:
                day = self.start_date
                while day <= self.end_date:
                    yield scrapy.Request(entry.url_for(day), callback=self.parse_archive, cb_kwargs={"day": day})
                    day += dt.timedelta(days=1)

    def parse_sitemap(self, response):
        yield self.archived(response, "sitemap")
        if self.broken(response):
            return
        document = SitemapDocument(response.body)
        for entry in document:
            listed = _iso_date(entry.get("lastmod"))
            if document.type == "sitemapindex":
                if listed is None or listed >= self.start_date:
                    yield scrapy.Request(entry["loc"], callback=self.parse_sitemap)
            elif self.in_window(listed):
                yield from self.follow_article(entry["loc"], listed)

    def parse_feed(self, response):
        yield self.archived(response, "feed")
        if self.broken(response):
            return
        for item in response.xpath("//item"):
            listed = _rfc822_date(item.xpath("pubDate/text()").get())
            if self.in_window(listed):
                yield from self.follow_article(item.xpath("link/text()").get("").strip(), listed)

    def parse_archive(self, response, day: dt.date):
        yield self.archived(response, "archive")
        if self.broken(response):
            return
        for href in response.css("a::attr(href)").getall():
            yield from self.follow_article(response.urljoin(href), day)

    def follow_article(self, url: str, listed: dt.date):
        if not (self.source.owns(url) and self.source.is_article(url)):
            return
        if url in self.archived_urls and not self.refetch:
            self.crawler.stats.inc_value("vnru/skipped_archived")
            return
        yield scrapy.Request(url, callback=self.parse_article, cb_kwargs={"listed": listed})

    def parse_article(self, response, listed: dt.date):
        yield self.archived(response, "article", listed)

    @staticmethod
    def broken(response) -> bool:
        """A server error or an empty page: archived like any response, counted, and not parsed."""
        return response.status >= 500 or (response.status < 300 and not response.body)

    def archived(self, response, kind: str, listed: dt.date | None = None) -> FetchedPage:
        """The response as an archive item (articles with an error status are quarantined by the clean stage);
        a broken one is counted so that the crawl fails."""
        self.crawler.stats.inc_value(f"vnru/{kind}")
        if self.broken(response):
            self.crawler.stats.inc_value("vnru/broken")
            self.logger.warning("broken response: %s %s (%d bytes)", response.status, response.url,
                                len(response.body))
        live_url = response.meta.get("live_url") or (response.meta.get("redirect_urls") or [response.url])[0]
        return FetchedPage(
            source_id=self.source.name, kind=kind, url=live_url, final_url=response.url,
            status=response.status,
            headers={k.decode(): b", ".join(v).decode("latin-1") for k, v in response.headers.items()},
            fetched_at=dt.datetime.now(dt.UTC), body=response.body, listed_date=listed,
        )

    def closed(self, reason):
        if self.stats_file:
            stats = {k: v for k, v in self.crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
            with open(self.stats_file, "w") as fh:
                json.dump({"reason": reason, **stats}, fh)
