"""A local HTTP server for the recorded pages under crawlers/recorded/<source>/<path>.

With VNRU_MIRROR pointing at it, the spiders crawl the recordings exactly as they crawl the live
sites (see crawlers.middlewares.MirrorMiddleware). Used by the demo, the tests and `vnru serve`.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from etl.settings import RECORDED_DIR


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, "": "text/html", ".vnp": "text/html",
                      ".html": "text/html", ".xml": "application/xml", ".rss": "application/rss+xml"}

    def log_message(self, format, *args):
        pass


def start(directory: Path = RECORDED_DIR, port: int = 0, handler_class: type = _Handler
          ) -> tuple[ThreadingHTTPServer, str]:
    """Serve `directory` on 127.0.0.1 in a daemon thread; returns the server and its base URL.
    (Tests pass a subclass of the handler to break a site on purpose.)"""
    handler = functools.partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
