"""MirrorMiddleware: fetch a source's live URLs from a server of recorded pages instead.

Setting VNRU_MIRROR (e.g. http://127.0.0.1:8765): a request for https://<source domain>/<path>
is sent to <VNRU_MIRROR>/<source>/<path>; the live URL stays in request.meta['live_url'] so the
archive stores the same URL whether the page came from the site or from the recording.
"""

from urllib.parse import urlsplit, urlunsplit

from scrapy.exceptions import NotConfigured

from crawlers import sources


class MirrorMiddleware:
    def __init__(self, mirror: str):
        self.mirror = mirror.rstrip("/")

    @classmethod
    def from_crawler(cls, crawler):
        mirror = crawler.settings.get("VNRU_MIRROR")
        if not mirror:
            raise NotConfigured("VNRU_MIRROR not set: fetching live sites")
        return cls(mirror)

    def process_request(self, request):
        if request.url.startswith(self.mirror):
            return None
        source = sources.for_url(request.url)
        if source is None:
            return None
        parts = urlsplit(request.url)
        meta = {**request.meta, "live_url": request.meta.get("live_url", request.url)}
        return request.replace(url=f"{self.mirror}/{source.name}{parts.path}", meta=meta)


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
