"""A simulated news site for measuring the crawler without the network: several thousand articles a month, about
1 % of them on Vietnam–Russia relations, with a sitemap index of monthly Google news sitemaps (titles,
keywords, publication dates), an RSS feed of the latest articles (tracking parameters on its links), a
Vietnam–Russia tag page (paginated, newest first), a few moved articles answering 301, and a robots.txt
forbidding /search. Listings answer with ETag and Last-Modified and honour conditional requests (304).

Like real sites, not every relevant article says so in its listing: most name both sides in the title, some
only in the keywords, some in neither but carry the site's tag, and a few are findable only from their body
(the crawl misses those: recall below 1 is measured, not hidden). Some unrelated articles name one side.
Deterministic for a seed. Served under <base>/simnews/, the path the crawlers' mirror middleware uses.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import random
import threading
from dataclasses import dataclass
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from crawlers.sources.base import RSSFeed, Sitemap, Source, TopicPage

DOMAIN = "simnews.example"
SOURCE = Source(
    name="simnews", title="Simulated News", domains=(DOMAIN,), country="VN", language="en",
    discovery=(Sitemap(f"https://{DOMAIN}/sitemap.xml"), TopicPage(f"https://{DOMAIN}/tag/vietnam-russia"),
               RSSFeed(f"https://{DOMAIN}/rss/latest.rss"),
               TopicPage(f"https://{DOMAIN}/search?q=vietnam+russia")),  # forbidden by robots.txt: never asked
    article_url=r"/news/[a-z0-9-]+-\d+\.html?$", body_selector="div.story", date_selector="time.published",
)
VN = ["Vietnam", "Vietnamese", "Hanoi"]
RU = ["Russia", "Russian", "Moscow"]
VN_PEOPLE = ["To Lam", "Pham Minh Chinh", "Luong Cuong", "Bui Thanh Son"]
RU_PEOPLE = ["Putin", "Mishustin", "Lavrov", "Sergei Lavrov"]
TOPICS = ["rice exports", "a new metro line", "flood relief", "football league", "stock market", "tourism",
          "a film festival", "the central bank", "a new bridge", "electric cars", "coffee prices", "a marathon"]
TAG_PAGE_SIZE = 200
FEED_SIZE = 50


@dataclass(frozen=True)
class Article:
    id: int
    day: dt.date
    title: str
    keywords: str
    relevant: bool
    tagged: bool
    moved: bool  # listed at its old .htm address, which answers 301 to the .html one

    @property
    def slug(self) -> str:
        return "-".join("".join(c for c in w.lower() if c.isalnum()) for w in self.title.split()[:8])

    @property
    def path(self) -> str:
        return f"/news/{self.slug}-{self.id}.html"

    @property
    def listed_path(self) -> str:
        return self.path[:-1] if self.moved else self.path

    def body(self, rng: random.Random) -> str:
        if self.relevant:
            lines = [f"{rng.choice(VN)} and {rng.choice(RU)} agreed to widen cooperation in {rng.choice(TOPICS)}.",
                     f"Officials of the two countries met in {rng.choice(['Hanoi', 'Moscow'])} this week.",
                     "Both sides said relations between Vietnam and Russia keep growing."]
        else:
            side = rng.choice([VN, RU, ["the city"]])
            lines = [f"News about {rng.choice(TOPICS)} in {side[0]}.", "Local officials commented on the plans."]
        filler = "The report gave further details on costs, timing and the people involved in the work. " * 5
        return "".join(f"<p>{escape(line)} {filler}</p>" for line in lines)


def generate(start: dt.date, months: int, per_month: int = 4000, relevant_share: float = 0.01,
             seed: int = 7) -> list[Article]:
    """Articles of `months` months from `start` (first of a month), oldest first, deterministic for `seed`."""
    rng = random.Random(seed)
    articles = []
    year, month = start.year, start.month
    for _ in range(months):
        days = calendar.monthrange(year, month)[1]
        for _ in range(per_month):
            day = dt.date(year, month, rng.randint(1, days))
            relevant = rng.random() < relevant_share
            kind = rng.random()
            if relevant:
                vn, ru = rng.choice(VN_PEOPLE + VN), rng.choice(RU_PEOPLE + RU)
                topic = rng.choice(TOPICS)
                if kind < 0.8:  # both sides in the title
                    title, keywords = f"{vn} and {ru} discuss {topic}", "diplomacy"
                elif kind < 0.9:  # one side in the title, the other in the keywords
                    title, keywords = f"{vn} officials discuss {topic}", f"diplomacy, {ru}"
                else:  # nothing in the listing: only the tag page (most) or the body (few) tells
                    title, keywords = f"Two countries discuss {topic}", "diplomacy"
                tagged = kind < 0.9 or rng.random() < 0.9
            else:
                side = rng.choice([VN, RU, VN_PEOPLE, RU_PEOPLE, ["City"], ["Region"]]) if kind < 0.5 else ["City"]
                title, keywords, tagged = f"{rng.choice(side)} news on {rng.choice(TOPICS)}", "local", False
            articles.append(Article(0, day, title, keywords, relevant, tagged, rng.random() < 0.005))
        month = month % 12 + 1
        year += month == 1
    articles.sort(key=lambda a: a.day)
    return [Article(i + 1, a.day, a.title, a.keywords, a.relevant, a.tagged, a.moved)
            for i, a in enumerate(articles)]


class Site:
    """The documents of a generated site, by path, and a log of the requests it answered."""

    def __init__(self, articles: list[Article]):
        self.articles = articles
        self.by_path = {a.path: a for a in articles}
        self.moved = {a.listed_path: a.path for a in articles if a.moved}
        self.months = sorted({(a.day.year, a.day.month) for a in articles})
        self.log: list[tuple[str, int, bool]] = []  # (path, status, conditional)
        self.lock = threading.Lock()

    @staticmethod
    def url(path: str) -> str:
        return f"https://{DOMAIN}{path}"

    def sitemap_index(self) -> str:
        items = "".join(f"<sitemap><loc>{self.url(f'/sitemaps/{y}-{m:02}.xml')}</loc>"
                        f"<lastmod>{max(a.day for a in self.articles if (a.day.year, a.day.month) == (y, m))}"
                        f"</lastmod></sitemap>" for y, m in self.months)
        return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}' \
               "</sitemapindex>"

    def month_sitemap(self, year: int, month: int) -> str:
        items = "".join(
            f"<url><loc>{self.url(a.listed_path)}</loc><news:news><news:publication><news:name>Simulated News"
            f"</news:name><news:language>en</news:language></news:publication><news:publication_date>"
            f"{a.day}T08:00:00+07:00</news:publication_date><news:title>{escape(a.title)}</news:title>"
            f"<news:keywords>{escape(a.keywords)}</news:keywords></news:news></url>"
            for a in self.articles if (a.day.year, a.day.month) == (year, month))
        return ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{items}</urlset>')

    def feed(self) -> str:
        items = "".join(
            f"<item><title>{escape(a.title)}</title><link>{self.url(a.listed_path)}?utm_source=rss</link>"
            f"<pubDate>{format_datetime(dt.datetime.combine(a.day, dt.time(8), dt.UTC))}</pubDate></item>"
            for a in reversed(self.articles[-FEED_SIZE:]))
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Simulated News</title>{items}</channel></rss>'

    def tag_page(self, page: int) -> str:
        tagged = [a for a in reversed(self.articles) if a.tagged]
        chunk = tagged[(page - 1) * TAG_PAGE_SIZE: page * TAG_PAGE_SIZE]
        items = "".join(f"<li><a href='{a.listed_path}'>{escape(a.title)}</a> <time datetime='{a.day}'></time></li>"
                        for a in chunk)
        following = f"<a rel='next' href='/tag/vietnam-russia?page={page + 1}'>Next</a>" \
            if page * TAG_PAGE_SIZE < len(tagged) else ""
        return f"<html><body><h1>Vietnam–Russia</h1><ul>{items}</ul>{following}</body></html>"

    def article(self, article: Article) -> str:
        rng = random.Random(article.id)
        return (f"<html><head><title>{escape(article.title)}</title></head><body><h1>{escape(article.title)}</h1>"
                f"<time class='published' datetime='{article.day}'>{article.day}</time>"
                f"<div class='story'>{article.body(rng)}</div></body></html>")

    def answer(self, path: str, query: str) -> tuple[int, str, str, bool]:
        """(status, content type, body or Location, is a listing) for a path of the site."""
        if path == "/robots.txt":
            return 200, "text/plain", "User-agent: *\nDisallow: /search\n", True
        if path == "/sitemap.xml":
            return 200, "application/xml", self.sitemap_index(), True
        if path.startswith("/sitemaps/"):
            year, month = map(int, path.removeprefix("/sitemaps/").removesuffix(".xml").split("-"))
            return 200, "application/xml", self.month_sitemap(year, month), True
        if path == "/rss/latest.rss":
            return 200, "application/rss+xml", self.feed(), True
        if path == "/tag/vietnam-russia":
            return 200, "text/html", self.tag_page(int(parse_qs(query).get("page", ["1"])[0])), True
        if path in self.moved:
            return 301, "text/html", self.moved[path], False
        if path in self.by_path:
            return 200, "text/html", self.article(self.by_path[path]), False
        return 404, "text/html", "<html><body>Not found</body></html>", False


class Handler(BaseHTTPRequestHandler):
    site: Site

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        path = parts.path.removeprefix("/simnews")
        status, ctype, body, listing = self.site.answer(path, parts.query)
        conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'
        if listing and status == 200 and self.headers.get("If-None-Match") == etag:
            status = 304
        with self.site.lock:
            self.site.log.append((path, status, conditional))
        self.send_response(status)
        if status == 301:
            self.send_header("Location", f"/simnews{body}")
            body = ""
        if listing:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT")
            self.send_header("Cache-Control", "max-age=0")  # stored, but revalidated on every use
        payload = b"" if status in (301, 304) else body.encode()
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def serve(site: Site, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Serve `site` on 127.0.0.1 in a daemon thread; returns the server and its base URL."""
    handler = type("SiteHandler", (Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
