"""A local HTTP server for the recorded pages under crawlers/recorded/<source>/<path>.

With VNRU_MIRROR pointing at it, the spiders crawl the recordings exactly as they crawl the live
sites (see crawlers.middlewares.MirrorMiddleware). Used by the demo, the tests and `vnru serve`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from etl.settings import RECORDED_DIR


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, "": "text/html", ".vnp": "text/html",
                      ".html": "text/html", ".xml": "application/xml", ".rss": "application/rss+xml"}

    def log_message(self, format, *args):
        pass

    def guess_type(self, path):
        """By extension, except that an XML document is XML whatever its name: a feed at '/news/feed' or
        '/news/rss/' (recorded as rss/index.html) must reach the spider as XML, as the live site serves it."""
        try:
            with open(path, "rb") as fh:
                if fh.read(64).lstrip().startswith(b"<?xml"):
                    return "application/xml"
        except OSError:
            pass
        return super().guess_type(path)


def recorded_path(source: str, url: str, directory: Path = RECORDED_DIR) -> Path:
    """The file the mirror serves for a live URL of `source`: its path under the source's folder, and
    index.html for a path ending in '/' (a URL like 'https://mid.ru/en/foreign_policy/news/1998294/')."""
    path = urlsplit(url).path.lstrip("/")
    return directory / source / (path + "index.html" if path.endswith("/") or not path else path)


def start(directory: Path = RECORDED_DIR, port: int = 0, handler_class: type = _Handler
          ) -> tuple[ThreadingHTTPServer, str]:
    """Serve `directory` on 127.0.0.1 in a daemon thread; returns the server and its base URL.
    (Tests pass a subclass of the handler to break a site on purpose.)"""
    handler = functools.partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@contextlib.contextmanager
def serving(handler_class: type = _Handler) -> Iterator[str]:
    """Serve the recorded pages (start) and point the crawlers at them (VNRU_MIRROR) for the block; the
    server stops and VNRU_MIRROR is restored after."""
    server, url = start(handler_class=handler_class)
    previous = os.environ.get("VNRU_MIRROR")
    os.environ["VNRU_MIRROR"] = url
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        if previous is None:
            os.environ.pop("VNRU_MIRROR", None)
        else:
            os.environ["VNRU_MIRROR"] = previous
