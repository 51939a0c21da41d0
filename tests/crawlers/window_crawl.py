"""Crawl sources' recordings for date windows in one Scrapy process, without a database: the article pages the
spider archives are written as JSON lines (window, url, listed_date, relevance) instead.

    python -m tests.crawlers.window_crawl OUT START:END[,START:END...] SOURCE [SOURCE ...]   (VNRU_MIRROR set)
"""

import json
import os
import sys

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawlers.spiders.news import NewsSpider


class CollectPipeline:
    """Writes each archived article as a JSON line to VNRU_COLLECT_FILE."""

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self):
        self.out = open(os.environ["VNRU_COLLECT_FILE"], "a")  # noqa: SIM115 - closed in close_spider

    def process_item(self, item):
        if item.kind == "article":
            spider = self.crawler.spider
            self.out.write(json.dumps({"window": f"{spider.start_date}:{spider.end_date}",
                                       "source": item.source_id, "url": item.url, "status": item.status,
                                       "listed_date": str(item.listed_date), "relevance": item.relevance}) + "\n")
        return item

    def close_spider(self):
        self.out.close()


def main(out: str, windows: str, names: list[str]) -> None:
    os.environ["VNRU_COLLECT_FILE"] = out
    settings = get_project_settings()
    settings.set("ITEM_PIPELINES", {f"{__name__}.CollectPipeline": 300})
    settings.set("VNRU_MIRROR", os.environ["VNRU_MIRROR"])
    settings.set("HTTPCACHE_ENABLED", False)
    settings.set("DOWNLOAD_DELAY", 0)
    settings.set("AUTOTHROTTLE_ENABLED", False)
    settings.set("LOG_LEVEL", "WARNING")
    process = CrawlerProcess(settings)
    for window in windows.split(","):
        start, end = window.split(":")
        for name in names:
            process.crawl(NewsSpider, source=name, start=start, end=end)
    process.start()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
