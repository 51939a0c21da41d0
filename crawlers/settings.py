"""Scrapy settings for the vnru crawlers: polite, archive-first, and mirror-aware for recorded pages."""

import os

from etl.settings import MAX_PAGE_BYTES

BOT_NAME = "vnru"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

USER_AGENT = "vnru/0.1 (+https://github.com/vnru/vnru; research crawler)"
ROBOTSTXT_OBEY = False  # recorded mirrors have no robots.txt; live runs set it with -s ROBOTSTXT_OBEY=True
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
RETRY_TIMES = 3
HTTPERROR_ALLOW_ALL = True  # error pages are archived and quarantined, not silently dropped
DOWNLOAD_TIMEOUT = int(os.environ.get("VNRU_DOWNLOAD_TIMEOUT", "30"))  # bench.reliability shortens it
# a body over MAX_PAGE_BYTES, as sent or once decompressed (a gzip bomb), is dropped before it is archived
DOWNLOAD_MAXSIZE = MAX_PAGE_BYTES
DOWNLOAD_WARNSIZE = MAX_PAGE_BYTES // 4
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {"crawlers.middlewares.MirrorMiddleware": 50}
ITEM_PIPELINES = {"crawlers.pipelines.ArchivePipeline": 300}
EXTENSIONS = {"crawlers.extensions.Unanswered": 500}  # article requests Scrapy dropped without an error
