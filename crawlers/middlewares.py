"""Downloader middlewares: robots.txt for concurrent requests, the recorded-page mirror and the per-run request cap.

RobotsTxtMiddleware: Scrapy's, with a fix. In Scrapy 2.19 every request arriving while a site's robots.txt is
being downloaded awaits one shared Deferred; the first waiter takes the parser and the others get None and go
through unchecked (the per-waiter relay was dropped in scrapy/scrapy#6802,
https://github.com/scrapy/scrapy/pull/6802). Here each waiter gets its own relay of the parser.

MirrorMiddleware (setting VNRU_MIRROR, e.g. http://127.0.0.1:8765): a request for https://<source domain>/<path>
is sent to <VNRU_MIRROR>/<source>/<path>; the live URL stays in request.meta['live_url'] so the archive stores
the same URL whether the page came from the site or from the recording. It runs after the robots.txt middleware,
so robots.txt is asked of the live URL, and served from the recording (<source>/robots.txt) like any page.

RequestCapMiddleware (setting VNRU_MAX_REQUESTS): a run sends at most that many requests (robots.txt,
listings, articles, redirects); the rest are dropped, counted in vnru/capped and logged, and the crawl fails.

RetryAfterMiddleware (setting VNRU_RETRY_AFTER_MAX, seconds): Scrapy's RetryMiddleware retries a 429 or 503 at
once, whatever the site asked. A 429 or 503 that carries Retry-After (seconds or an HTTP date) is asked again
here, after that wait, up to RETRY_TIMES; a wait longer than the cap (or a site still refusing after RETRY_TIMES
waits) is not waited for: the response goes to the spider as it is (archived with its status, quarantined by
the clean stage, so the next run asks again), counted in vnru/rate_limited, and the crawl fails naming it.

SizeLimitMiddleware (replaces Scrapy's HttpCompressionMiddleware; limit DOWNLOAD_MAXSIZE): a body over the limit,
announced (Content-Length), received, or once decompressed (a gzip bomb), reaches the spider as the real response
with its status and headers and an empty body, request.meta['vnru_refused'] saying why, instead of Scrapy
dropping the request without a response; the spider archives that metadata so the page is quarantined and not
asked again by every run.
"""

import datetime as dt
import email.utils
import logging
from urllib.parse import urlsplit, urlunsplit

from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured, StopDownload
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.internet.task import deferLater

from crawlers import sources

log = logging.getLogger(__name__)


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    async def robot_parser(self, request):
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            return await super().robot_parser(request)
        mine = Deferred()

        def relay(parser):
            mine.callback(parser)
            return parser  # left in the chain for the next waiter

        pending.addBoth(relay)
        return await maybe_deferred_to_future(mine)


class MirrorMiddleware:
    def __init__(self, mirror: str):
        self.mirror = mirror.rstrip("/")

    @classmethod
    def from_crawler(cls, crawler):
        mirror = crawler.settings.get("VNRU_MIRROR")
        if not mirror:
            raise NotConfigured("VNRU_MIRROR not set: fetching live sites")
        middleware = cls(mirror)
        middleware.crawler = crawler
        return middleware

    def source_for(self, url: str):
        spider_source = getattr(self.crawler.spider, "source", None)
        if spider_source is not None and spider_source.owns(url):
            return spider_source
        return sources.for_url(url)

    def process_request(self, request):
        if request.url.startswith(self.mirror):
            return None
        source = self.source_for(request.url)
        if source is None:
            return None
        parts = urlsplit(request.url)
        query = f"?{parts.query}" if parts.query else ""
        # robots.txt was asked of the live URL already; the mirror's own root has none to ask
        meta = {**request.meta, "live_url": request.meta.get("live_url", request.url), "dont_obey_robotstxt": True}
        return request.replace(url=f"{self.mirror}/{source.name}{parts.path}{query}", meta=meta)


def unmirrored(url: str, mirror: str | None, live_url: str) -> str:
    """The live form of a URL served by the mirror (<mirror>/<source>/<path> -> <live scheme and host>/<path>),
    so that the archive never holds the mirror's random port and identical runs store identical rows."""
    base = (mirror or "").rstrip("/")
    if not base or not url.startswith(base + "/"):
        return url
    path = url[len(base) + 1:].partition("/")[2]  # after <source>/
    live = urlsplit(live_url)
    rest = urlsplit("/" + path)
    return urlunsplit((live.scheme, live.netloc, rest.path, rest.query, rest.fragment))


