"""Every registered source: its recordings exist, are discoverable, and parse to their golden output.

Golden files (tests/crawlers/golden/<source>.json) are written by scripts/regenerate_golden.py,
never by hand; a source without recordings or golden output fails here.
"""

import json

import pytest

from crawlers.mirror import recorded_path
from crawlers.parsing import parse_page
from crawlers.sources import SOURCES
from scripts.regenerate_golden import GOLDEN_DIR, golden_for
from tests.conftest import expected_pages


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_source_has_recorded_discovery_documents(name):
    source = SOURCES[name]
    for entry in source.discovery:
        url = getattr(entry, "url", None)
        if url:
            assert source.owns(url)
            assert recorded_path(name, url).is_file(), url


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_source_output_matches_golden(name):
    golden = GOLDEN_DIR / f"{name}.json"
    assert golden.is_file(), f"no golden file for {name}: run python -m scripts.regenerate_golden"
    assert golden_for(name) == json.loads(golden.read_text())


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_the_sites_own_rules_parse_every_recorded_article(name):
    """The selectors must match the recordings: a source that only works through the generic fallback is broken
    (the watch would count it as a redesign)."""
    source = SOURCES[name]
    for page in expected_pages(name):
        html = recorded_path(name, page["url"]).read_bytes()
        parsed = parse_page(html, source)
        assert parsed.path == "site", f"{page['url']}: body selector {source.body_selector!r} found too little"
        assert parsed.found["title"] and parsed.found["date"], (page["url"], parsed.found)
        assert source.is_article(page["url"]) and source.owns(page["url"])
