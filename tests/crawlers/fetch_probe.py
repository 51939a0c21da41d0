"""Fetch URLs through vnru's downloader middlewares (crawlers.settings) in one Scrapy process, without a database:
each response's status, body size, refusal reason and arrival time, and the crawl's vnru counters, go to OUT as JSON.

    python -m tests.crawlers.fetch_probe OUT URL [URL ...]   (-s NAME=VALUE settings through VNRU_PROBE_SETTINGS)
"""

import json
import os
import sys
import time

import scrapy
from scrapy.crawler import CrawlerProcess

from crawlers import settings as vnru_settings


class Probe(scrapy.Spider):
    name = "probe"

    def __init__(self, urls: list[str], **kwargs):
        super().__init__(**kwargs)
        self.urls, self.seen = urls, []

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, meta={"dont_cache": True}, dont_filter=True)

    def parse(self, response):
        self.seen.append({"url": response.url, "status": response.status, "bytes": len(response.body),
                          "refused": response.meta.get("vnru_refused"), "at": time.monotonic()})


def main(out: str, urls: list[str]) -> None:
    chosen = {k: v for k, v in vars(vnru_settings).items() if k.isupper()}
    chosen.update(ROBOTSTXT_OBEY=False, HTTPCACHE_ENABLED=False, DOWNLOAD_DELAY=0, AUTOTHROTTLE_ENABLED=False,
                  ITEM_PIPELINES={}, EXTENSIONS={}, LOG_LEVEL="WARNING", **json.loads(os.environ.get(
                      "VNRU_PROBE_SETTINGS", "{}")))
    process = CrawlerProcess(chosen)
    crawler = process.create_crawler(Probe)
    process.crawl(crawler, urls=urls)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("vnru/")}
    with open(out, "w") as fh:
        json.dump({"responses": crawler.spider.seen, "stats": stats}, fh)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
