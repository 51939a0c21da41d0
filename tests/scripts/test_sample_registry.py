"""scripts/sample_registry.py: the registry's terms in file order, and a draw that a seed reproduces."""

from __future__ import annotations

import textwrap

import pytest

from scripts.sample_registry import main, registry_terms, sample_terms

REGISTRY = textwrap.dedent("""\
    roles: {}
    people:
      - name: A One
        country: VN
        offices:
          - {role: r1, start: 2010-01-01, end: 2012-01-01, source: "https://example.org/a"}
          - {role: r2, start: 2013-01-01, end: null, verified: false}
      - name: B Two
        country: RU
        offices:
          - {role: r3, start: 2011-05-05, end: 2011-06-06, verified: false}
      - name: C Three
        country: RU
""")


@pytest.fixture
def registry_file(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


def test_terms_are_numbered_in_file_order_with_their_source(registry_file):
    terms = registry_terms(registry_file)
    assert [(t.number, t.person, t.role, t.start, t.end, t.source) for t in terms] == [
        (1, "A One", "r1", "2010-01-01", "2012-01-01", "https://example.org/a"),
        (2, "A One", "r2", "2013-01-01", None, None),
        (3, "B Two", "r3", "2011-05-05", "2011-06-06", None),
    ]


def test_a_seed_redraws_the_same_sample_and_the_size_is_capped(registry_file):
    terms = registry_terms(registry_file)
    assert sample_terms(terms, 2, seed=5) == sample_terms(terms, 2, seed=5)
    assert len(set(sample_terms(terms, 2, seed=5))) == 2
    assert sample_terms(terms, 10, seed=5) == terms


def test_the_project_registry_gives_distinct_draws_for_distinct_seeds():
    terms = registry_terms()
    first, second = sample_terms(terms, 40, seed=1), sample_terms(terms, 40, seed=2)
    assert len(first) == len(second) == 40
    assert first != second


def test_the_command_prints_the_seed_and_can_draw_unverified_terms_only(registry_file, capsys):
    assert main(["--file", str(registry_file), "--size", "5", "--seed", "3", "--unverified-only"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "# 2 of 2 terms, seed 3"
    assert [line.split("\t")[1] for line in out[2:]] == ["A One", "B Two"]
    assert all(line.endswith("verified: false") for line in out[2:])
