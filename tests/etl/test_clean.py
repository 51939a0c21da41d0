"""Snippet checks for cleaning: what must go and what must stay, on the seeds and the recorded pages."""

import html
import json
import string
import unicodedata

import lxml.html
import pytest
import trafilatura

from crawlers.mirror import recorded_path
from crawlers.sources import SOURCES
from etl import settings
from etl.clean import (
    CleanError,
    Removed,
    _held,
    _in_doubt,
    _page_blocks,
    _recovered,
    _skipped,
    clean_html,
    clean_text,
    decode_page,
)
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
    article = clean_html(recorded_path(source, page["url"]).read_bytes(), url=page["url"], source=SOURCES[source])
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
         "outperform", "underestimated", "McConnell", "LeBron", "VietnamPlus", "iPhone", "apiece", "asocial"]


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


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>Talks</title></head><body><article>{body}</article></body></html>"


PARAGRAPHS = "".join(f"<p>{BODY.replace('Monday', day)}</p>" for day in ("Monday", "Tuesday", "Wednesday"))


def test_invalid_bytes_in_a_page_declared_utf8_are_replaced_and_recorded():
    sentence = "Später trafen sich die Minister in Hà Nội, um über Energie zu sprechen."
    broken = f"<p>{sentence}</p>".encode().replace("ä".encode(), b"\xe4")  # one latin-1 byte in UTF-8 text
    raw = page("", '<meta charset="utf-8">').encode()
    raw = raw.replace(b"</article>", broken + PARAGRAPHS.encode() + b"</article>")
    article = clean_html(raw)
    assert "Sp\ufffdter trafen" in article.text and "Hà Nội" in article.text  # one character lost, not the page
    assert Removed("1 byte sequences invalid in utf-8 (declared)", "encoding damage replaced") in article.removed


def test_an_undeclared_utf8_page_with_one_bad_byte_stays_utf8():
    broken = page(f"<p>{VIETNAMESE}</p>{PARAGRAPHS}").encode().replace(b"<p>", b"<p>\xff", 1)
    article = clean_html(broken)
    assert VIETNAMESE in article.text
    assert Removed("1 byte sequences invalid in utf-8 (detected)", "encoding damage replaced") in article.removed


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese sites wrote it: base letters precomposed where the code page has them,
    tone marks as separate combining characters."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            out += base.encode("cp1258") + "".join(c for c in parts if c in TONE_MARKS).encode("cp1258")
    return out


VIETNAMESE = ("Thủ tướng Phạm Minh Chính đã tiếp Đại sứ Nga tại Hà Nội và hai bên thảo luận về hợp tác năng lượng, "
              "giáo dục và thương mại trong năm tới. Ông cho biết quan hệ hai nước đang phát triển tốt đẹp.")


@pytest.mark.parametrize("head", ['<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">', ""])
def test_windows_1258_pages_declared_or_not_are_stored_as_nfc(head):
    body = "".join(f"<p>{VIETNAMESE}</p>" for _ in range(3)).replace("năm tới", "tháng tới", 1)
    article = clean_html(cp1258(page(body, head)))
    assert "Thủ tướng Phạm Minh Chính" in article.text  # the precomposed (NFC) form, as LIKE '%Thủ tướng%' needs
    assert unicodedata.is_normalized("NFC", article.text)


def test_a_page_mislabelled_utf8_is_read_in_its_real_encoding_and_a_utf8_page_under_a_legacy_label_as_utf8():
    """A declared charset that fails strictly is weighed against the bytes: a windows-1258 page declared utf-8 has
    almost no valid multi-byte UTF-8 in it (detected instead); a UTF-8 page declared windows-1252 whose bytes
    the code page cannot hold is valid UTF-8 (read so)."""
    body = "".join(f"<p>{VIETNAMESE}</p>" for _ in range(3)).replace("năm tới", "tháng tới", 1)
    mislabelled = cp1258(page(body, '<meta charset="utf-8">'))
    decoded = decode_page(mislabelled)
    assert decoded.encoding == "cp1258" and decoded.replaced == 0 and "Thủ tướng Phạm Minh Chính" in decoded.text
    utf8 = page("<p>Ông Đặng Hoàng Giang gặp ông Александр Бабаков.</p>", '<meta charset="windows-1252">').encode()
    with pytest.raises(UnicodeDecodeError):
        utf8.decode("cp1252")
    assert decode_page(utf8).encoding == "utf-8" and "Đặng Hoàng Giang" in decode_page(utf8).text