class RequestCapMiddleware:
    def __init__(self, cap: int, stats):
        self.cap, self.stats, self.sent = cap, stats, 0

    @classmethod
    def from_crawler(cls, crawler):
        cap = crawler.settings.getint("VNRU_MAX_REQUESTS")
        if cap <= 0:
            raise NotConfigured("VNRU_MAX_REQUESTS not set: no cap")
        return cls(cap, crawler.stats)

    def process_request(self, request):
        if request.meta.get("vnru_counted") == request.url:  # the same request again (a redirect is a new URL)
            return None
        if self.sent >= self.cap:
            self.stats.inc_value("vnru/capped")
            raise IgnoreRequest(f"request cap of {self.cap} per run reached: {request.url}")
        self.sent += 1
        request.meta["vnru_counted"] = request.url
        return None



def note(stats, key: str, url: str, shown: int = 5) -> None:
    """Count one more `key` and keep the first URLs in `key`_urls (the crawl's failure names them)."""
    stats.inc_value(key)
    urls = (stats.get_value(f"{key}_urls") or "").split()
    if url not in urls and len(urls) < shown:
        stats.set_value(f"{key}_urls", " ".join([*urls, url]))


def retry_after(value: bytes | None, now: dt.datetime | None = None) -> float | None:
    """Seconds a Retry-After header value asks to wait (delay-seconds or an HTTP date); None if unreadable."""
    if not value:
        return None
    value = value.decode("latin-1").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


class RetryAfterMiddleware:
    CODES = (429, 503)

    def __init__(self, cap: float, times: int, stats):
        self.cap, self.times, self.stats = cap, times, stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getfloat("VNRU_RETRY_AFTER_MAX"), crawler.settings.getint("RETRY_TIMES"),
                   crawler.stats)

    async def process_response(self, request, response):
        if response.status not in self.CODES or request.meta.get("dont_retry"):
            return response
        wait = retry_after(response.headers.get("Retry-After"))
        if wait is None:
            return response  # no Retry-After: Scrapy's RetryMiddleware decides
        waited = request.meta.get("vnru_retry_after", 0)
        if wait > self.cap or waited >= self.times:
            request.meta["dont_retry"] = True  # not asked again in this run: archived as it is, asked next run
            why = f"Retry-After {wait:g} s over the cap of {self.cap:g} s" if wait > self.cap else \
                f"still {response.status} after {waited} waits"
            log.warning("gave up on %s for this run: HTTP %d, %s", request.url, response.status, why)
            note(self.stats, "vnru/rate_limited", request.meta.get("live_url", request.url))
            return response
        from twisted.internet import reactor  # the crawl's reactor, installed by then (not at import)

        self.stats.inc_value("vnru/retry_after_waits")
        await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        again = request.replace(dont_filter=True)
        again.meta["vnru_retry_after"] = waited + 1
        return again


class SizeLimitMiddleware(HttpCompressionMiddleware):
    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.headers_received, signal=signals.headers_received)
        crawler.signals.connect(middleware.bytes_received, signal=signals.bytes_received)
        return middleware

    def _limit(self, request) -> int:
        return request.meta.get("download_maxsize", self._max_size)

    @staticmethod
    def _refuse(request, reason: str):
        request.meta["vnru_refused"] = reason
        request.meta["dont_cache"] = True  # an empty stand-in is no listing to revalidate later
        raise StopDownload(fail=False)

    def headers_received(self, headers, body_length, request, spider):
        request.meta["vnru_received"] = 0  # each download (a retry too) is counted from its own first byte
        limit = self._limit(request)
        if limit and isinstance(body_length, int) and body_length > limit:
            self._refuse(request, f"larger than the limit of {limit} bytes (Content-Length {body_length})")

    def bytes_received(self, data, request, spider):
        received = request.meta["vnru_received"] = request.meta.get("vnru_received", 0) + len(data)
        limit = self._limit(request)
        if limit and received > limit:
            self._refuse(request, f"larger than the limit of {limit} bytes (over {limit} bytes received)")

    def process_response(self, request, response, spider=None):
        if not request.meta.get("vnru_refused"):
            try:
                return super().process_response(request, response)
            except IgnoreRequest as error:
                if not isinstance(error.__cause__, _DecompressionMaxSizeExceeded):
                    raise
                request.meta["vnru_refused"] = (f"larger than the limit of {self._limit(request)} bytes once "
                                                f"decompressed ({len(response.body)} bytes compressed)")
        headers = response.headers.copy()
        headers.pop(b"Content-Encoding", None)
        return response.replace(body=b"", headers=headers)
