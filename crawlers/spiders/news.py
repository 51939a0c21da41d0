"""NewsSpider: the articles a source lists for a date window, found through its sitemaps, feeds, date archives and
topic pages, fetched only when worth it, each response archived raw by crawlers.pipelines.ArchivePipeline.

Listings are read first; an article is requested when the spider falls idle, once every listing that names it
has been read, so all they say of it (news-sitemap title and keywords, feed title and description, URL slug, the
site's Vietnam–Russia topic page) is weighed together by crawlers.relevance. Targeted (the default), a page whose
listings name at most one side is not fetched; one the listings say nothing about is. A fetched page is scored
again on its body; the score, its evidence and which parsing path worked (site selectors or generic) are
archived with it, and a page found irrelevant is never fetched again, even with refetch.

Arguments (-a): source, start, end (YYYY-MM-DD, inclusive), refetch=1 to fetch archived URLs again,
targeted=0 to fetch every listed article, stats_file=PATH to write the crawl's counters as JSON when it closes.
(A source outside the registry, such as the benchmark's simulated site, is named 'module:ATTRIBUTE'.)
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from collections import defaultdict
from urllib.parse import urljoin

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from crawlers import listings, parsing, relevance, sources
from crawlers.items import FetchedPage
from crawlers.middlewares import note
from crawlers.sources import base
from etl.clean import CleanError, clean_html

FALSE = ("0", "", "false", "False", "no")


def resolve_source(name: str) -> base.Source:
    """A registered source by name, or 'package.module:ATTRIBUTE' for one defined elsewhere."""
    if ":" in name:
        module, attribute = name.split(":", 1)
        return getattr(importlib.import_module(module), attribute)
    return sources.get(name)


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, source: str, start: str, end: str, refetch: str = "0", targeted: str = "1",
                 stats_file: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.source = resolve_source(source)
        self.start_date, self.end_date = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        if self.start_date > self.end_date:
            raise ValueError(f"start {start} is after end {end}")
        self.refetch = refetch not in FALSE
        self.targeted = targeted not in FALSE
        self.stats_file = stats_file
        self.archived_urls: set[str] = set()  # filled by ArchivePipeline.open_spider
        self.irrelevant_urls: set[str] = set()  # archived and scored irrelevant: never fetched again
        self.candidates: dict[str, list[listings.Listed]] = defaultdict(list)
        self.decided: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.schedule_articles, signal=signals.spider_idle)
        return spider

    def in_window(self, day: dt.date | None) -> bool:
        return day is not None and self.start_date <= day <= self.end_date

    async def start(self):
        for entry in self.source.discovery:
            if isinstance(entry, base.Sitemap):
                yield self.listing(entry.url, self.parse_sitemap)
            elif isinstance(entry, base.RSSFeed):
                yield self.listing(entry.url, self.parse_feed)
            elif isinstance(entry, base.TopicPage):
                yield self.listing(entry.url, self.parse_topic, topic=entry, page=1)
            else:
                day = self.start_date
                while day <= self.end_date:
                    yield self.listing(entry.url_for(day), self.parse_archive, day=day)
                    day += dt.timedelta(days=1)

    @staticmethod
    def listing(url: str, callback, **cb_kwargs) -> scrapy.Request:
        """A listing request: cached (HTTP cache, revalidated with If-None-Match / If-Modified-Since)."""
        return scrapy.Request(url, callback=callback, cb_kwargs=cb_kwargs, meta={"listing": True})

    def parse_sitemap(self, response):
        yield self.archived(response, "sitemap")
        if self.broken(response):
            return
        kind, entries = listings.parse_sitemap(response.body)
        for entry in entries:
            if kind == "sitemapindex":
                period = listings.url_period(entry.url)  # a child named by its month or day
                if (entry.day is None or entry.day >= self.start_date) and (
                        period is None or (period[1] >= self.start_date and period[0] <= self.end_date)):
                    yield self.listing(entry.url, self.parse_sitemap)
            else:
                self.consider(entry)

    def parse_feed(self, response):
        yield self.archived(response, "feed")
        if not self.broken(response):
            for entry in listings.parse_feed(response.body):
                self.consider(entry)

    def parse_archive(self, response, day: dt.date):
        yield self.archived(response, "archive")
        if not self.broken(response):
            for entry in listings.parse_links(response.body, self.live_url(response), day=day):
                self.consider(entry)

    def parse_topic(self, response, topic: base.TopicPage, page: int):
        """A topic page lists its articles newest first: the next page is read unless this one reached articles
        older than the window."""
        yield self.archived(response, "archive")
        if self.broken(response):
            return
        entries = [e for e in listings.parse_links(response.body, self.live_url(response), topic=True)
                   if self.source.owns(e.url) and self.source.is_article(e.url)]
        for entry in entries:
            self.consider(entry, undated_ok=True)
        older = any(e.day and e.day < self.start_date for e in entries)
        following = response.css(topic.next_selector).get()
        if entries and following and not older and page < topic.max_pages:
            yield self.listing(urljoin(self.live_url(response), following), self.parse_topic, topic=topic,
                               page=page + 1)

    def consider(self, entry: listings.Listed, undated_ok: bool = False):
        """Note a listed article of the window (tracking parameters dropped) with what the listing says of it."""
        url = base.request_url(entry.url) if self.source.owns(entry.url) else None
        if url and self.source.is_article(url) and (self.in_window(entry.day) or (undated_ok and entry.day is None)):
            self.candidates[url].append(entry)

    def schedule_articles(self):
        """At idle: request each candidate not yet decided, unless archived, known irrelevant or, targeted,
        judged irrelevant by its listings."""
        stats, scheduled = self.crawler.stats, 0
        for url in [u for u in self.candidates if u not in self.decided]:
            self.decided.add(url)
            entries = self.candidates[url]
            if url in self.irrelevant_urls:
                stats.inc_value("vnru/skipped_irrelevant_archived")
                continue
            if url in self.archived_urls and not self.refetch:
                stats.inc_value("vnru/skipped_archived")
                continue
            judged = relevance.listing_relevance(entries)
            if self.targeted and not judged.worth_fetching:
                stats.inc_value("vnru/skipped_by_listing")
                continue
            day = next((e.day for e in entries if e.day), None)
            self.crawler.engine.crawl(scrapy.Request(
                url, callback=self.parse_article, cb_kwargs={"listed": day, "before": judged},
                meta={"dont_cache": True}))
            scheduled += 1
        if scheduled:
            raise DontCloseSpider

    def parse_article(self, response, listed: dt.date | None, before: relevance.Relevance):
        page = self.archived(response, "article", listed)
        if response.status == 200 and response.body and not page.refused:
            parsed = parsing.parse_page(response.body, self.source, listed)
            page.listed_date = listed or parsed.published
            try:
                text = clean_html(response.body, url=page.url, source=self.source).text
            except CleanError as error:
                text = ""
                self.logger.info("no text in %s: %s", page.url, error)
            after = relevance.body_relevance(text)
            page.parsed_by, page.selectors_found = parsed.path, parsed.found
            page.relevance = after.score
            page.relevance_evidence = {"listing": list(before.evidence), "listing_score": before.score,
                                       "body": list(after.evidence)}
            self.crawler.stats.inc_value("vnru/relevant" if after.score else "vnru/irrelevant")
            self.crawler.stats.inc_value(f"vnru/parsed_by_{parsed.path}")
        yield page

    @staticmethod
    def live_url(response) -> str:
        """The URL asked of the site (links of a mirrored page are relative to it, not to the mirror)."""
        return response.meta.get("live_url") or (response.meta.get("redirect_urls") or [response.url])[0]

    @staticmethod
    def broken(response) -> bool:
        """A server error or an empty page (a body refused for its size arrives empty): archived like any
        response, counted, and not parsed."""
        return response.status >= 500 or (response.status < 300 and not response.body)

    def archived(self, response, kind: str, listed: dt.date | None = None) -> FetchedPage:
        """The response as an archive item (articles with an error status are quarantined by the clean stage);
        a broken one is counted so that the crawl fails, and so is one refused for its size
        (crawlers.middlewares.SizeLimitMiddleware), archived without its body and with the reason."""
        self.crawler.stats.inc_value(f"vnru/{kind}")
        url, refused = self.live_url(response), response.meta.get("vnru_refused")
        if refused:
            note(self.crawler.stats, "vnru/refused", url)
            self.logger.warning("refused for its size: %s %s: %s", response.status, url, refused)
        elif self.broken(response):
            self.crawler.stats.inc_value("vnru/broken")
            self.logger.warning("broken response: %s %s (%d bytes)", response.status, response.url,
                                len(response.body))
        return FetchedPage(
            source_id=self.source.name, kind=kind, url=url, final_url=response.url,
            status=response.status,
            headers={k.decode(): b", ".join(v).decode("latin-1") for k, v in response.headers.items()},
            fetched_at=dt.datetime.now(dt.UTC), body=b"" if refused else response.body, listed_date=listed,
            refused=refused,
        )

    def closed(self, reason):
        if self.stats_file:
            stats = {k: v for k, v in self.crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
            with open(self.stats_file, "w") as fh:
                json.dump({"reason": reason, **stats}, fh)
