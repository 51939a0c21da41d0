"""Unanswered: article URLs the spider asked for that never came back as an archived page.

Scrapy drops some requests without an error: a redirect loop (after REDIRECT_MAX_TIMES), a body that
expands beyond DOWNLOAD_MAXSIZE. The crawl then looks clean while an article is missing. This extension
counts them (stats vnru/unanswered, with the first URLs in vnru/unanswered_urls) so that crawlers.run fails
the crawl, and the run is recorded as failed; the URLs are not archived, so the next run asks again.
"""

from scrapy import signals

from crawlers.items import FetchedPage


def original_url(request) -> str:
    """The live URL a request stands for, through mirroring and redirects (as the spider archives it)."""
    return request.meta.get("live_url") or (request.meta.get("redirect_urls") or [request.url])[0]


class Unanswered:
    def __init__(self, stats):
        self.stats = stats
        self.asked: set[str] = set()
        self.got: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(extension.scraped, signal=signals.item_scraped)
        return extension

    def scheduled(self, request, spider):
        if getattr(request.callback, "__name__", None) == "parse_article":
            self.asked.add(original_url(request))
            self._count()

    def scraped(self, item, response, spider):
        if isinstance(item, FetchedPage) and item.kind == "article":
            self.got.add(item.url)
            self._count()

    def _count(self):
        missing = sorted(self.asked - self.got)
        self.stats.set_value("vnru/unanswered", len(missing))
        self.stats.set_value("vnru/unanswered_urls", " ".join(missing[:5]))
