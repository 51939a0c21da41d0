"""ArchivePipeline: stores every fetched response raw (gzip body, sha256, headers) in raw.pages.

Reads DATABASE_URL through etl.pgserver. On open it registers the source and tells the spider
which article URLs are archived already, so they are not fetched twice unless refetch is asked, and which
of them were found irrelevant, so they are never fetched again.
"""

from sqlalchemy import create_engine

from crawlers.middlewares import unmirrored
from etl import load, pgserver


class ArchivePipeline:
    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self):
        spider = self.crawler.spider
        self.engine = create_engine(pgserver.resolve_url())
        load.upsert_sources(self.engine, [spider.source])
        spider.archived_urls = load.archived_urls(self.engine, spider.source.name)
        spider.irrelevant_urls = load.irrelevant_urls(self.engine, spider.source.name)

    def process_item(self, item):
        item.final_url = unmirrored(item.final_url, self.crawler.settings.get("VNRU_MIRROR"), item.url)
        stored = load.archive_page(self.engine, item)
        self.crawler.stats.inc_value("vnru/archived_new" if stored else "vnru/archived_unchanged")
        return item

    def close_spider(self):
        self.engine.dispose()