SYMBOLS = ("Bake at 180 °C, or 30°C in the shade, for order n°2019 and form № 7 of BrandName™ — "
           "the team cheered 👍🏽 and 🇻🇳 flags waved.")


def test_symbols_are_kept_verbatim():
    assert clean_text(f"{BODY}\n{SYMBOLS}").text == f"{BODY}\n\n{SYMBOLS}"


def test_symbols_survive_html_extraction_and_code_in_the_body_does_not():
    body = (f"<p>{BODY}<script>var tracker = window.dataLayer || [];</script></p><p>{SYMBOLS}</p>"
            f"<style>.ad {{ display: none }}</style>{PARAGRAPHS}")
    selectors = SOURCES["vietnamplus"]
    for source, html_page in ((None, page(body)),
                              (selectors, page(f'<div class="{selectors.body_selector.split(".")[-1]}">{body}</div>'))):
        article = clean_html(html_page.encode(), source=source)
        assert article.extractor == ("site selectors" if source else "precision")
        assert SYMBOLS in article.text
        assert "dataLayer" not in article.text and "display: none" not in article.text


LONG_LINE = " ".join(BODY.replace("Monday", day) for day in ("Monday", "Tuesday", "Wednesday", "Thursday"))


def test_an_article_on_one_line_ending_with_a_legal_notice_is_kept():
    line = f"{LONG_LINE} © 2025 The Daily. All Rights Reserved."
    assert clean_text(line).text == line


def test_no_line_rule_removes_most_of_an_article():
    captions = ["President meets the ambassador in Hanoi (Photo: VNA)", "The two delegations at the talks (Photo: VNA)"]
    assert clean_text("\n".join(captions + ["The talks went well."])).text == "\n\n".join(captions +
                                                                                        ["The talks went well."])


def test_a_caption_only_page_is_kept_not_skipped():
    article = clean_html(page("<p>Prime Minister Pham Minh Chinh meets the Russian ambassador (Photo: VNA)</p>"))
    assert article.text == "Prime Minister Pham Minh Chinh meets the Russian ambassador (Photo: VNA)"


def test_a_related_widget_mid_article_cuts_only_its_teasers():
    text = (f"{BODY}\nRelated\nRussia and Vietnam open a new air route\nHanoi hosts an energy forum\n"
            f"{LONG_LINE}\nThe agreement takes effect next year.")
    article = clean_text(text)
    assert article.text == f"{BODY}\n\n{LONG_LINE}\n\nThe agreement takes effect next year."
    assert [r.reason for r in article.removed] == ["teaser list"] * 3


def test_a_see_also_heading_before_paragraphs_cuts_nothing():
    text = f"{BODY}\nSee also\n{LONG_LINE}\nThe agreement takes effect next year."
    assert clean_text(text).text == text.replace("\n", "\n\n")


def test_blocks_the_extractor_left_out_are_recorded():
    comment = ("I have followed these talks for years and I think the plan is good for both countries, "
               "although the part on energy could have gone further than it did this time round.")
    html_page = page(PARAGRAPHS).replace("</article>", f'</article><div class="comments"><p>{comment}</p></div>')
    article = clean_html(html_page)
    assert comment not in article.text  # comment sections are dropped (news), but not silently
    assert Removed(comment, "not extracted") in article.removed


STORY = ["The two sides signed a plan on energy cooperation in Hanoi on Monday, the ministry said in a statement "
         "after the talks ended late in the evening.",
         "Under the plan, the Russian side will help build two gas-fired power plants in the central provinces and "
         "train the engineers who will run them there.",
         "Officials said the first plant could start operating in 2028, provided the financing agreed at the talks "
         "is confirmed by both governments this year.",
         "The ministers also discussed education, saying that the number of Vietnamese students at Russian "
         "universities should double within five years."]


def test_recall_mode_is_taken_when_precision_skips_long_blocks_inside_the_article():
    body = "".join(f"<div class='teaser'><p>{p}</p></div>" if i % 2 == 0 else f"<p>{p}</p>"
                   for i, p in enumerate(STORY))
    article = clean_html(page(body))
    assert article.extractor == "recall"
    assert [p for p in STORY if p not in article.text] == []


