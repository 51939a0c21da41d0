"""Every SQL example of the README's 'Querying' section runs, as the read-only analyst, on the demo data."""

import re

from sqlalchemy import text

from etl import settings


def readme_queries() -> list[str]:
    readme = (settings.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Querying", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def test_the_readme_asks_at_least_six_questions():
    assert len(readme_queries()) >= 6


def test_every_readme_query_answers_on_the_demo_data(crawled, analyst):
    with analyst.connect() as conn:
        for query in readme_queries():
            rows = conn.execute(text(query)).all()
            assert rows, f"no rows for:\n{query}"
