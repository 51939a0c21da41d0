"""Near-copy detection on synthetic texts: trimmed, reordered and re-headlined copies are found and verified
on their shingles; a compilation and a templated report a year later are not copies, and a compilation is
linked to every story it contains."""

import datetime as dt
import random

import pytest

from etl.dedupe import Candidate, Compilation, Duplicate, NearCopies, find_duplicates, judge, shingles, signature

DAY = dt.date(2025, 3, 10)
rng = random.Random(14)
WORDS = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9))) for _ in range(3000)]


def _story(paragraphs: int = 8) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 45))) + "." for _ in range(paragraphs)]


def _jaccard(a: str, b: str) -> float:
    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y)


def _found(*texts: tuple[str, dt.date]) -> dict[int, int]:
    candidates = [Candidate(i, f"https://site{i}.vn/a", text, day) for i, (text, day) in enumerate(texts)]
    return {d.article_id: d.original_id for d in find_duplicates(candidates)}


def test_trimmed_reordered_and_rewritten_copies_are_found():
    original = _story()
    trimmed = original[:4]  # most of the copy lies inside the original: Jaccard alone would miss it
    reordered = ["New headline here."] + original[3:] + original[:3] + ["Follow us on every network."]
    rewritten = original[:7] + _story(2)
    texts = ["\n\n".join(p) for p in (original, trimmed, reordered, rewritten)]
    assert _jaccard(texts[0], texts[1]) < 0.6 and 0.6 <= _jaccard(texts[0], texts[3]) < 0.8
    assert _found(*((t, DAY) for t in texts)) == {1: 0, 2: 0, 3: 0}


def test_a_compilation_of_two_stories_stays_its_own_article():
    first, second = _story(), _story()
    texts = ["\n\n".join(first), "\n\n".join(second), "\n\n".join(first[:4] + second[:4])]
    assert _found(*((t, DAY) for t in texts)) == {}


def _judged(*texts: tuple[str, dt.date]) -> list[Duplicate | Compilation]:
    return judge([Candidate(i, f"https://site{i}.vn/a", text, day) for i, (text, day) in enumerate(texts)])


def test_a_digest_is_linked_to_each_story_it_contains_however_many():
    """Five stories (a sixth of the digest each or less: Jaccard with it under 0.3, where MinHash LSH finds
    little) run whole, one without its last paragraph and one with a word edited in each paragraph, inside
    a later digest with an introduction and a closing line."""
    stories = [_story(3) for _ in range(4)] + [_story(6)]
    edited = [" ".join(w if i != 10 else "edited" for i, w in enumerate(p.split())) for p in stories[3]]
    digest = _story(1) + [p for story in stories[:3] for p in story] + edited + stories[4][:-1] + _story(1)
    texts = [("\n\n".join(story), DAY - dt.timedelta(days=n % 3)) for n, story in enumerate(stories)]
    assert max(_jaccard(text, "\n\n".join(digest)) for text, _ in texts) < 0.3
    judged = _judged(*texts, ("\n\n".join(digest), DAY + dt.timedelta(days=1)))
    assert judged == [Compilation(5, (0, 1, 2, 3, 4))]


def test_an_extended_report_of_one_story_is_no_compilation():
    story = _story(4)
    extended = story + _story(4)  # the whole story and as much again: Jaccard 0.5, neither copy nor digest
    assert _judged(("\n\n".join(story), DAY), ("\n\n".join(extended), DAY + dt.timedelta(days=1))) == []


def test_stories_sharing_stock_phrases_or_one_paragraph_are_not_contained():
    boilerplate = _story(2)
    stories = [_story(4) + boilerplate for _ in range(3)]
    quoting = _story(6) + stories[0][:1]  # repeats one paragraph of the first story: not most of it
    judged = _judged(*(("\n\n".join(s), DAY) for s in stories), ("\n\n".join(quoting), DAY))
    assert not [j for j in judged if isinstance(j, Compilation)]


def test_the_same_template_a_year_apart_is_not_a_copy():
    template = _story(4)
    call = ["On {day} the leaders spoke by phone."] + template
    texts = ["\n\n".join(call).format(day=day) for day in ("10 March 2024", "10 March 2025")]
    assert _jaccard(*texts) > 0.8
    assert _found((texts[0], DAY - dt.timedelta(days=365)), (texts[1], DAY)) == {}
    assert _found((texts[0], DAY - dt.timedelta(days=2)), (texts[1], DAY)) == {1: 0}  # within days: a copy


def test_stored_signatures_find_what_fresh_hashing_finds():
    original = _story()
    texts = ["\n\n".join(p) for p in (original, original[:4], original[2:] + _story(1), _story())]
    fresh = [Candidate(i, f"https://site{i}.vn/a", text, DAY) for i, text in enumerate(texts)]
    stored = [Candidate(i, f"https://site{i}.vn/a", text, DAY, signature(text)) for i, text in enumerate(texts)]
    assert find_duplicates(stored) == find_duplicates(fresh) != []


def test_streamed_copies_are_found_up_to_a_week_after_their_original_and_not_later():
    """NearCopies drops originals older than a week as it streams; a copy on day 7 still finds its original."""
    stories = ["\n\n".join(_story()) for _ in range(3)]
    originals = [(story, DAY + dt.timedelta(days=n)) for n, story in enumerate(stories)]  # days 0, 1, 2
    copies = [(stories[n] + "\n\nFollow us.", DAY + dt.timedelta(days=day)) for n, day in ((0, 7), (1, 8), (2, 10))]
    assert _found(*originals, *copies) == {3: 0, 4: 1}  # 7 days after: copies; 8 days after: an article of its own


def test_articles_fed_out_of_order_are_refused():
    finder = NearCopies()
    finder.add(Candidate(1, "https://site.vn/b", "later text", DAY + dt.timedelta(days=1)))
    with pytest.raises(ValueError, match="out of"):
        finder.add(Candidate(2, "https://site.vn/a", "earlier text", DAY))
