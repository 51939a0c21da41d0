"""Every registered source: its recordings exist, are discoverable, and parse to their golden output.

Golden files (tests/crawlers/golden/<source>.json) are written by scripts/regenerate_golden.py,
never by hand; a source without recordings or golden output fails here.
"""

import json

import pytest

from crawlers.mirror import recorded_path
from crawlers.sources import SOURCES
from scripts.regenerate_golden import GOLDEN_DIR, golden_for


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