def test_precision_mode_stays_when_it_holds_the_article_whatever_the_word_counts():
    teasers = "".join(f"<li><a href='/n/{i}'>Teaser headline number {i} about something else</a></li>"
                      for i in range(12))
    body = "".join(f"<p>{p}</p>" for p in STORY) + f"<div class='more'><ul>{teasers}</ul></div>"
    article = clean_html(page(body))
    assert article.extractor == "precision"
    assert [p for p in STORY if p not in article.text] == [] and "Teaser headline" not in article.text


STEPS = ["Heat the oven to 200 °C.", "Spread the dried chickpeas on a lined tray.",
         "Roast for 30 minutes, shaking the tray halfway.", "Toss them with paprika and salt while hot."]
NOTE = "They lose their crunch after a day in a closed jar; keep them in a paper bag."


def _evidence(body: str, text: str) -> tuple[bool, int]:
    """(in doubt, short-block characters skipped) of a candidate text on a page built from body."""
    tree = trafilatura.load_html(page(body))
    blocks = _page_blocks(tree)
    held = _held(blocks, text)
    return _in_doubt(blocks, held, text), _skipped(blocks, held)


def test_a_text_skipping_steps_and_notes_inside_its_article_is_in_doubt():
    body = (f"<div class='intro'><p>{STORY[0]}</p><p>{STORY[1]}</p><ul>{''.join(f'<li>{s}</li>' for s in STEPS)}</ul>"
            f"<div class='notes'>{NOTE}</div></div>")
    assert _evidence(body, "\n".join(STORY[:2] + STEPS + [NOTE])) == (False, 0)
    doubt, skipped = _evidence(body, "\n".join(STORY[:2]))
    assert doubt and skipped == sum(map(len, STEPS + [NOTE]))
    doubt, skipped = _evidence(body, "\n".join(STORY[:2] + STEPS))
    assert doubt and skipped == len(NOTE)


def test_captions_bylines_and_widgets_around_the_text_are_no_evidence_against_it():
    body = (f"<div class='byline'>By Ann Lee, Hanoi correspondent</div><div class='date'>Monday 3 March 2025</div>"
            f"<p>{STORY[0]}</p><figure><img src='a.jpg'><figcaption>The ministers shake hands after the talks "
            f"in Hanoi on Monday</figcaption></figure><p>{STORY[1]}</p><p>{STORY[2]}</p>"
            f"<div class='related'>Officials say more talks follow</div><div class='related'>Energy prices rise in "
            f"the central provinces</div><div class='related'>Students head to Russian universities</div>")
    assert _evidence(body, "\n".join(STORY[:3])) == (False, 0)


def test_recall_mode_is_taken_when_precision_drops_a_recipe_cards_notes():
    card = (f"<div class='wprm-recipe-container'><h2>Crispy oven chickpeas</h2>"
            f"<div class='wprm-recipe-summary'>A crunchy snack from one tin of chickpeas.</div>"
            f"<ul>{''.join(f'<li><div class=wprm-recipe-instruction-text>{s}</div></li>' for s in STEPS)}</ul>"
            f"<div class='wprm-recipe-notes-container'><h3>Notes</h3><div class='wprm-recipe-notes'>{NOTE}</div></div>"
            f"</div>")
    article = clean_html(page(f"<div class='entry-content'><p>{STORY[0]}</p><p>{STORY[1]}</p>{card}</div>"))
    assert article.extractor == "recall"
    assert [s for s in [*STORY[:2], *STEPS, NOTE] if s not in article.text] == []


QUESTIONS = ["Where will the new power plants be built?", "Who will run the plants?", "When could the first one open?"]


def test_questions_in_buttons_are_put_back_before_their_answers():
    """An FAQ accordion: the extractor drops the <button>s holding the questions; they go back before their
    answers (one long, as the extractor's evidence goes: the questions lie in the element holding all the text
    it kept), and a control's label ('Expand all') stays out."""
    answers = [STORY[1], "Engineers trained in Russia, the ministry says.", "In 2028, if the financing is confirmed."]
    items = "".join(f"<div class='faq-item'><button type='button'>{q}</button><div class='panel'><p>{a}</p></div></div>"
                    for q, a in zip(QUESTIONS, answers, strict=True))
    lead = "What the plan signed in Hanoi on Monday means, in three questions."
    article = clean_html(page(f"<h1>The energy plan</h1><p>{lead}</p><button>Expand all</button>{items}"))
    assert article.paragraphs == [lead, *(line for pair in zip(QUESTIONS, answers, strict=True) for line in pair)]


