"""Each registered source's URL rules against its own recordings: every recorded article URL is owned by its
source and is an article there; the source's listings and home pages are not articles."""

from urllib.parse import urlsplit

import pytest

from crawlers.sources import SOURCES, for_url
from tests.conftest import expected_pages


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_recorded_articles_are_articles_of_their_source(name):
    source = SOURCES[name]
    assert [page["url"] for page in expected_pages(name)
            if for_url(page["url"]) is not source or not source.is_article(page["url"])] == []


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_listings_and_home_pages_are_not_articles(name):
    source = SOURCES[name]
    listings = [entry.url for entry in source.discovery if hasattr(entry, "url")]
    homes = {f"{urlsplit(page['url']).scheme}://{urlsplit(page['url']).netloc}/" for page in expected_pages(name)}
    assert [url for url in [*listings, *homes] if source.is_article(url)] == []
