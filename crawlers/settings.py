"""Scrapy settings for the vnru crawlers: polite by default, archive-first, and mirror-aware for recorded pages.

Politeness (README: Crawling politely): robots.txt obeyed, an honest user agent naming a contact URL
(VNRU_CONTACT_URL), AutoThrottle with at most 2 concurrent requests per domain, listings (sitemaps, feeds,
topic pages) kept in an HTTP cache and revalidated with conditional requests (If-None-Match /
If-Modified-Since: an unchanged listing costs a 304), articles never cached (the archive holds them and they are
not fetched twice), and a cap on requests per run (VNRU_MAX_REQUESTS).
"""

import os

from etl import settings as vnru
from etl.settings import MAX_PAGE_BYTES

BOT_NAME = "vnru"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

CONTACT_URL = os.environ.get("VNRU_CONTACT_URL", "https://github.com/vnru/vnru")
USER_AGENT = f"vnru/0.1 (research crawler of Vietnam-Russia news; +{CONTACT_URL})"
ROBOTSTXT_OBEY = True  # the recorded mirror serves each site's robots.txt too
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 3
# a 429/503 with Retry-After is asked again after that wait (crawlers.middlewares.RetryAfterMiddleware), unless the
# wait is longer than this: then the URL is left for the next run, and the crawl fails naming it
VNRU_RETRY_AFTER_MAX = float(os.environ.get("VNRU_RETRY_AFTER_MAX", "120"))
HTTPERROR_ALLOW_ALL = True  # error pages are archived and quarantined, not silently dropped
DOWNLOAD_TIMEOUT = int(os.environ.get("VNRU_DOWNLOAD_TIMEOUT", "30"))  # bench.reliability shortens it
# a body over MAX_PAGE_BYTES, announced, received or once decompressed (a gzip bomb), is not downloaded further:
# crawlers.middlewares.SizeLimitMiddleware hands the spider the response without its body, to be archived as refused
DOWNLOAD_MAXSIZE = MAX_PAGE_BYTES
DOWNLOAD_WARNSIZE = MAX_PAGE_BYTES // 4
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

HTTPCACHE_ENABLED = True  # listings only: article requests carry meta dont_cache
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"  # revalidates with the stored ETag/Last-Modified
HTTPCACHE_DIR = str(vnru.vnru_home() / "httpcache")
HTTPCACHE_IGNORE_HTTP_CODES = [429, 500, 502, 503, 504]
VNRU_MAX_REQUESTS = int(os.environ.get("VNRU_MAX_REQUESTS", "20000"))

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawlers.middlewares.RobotsTxtMiddleware": 100,  # Scrapy's, fixed for requests waiting on robots.txt
    "crawlers.middlewares.MirrorMiddleware": 150,  # after RobotsTxtMiddleware (100): robots.txt of the live URL
    "crawlers.middlewares.RequestCapMiddleware": 160,  # counts what is sent, mirrored or not
    "crawlers.middlewares.RetryAfterMiddleware": 560,  # sees a 429/503 before RetryMiddleware (550) retries it
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawlers.middlewares.SizeLimitMiddleware": 590,  # Scrapy's decompression, a body over the limit kept as refused
}
ITEM_PIPELINES = {"crawlers.pipelines.ArchivePipeline": 300}
EXTENSIONS = {"crawlers.extensions.Unanswered": 500}  # article requests Scrapy dropped without an error
