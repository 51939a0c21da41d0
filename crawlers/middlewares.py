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
"""

from urllib.parse import urlsplit, urlunsplit

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawlers import sources


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

