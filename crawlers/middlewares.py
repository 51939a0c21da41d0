"""Downloader middlewares: the recorded-page mirror and the per-run request cap.

MirrorMiddleware (setting VNRU_MIRROR, e.g. http://127.0.0.1:8765): a request for https://<source domain>/<path>
is sent to <VNRU_MIRROR>/<source>/<path>; the live URL stays in request.meta['live_url'] so the archive stores
the same URL whether the page came from the site or from the recording. It runs after the robots.txt middleware,
so robots.txt is asked of the live URL, and served from the recording (<source>/robots.txt) like any page.

RequestCapMiddleware (setting VNRU_MAX_REQUESTS): a run sends at most that many requests (robots.txt,
listings, articles, redirects); the rest are dropped, counted in vnru/capped and logged, and the crawl fails.
"""

from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawlers import sources


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
        meta = {**request.meta, "live_url": request.meta.get("live_url", request.url)}
        return request.replace(url=f"{self.mirror}/{source.name}{parts.path}{query}", meta=meta)


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

