"""Regenerate tests/crawlers/golden/<source>.json from the recorded pages: the parse of every page
(title, date, cleaned text, events). Run after changing a parser on purpose, review the diff, commit.

    python -m scripts.regenerate_golden [SOURCE ...]
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from crawlers.mirror import recorded_path
from crawlers.sources import SOURCES
from etl import settings
from etl.clean import clean_html
from etl.events.extract import extract_events

GOLDEN_DIR = settings.PROJECT_ROOT / "tests" / "crawlers" / "golden"


def golden_for(name: str) -> dict:
    """What the pipeline makes of each recorded article page of a source, keyed by URL."""
    source = SOURCES[name]
    pages = json.loads((settings.RECORDED_DIR / name / "expected.json").read_text())["pages"]
    result = {}
    for page in pages:
        article = clean_html(recorded_path(name, page["url"]).read_bytes(), url=page["url"], source=source)
        published = article.published or dt.date.fromisoformat(page["published"])
        result[page["url"]] = {
            "title": article.title, "published": article.published.isoformat() if article.published else None,
            "author": article.author, "text": article.text,
            "events": [e.as_dict() for e in extract_events(article.text, published)],
        }
    return result


def main(names: list[str]) -> int:
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for name in names or sorted(SOURCES):
        path = GOLDEN_DIR / f"{name}.json"
        path.write_text(json.dumps(golden_for(name), indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {path.relative_to(settings.PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
