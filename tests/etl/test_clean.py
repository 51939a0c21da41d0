"""Snippet checks for cleaning: what must go and what must stay, on the seeds and the recorded pages."""

import html
import json
import string

import pytest

from crawlers.sources import SOURCES
from etl import settings
from etl.clean import CleanError, Removed, clean_html, clean_text
from etl.glue import repair_glued_words
from tests.conftest import expected_pages, shared_path


def seed_cases():
    path = settings.PROJECT_ROOT.parent / "shared" / "eval" / "seed_events.json"
    if not path.exists():
        return [pytest.param(None, id="shared-data-absent")]
    return [pytest.param(a, id=a["file"][:3]) for a in json.loads(path.read_text())["articles"]]


def check_snippets(text: str, clutter: dict):
    assert [s for s in clutter["drop"] if s in text] == []
    assert [s for s in clutter["keep"] if s not in text] == []


@pytest.mark.parametrize("article", seed_cases())
def test_seed_text_is_cleaned(article):
    if article is None:
        shared_path("eval", "seed_events.json")
    raw = shared_path("seeds", article["file"]).read_text(encoding="utf-8")
    check_snippets(clean_text(raw).text, article["clutter"])


def wrap(source: str, raw: str, published: str) -> str:
    template = string.Template((settings.RECORDED_DIR / source / "template.html").read_text())
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in raw.splitlines() if line.strip())
    return template.substitute(title="Seed article", published=f"{published}T09:00:00+07:00", body=body)


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize("article", seed_cases())
def test_seed_inside_site_template_is_cleaned(article, source):
    if article is None:
        shared_path("eval", "seed_events.json")
    raw = shared_path("seeds", article["file"]).read_text(encoding="utf-8")
    cleaned = clean_html(wrap(source, raw, article["published"]), source=SOURCES[source])
    check_snippets(cleaned.text, article["clutter"])
    assert cleaned.published.isoformat() == article["published"]


def recorded_cases():
    return [pytest.param(source, page, id=page["url"].rsplit("/", 1)[-1][:40])
            for source in sorted(SOURCES) for page in expected_pages(source)]


@pytest.mark.parametrize("source,page", recorded_cases())
def test_recorded_page_is_cleaned(source, page):
    path = settings.RECORDED_DIR / source / page["url"].split("/", 3)[3]
    article = clean_html(path.read_bytes(), url=page["url"], source=SOURCES[source])
    assert [s for s in page["must_contain"] if s not in article.text] == []
    assert [s for s in page["must_not_contain"] if s in article.text] == []
    assert article.published.isoformat() == page["published"]
    assert article.title


# Fusions made by dropping the space at a tag boundary: a function word fused to its neighbour is evidence alone.
FUSED = [("the Communist Party ofVietnam", "the Communist Party of Vietnam"),
         ("signed anagreement", "signed an agreement"),
         ("leadersof major parties", "leaders of major parties"),
         ("a conference hostedby the party", "a conference hosted by the party"),
         ("talks fromJanuary 20", "talks from January 20"),
         ("the delegation andthe hosts", "the delegation and the hosts")]
# Real words, compounds, brands and identifiers: never split, whatever the model's lexicon lacks.
WHOLE = ["inactivated", "StackOverflow", "DeepMind", "TypeError", "SciPy", "PlayStation", "WeWork", "workflow",
         "earbuds", "webinar", "teardown", "smartwatch", "multilateralisation", "livestream", "BlackRock", "KeyError",
         "outperform", "underestimated", "McConnell", "LeBron", "VietnamPlus", "iPhone"]


@pytest.mark.parametrize("glued,repaired", FUSED)
def test_glued_words_are_split(glued, repaired):
    assert repair_glued_words(glued) == repaired


@pytest.mark.parametrize("word", WHOLE)
def test_words_compounds_and_brands_stay_whole(word):
    line = f"The report said that {word} was mentioned in the paper."
    assert repair_glued_words(line) == line


def test_content_word_fusions_are_split_only_on_a_page_that_shows_gluing():
    glued = ["Secretary of the Party ofVietnam and head of its Commission for ExternalRelations left.",
             "The two sides signed anagreement on the cooperation."]
    assert repair_glued_words(glued[0], glued) == \
        "Secretary of the Party of Vietnam and head of its Commission for External Relations left."
    clean = ["The lab at DeepMind and the Commission for ExternalRelations met on the plan."]
    assert repair_glued_words(clean[0], clean) == clean[0]


