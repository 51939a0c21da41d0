"""Retry-After is waited for (up to a cap), and a body over the size limit reaches the spider as a refused response
with its status and headers: both through a real Scrapy crawl against a local HTTP server."""

import datetime as dt
import gzip
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from scrapy import Request
from scrapy.exceptions import StopDownload
from scrapy.http import Headers
from scrapy.utils.test import get_crawler

from crawlers.middlewares import SizeLimitMiddleware, retry_after
from etl import settings

LIMIT = 64 * 1024  # DOWNLOAD_MAXSIZE for the probe: small pages, quick tests
PAGE = b"<html><body><p>" + b"the page " * 100 + b"</p></body></html>"


class Handler(BaseHTTPRequestHandler):
    hits: dict[str, list[float]] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.hits.setdefault(self.path, []).append(time.monotonic())
        attempt = len(self.hits[self.path])
        status, headers, body = 200, {}, PAGE
        if self.path == "/wait-1" and attempt == 1:
            status, headers, body = 429, {"Retry-After": "1"}, b""
        elif self.path == "/wait-long":
            status, headers, body = 429, {"Retry-After": "3600"}, b""
        elif self.path == "/busy-date" and attempt == 1:
            when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
            status, headers, body = 503, {"Retry-After": when.strftime("%a, %d %b %Y %H:%M:%S GMT")}, b""
        elif self.path == "/announced-big":
            body = b"x" * (LIMIT * 3)
        elif self.path == "/chunked-big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the size is only known by what arrives
            for _ in range(8):
                try:
                    self.wfile.write(b"y" * (LIMIT // 2))
                except OSError:
                    return
            return
        elif self.path == "/bomb":
            status, headers, body = 200, {"Content-Encoding": "gzip"}, gzip.compress(b" " * (LIMIT * 20))
        self.send_response(status)
        for name, value in {"Content-Type": "text/html", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """One probe crawl (a Scrapy process costs seconds) of every case, the Retry-After cap at 5 s."""
    Handler.hits = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    out = tmp_path_factory.mktemp("probe") / "probe.json"
    began = time.monotonic()
    try:
        subprocess.run([sys.executable, "-m", "tests.crawlers.fetch_probe", str(out),
                        *(base + path for path in PATHS)], check=True, timeout=300, cwd=settings.PROJECT_ROOT,
                       env={"PATH": "/usr/bin:/bin", "VNRU_PROBE_SETTINGS": json.dumps(
                           {"DOWNLOAD_MAXSIZE": LIMIT, "DOWNLOAD_WARNSIZE": 0, "VNRU_RETRY_AFTER_MAX": 5})})
    finally:
        httpd.shutdown()
        httpd.server_close()
    result = json.loads(out.read_text())
    result["took"], result["base"] = time.monotonic() - began, base
    result["seen"] = {r["url"].removeprefix(base): r for r in result["responses"]}
    return result


PATHS = ("/wait-1", "/busy-date", "/wait-long", "/announced-big", "/chunked-big", "/bomb", "/ok")


def test_retry_after_is_read_as_seconds_or_an_http_date():
    now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    assert retry_after(b"120", now) == 120
    assert retry_after(b"Tue, 01 Dec 2026 12:00:30 GMT", now) == 30
    assert retry_after(b"Tue, 01 Dec 2026 11:00:00 GMT", now) == 0  # a date past: no wait
    assert retry_after(b"soon", now) is None and retry_after(None, now) is None


def test_a_429_or_503_with_retry_after_is_asked_again_after_the_wait(crawl):
    assert crawl["seen"]["/wait-1"]["status"] == 200 and crawl["seen"]["/busy-date"]["status"] == 200
    first, second = Handler.hits["/wait-1"]
    assert second - first >= 1.0  # Scrapy's RetryMiddleware alone asks again at once
    first, second = Handler.hits["/busy-date"]
    assert second - first >= 1.0  # an HTTP date two seconds ahead (whole seconds: at least one left)
    assert crawl["stats"]["vnru/retry_after_waits"] == 2


def test_a_retry_after_over_the_cap_is_not_waited_for_and_is_reported(crawl):
    assert crawl["took"] < 300
    assert len(Handler.hits["/wait-long"]) == 1  # neither waited nor retried at once by RetryMiddleware
    assert crawl["seen"]["/wait-long"]["status"] == 429  # the spider archives it: asked again next run
    assert crawl["stats"]["vnru/rate_limited"] == 1
    assert crawl["stats"]["vnru/rate_limited_urls"] == f"{crawl['base']}/wait-long"


def test_a_body_over_the_limit_reaches_the_spider_refused_with_its_status(crawl):
    seen = crawl["seen"]
    assert set(seen) == set(PATHS)  # none dropped without a response
    assert seen["/ok"] == {**seen["/ok"], "status": 200, "bytes": len(PAGE), "refused": None}
    for path, how in (("/announced-big", "Content-Length"), ("/chunked-big", "received"), ("/bomb", "decompressed")):
        assert seen[path]["status"] == 200 and seen[path]["bytes"] == 0
        assert f"limit of {LIMIT} bytes" in seen[path]["refused"] and how in seen[path]["refused"]


def test_a_refused_body_is_never_cached_and_each_download_is_counted_from_its_first_byte():
    middleware = SizeLimitMiddleware.from_crawler(get_crawler(settings_dict={"DOWNLOAD_MAXSIZE": 10}))
    request = Request("https://tass.com/politics/1")
    middleware.headers_received(Headers(), "twisted.web.iweb.UNKNOWN_LENGTH", request, None)  # no Content-Length
    middleware.bytes_received(b"x" * 8, request, None)
    middleware.headers_received(Headers(), 8, request, None)  # retried after a broken transfer: a new download
    middleware.bytes_received(b"x" * 8, request, None)  # 8 bytes of this download, not 16
    assert "vnru_refused" not in request.meta
    with pytest.raises(StopDownload):
        middleware.bytes_received(b"x" * 3, request, None)
    assert request.meta["dont_cache"] and "received" in request.meta["vnru_refused"]