INTRO = ("Two gas-fired plants, a training centre and a deal on financing: the energy plan signed in Hanoi is the "
         "largest the two countries have agreed in a decade.")


def test_an_introduction_in_a_block_of_its_own_is_put_back_before_the_text():
    body = (f"<h1>The energy plan</h1><div class='meta'>By Ann Lee · 5 min read</div><div class='intro'><p>{INTRO}</p>"
            f"</div><div class='article-content'>{''.join(f'<p>{p}</p>' for p in STORY)}</div>"
            "<div class='author-bio'><p>Ann Lee covers energy and industry for the paper from Hanoi.</p></div>")
    assert clean_html(page(body)).paragraphs == [INTRO, *STORY]


def test_prose_in_a_box_of_its_own_in_boilerplate_or_apart_from_the_text_is_not_put_back():
    """Sentences among the text's paragraphs that belong to something else: a promotion's summary under its
    link, a caption (trafilatura's boilerplate by class), a note followed by a byline rather than by the text."""
    promo = ("<div class='card'><a href='/a/1'>Gas prices climb</a><div class='summary'>Prices for gas rose again "
             "this week, traders in Singapore said on Friday.</div></div>")
    caption = "<div class='image-caption'>The ministers shake hands after the talks in Hanoi on Monday.</div>"
    note = "<div class='note'>This story was updated with the ministry's statement.</div><div>By Ann Lee</div>"
    body = f"<p>{STORY[0]}</p>{promo}<p>{STORY[1]}</p>{caption}<p>{STORY[2]}</p>{note}<p>{STORY[3]}</p>"
    tree = trafilatura.load_html(page(body))
    blocks = _page_blocks(tree)
    text = "\n".join(STORY)  # what an extractor keeps of the page
    assert _recovered(blocks, _held(blocks, text), text) == text


def test_on_a_mixed_page_only_the_english_lines_are_repaired():
    german = "Die Gespräche inBerlin sollen nach Angaben der Regierung im Herbst weiter gehen, hieß es."
    text = f"{BODY}\nThe Secretary of the Party ofVietnam arrived in Moscow on Monday for the talks.\n{german}"
    article = clean_text(text)
    assert "Party of Vietnam arrived" in article.text and german in article.text


def test_each_glued_word_split_is_recorded():
    article = clean_text("The delegation signed anagreement. It was hostedby the party.")
    assert article.text == "The delegation signed an agreement. It was hosted by the party."
    assert [r for r in article.removed if r.reason == "glued words split"] == [
        Removed("anagreement", "glued words split"), Removed("hostedby", "glued words split")]


def test_a_short_line_repeated_in_two_lists_is_structure_not_a_duplicate():
    text = f"{BODY}\nMonday menu\n1 cup oats with 200 ml milk\nTuesday menu\n1 cup oats with 200 ml milk\n{BODY}"
    article = clean_text(text)
    assert article.text.count("1 cup oats with 200 ml milk") == 2
    assert article.removed == [Removed(BODY, "duplicate")]


def test_author_comes_from_the_byline_when_no_meta_tag_names_one():
    body = f'<div class="byline">By Ann Lee</div>{PARAGRAPHS}<form><label class="comment-author">Name</label></form>'
    assert clean_html(page(body)).author == "Ann Lee"


def test_an_end_marker_cuts_a_teaser_tail_but_not_article_length_text_after_it():
    teasers = "Russia and Vietnam open a new air route\nHanoi hosts an energy forum"
    assert clean_text(f"{BODY}./.\n{teasers}").text == BODY
    assert clean_text(f"{BODY}./.\n{LONG_LINE} {LONG_LINE}").text == f"{BODY}./.\n\n{LONG_LINE} {LONG_LINE}"


CHECKSET = settings.PROJECT_ROOT / "bench" / "checkset"


@pytest.mark.parametrize("name", sorted(json.loads((CHECKSET / "checks.json").read_text(encoding="utf-8"))["pages"]))
def test_every_paragraph_kept_on_a_check_set_page_is_the_pages_own_text_verbatim(name):
    raw = (CHECKSET / name).read_bytes()
    page_text = " ".join(unicodedata.normalize("NFC", lxml.html.fromstring(raw.decode("utf-8")).text_content()).split())
    article = clean_html(raw)
    assert article.paragraphs
    # trafilatura marks a list item with '- '; every other character is the page's, in order
    assert [p for p in article.paragraphs if " ".join(p.removeprefix("- ").split()) not in page_text] == []