@pytest.mark.parametrize("line", [
    "Write to pressofVietnam@example.com or see https://example.org/anagreement for the text.",
    "Call obj.hostedby and set leadersof_count = 3 before the loop.",
    "if (anagreement) { return ofVietnam; }",
    "Die Verhandlungen inBerlin sollen nach Angaben der Regierung bald weiter gehen.",
])
def test_no_split_in_addresses_code_or_other_languages(line):
    assert clean_text(line).text == line


def test_clutter_lines_and_tails_are_removed_with_reasons():
    text = ("Share:\nHanoi (VNA) – The two sides signed a plan.\nA caption of the talks (Photo: VNA)\n"
            "The rest of the story./.\nAn unrelated teaser after the end marker.")
    article = clean_text(text)
    assert article.text == "The two sides signed a plan.\n\nThe rest of the story"
    reasons = {r.reason for r in article.removed}
    assert {"interface", "dateline", "caption", "after end marker"} <= reasons


@pytest.mark.parametrize("page", [b"", b"   ", b"<html><body><nav>Home</nav></body></html>"])
def test_pages_without_article_text_raise_a_clear_error(page):
    with pytest.raises(CleanError):
        clean_html(page)


BODY = "The two sides signed a plan on energy cooperation in Hanoi on Monday, the ministry said."


@pytest.mark.parametrize("clutter,reason", [
    ("(Reporting by Ann Lee; Editing by Tom Brown)", "credit"),
    ("Keith Brown contributed reporting from Moscow.", "credit"),
    ("SOURCE: News agencies", "credit"),
    ("Follow the ministry on Facebook, Twitter and Instagram.", "contact"),
    ("Have a tip? The desk may be reached at desk@example.com.", "contact"),
    ("Get the day's top headlines delivered to your inbox every morning.", "prompt"),
    ("Sign up for our free daily newsletter.", "prompt"),
    ("Like this story? Share it with a friend!", "prompt"),
    ("Read more: Russian investors eye Hanoi's high-tech parks", "teaser"),
    ("[Related: Hanoi metro line opens]", "teaser"),
    ("Putin hails ties with Vietnam [VIDEO]", "teaser"),
    ("Copyright 2025 The Daily. All Rights Reserved.", "legal"),
    ("This copy is for your personal, non-commercial use only.", "legal"),
])
def test_clutter_lines_of_general_sites_are_removed(clutter, reason):
    article = clean_text(f"{BODY}\n{clutter}\nThe plan runs to 2030.")
    assert clutter not in article.text and "The plan runs to 2030." in article.text
    assert Removed(clutter, reason) in article.removed


def test_headline_repeated_in_the_body_is_removed():
    article = clean_text(f"Vietnam, Russia sign energy plan\n{BODY}", title="Vietnam, Russia sign energy plan")
    assert article.text == BODY
    assert article.removed == [Removed("Vietnam, Russia sign energy plan", "headline")]


@pytest.mark.parametrize("text", [
    "We use a workflow and earbuds for a webinar on the roadmap, and the teardown of a smartwatch.",
    "WeWork said on Monday that WeWork would cut costs across the group.",
    "Senator McConnell met LeBron at the PlayStation launch on Monday in the city.",
    "Die Regierung hat bereits erklärt, dass die Verhandlungen weiter gehen sollen.",
])
def test_words_that_are_not_glued_stay_whole(text):
    assert clean_text(text).text == text


def test_all_caps_subheadings_and_repeated_list_labels_stay():
    text = (f"{BODY}\nWHAT THE PLAN COVERS\nEat every 2-3 hours\nThe plan covers oil and gas.\n"
            f"Eat every 2-3 hours\nDrink water\nEat every 2-3 hours\n"
            f"A duplicated paragraph of the story.\nA duplicated paragraph of the story.")
    article = clean_text(text)
    assert "WHAT THE PLAN COVERS" in article.text
    assert article.text.count("Eat every 2-3 hours") == 3
    assert article.text.count("A duplicated paragraph of the story.") == 1


def test_page_without_a_declared_charset_is_decoded():
    sentence = "General Secretary Nguyễn Phú Trọng met the Russian ambassador in Hà Nội to discuss cooperation."
    page = f"<html><head><title>Talks</title></head><body><article><p>{sentence}</p><p>{BODY}</p>" \
           f"<p>{BODY.replace('Monday', 'Tuesday')}</p></article></body></html>"
    assert sentence in clean_html(page.encode("utf-8")).text
