"""README's 'How it works' tree names every package folder and every module of the packages, and the packages
import one another only downwards (etl <- crawlers <- ops <- dags)."""

import re

import pytest

from etl import settings

ROOT = settings.PROJECT_ROOT
PACKAGES = ("etl", "crawlers", "ops", "dags", "migrations", "bench", "scripts", "tests", "docs")
LAYERS = ("etl", "crawlers", "ops", "dags")  # each may import only the ones before it


def tree() -> str:
    readme = (ROOT / "README.md").read_text()
    return re.search(r"## How it works\s+```\n(.*?)```", readme, re.S).group(1)


def test_the_tree_names_every_package_folder():
    named = set(re.findall(r"^([a-z]+)/", tree(), re.M))
    assert named == {p for p in PACKAGES if (ROOT / p).is_dir()}


@pytest.mark.parametrize("package", ["etl", "crawlers", "ops", "bench", "scripts"])
def test_the_tree_names_every_module(package):
    text = tree()
    modules = {path.name for path in (ROOT / package).rglob("*.py") if path.name != "__init__.py"
               and "recorded" not in path.parts and "sources" not in path.parts}
    assert {m for m in modules if m not in text} == set()


@pytest.mark.parametrize("package", LAYERS)
def test_a_package_imports_no_package_above_it(package):
    above = LAYERS[LAYERS.index(package) + 1:]
    pattern = re.compile(rf"^\s*(?:from|import)\s+({'|'.join(above) or '$^'})\b", re.M)
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / package).rglob("*.py")
                 if above and pattern.search(path.read_text())]
    assert offenders == []
