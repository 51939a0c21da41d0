"""Relevance before fetching (listings) and after (the body), each with its evidence."""

from crawlers.listings import Listed, parse_links
from crawlers.relevance import body_relevance, listing_relevance, slug_text


def test_both_sides_in_a_title_or_its_keywords_make_a_page_worth_fetching():
    judged = listing_relevance([Listed("https://x.vn/1", title="Putin receives To Lam"),
                                Listed("https://x.vn/1", keywords="diplomacy")])
    assert judged.worth_fetching and judged.score == 1.0
    assert judged.evidence == ("title: To Lam (VN)", "title: Putin (RU)")
    assert listing_relevance([Listed("https://x.vn/2", title="Talks in Hanoi", keywords="Kremlin")]).score == 1.0


def test_one_side_only_is_not_fetched_and_says_why():
    judged = listing_relevance([Listed("https://x.vn/3", title="Bank of Russia raises key rate")])
    assert (judged.score, judged.worth_fetching, judged.evidence) == (0.5, False, ("title: Russia (RU)",))
    metro = Listed("https://x.vn/metro-line-opens-post1.vnp", title="Metro opens")
    assert not listing_relevance([metro]).worth_fetching


def test_a_listing_saying_nothing_leaves_the_page_to_be_fetched():
    judged = listing_relevance([Listed("https://tass.com/politics/1806207")])
    assert judged.score is None and judged.worth_fetching


def test_a_descriptive_slug_is_evidence():
    url = "https://en.vietnamplus.vn/vietnamese-russian-pms-hold-talks-post306998.vnp"
    assert slug_text(url) == "vietnamese russian pms hold talks post306998"
    assert listing_relevance([Listed(url)]).score == 1.0
    assert slug_text("https://tass.com/politics/1806207") == ""


def test_a_topic_page_listing_counts_as_relevant():
    [entry] = parse_links(b"<ul><li><a href='/p/9'>Ties</a><time datetime='2025-01-02'></time></li></ul>",
                          "https://x.vn/tag/vietnam-russia", topic=True)
    assert entry.url == "https://x.vn/p/9" and entry.day.isoformat() == "2025-01-02"
    assert listing_relevance([entry]).score == 1.0


def test_body_relevance_scores_with_counted_evidence():
    text = "Vietnam and Russia signed deals. Vietnamese and Russian firms, Moscow said. Hanoi agreed."
    judged = body_relevance(text)
    assert judged.score == 1.0
    assert "body: Russian x1 (RU)" in judged.evidence
    assert body_relevance("Russia and China met.").score == 0.0
    assert 0.5 <= body_relevance("Vietnam and Russia met.").score < 1.0
