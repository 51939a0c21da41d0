"""Pages that answer HTTP 200 without the article: paywalls, login and cookie walls, CAPTCHA challenges
and 'not found' pages served with status 200 (soft 404), copies garbled by bytes invalid in their encoding,
plus bodies too large to be a news page.

`page_problem` is pure (status and bytes in, a reason or None out). Given the bytes as an etl.clean.HtmlPage,
it decodes and parses them for the cleaner too, and reads the tree without changing it, so the clean stage
decodes and parses each page once. The clean stage quarantines such a page with the reason; a wall, a garbled
copy or a response that is not HTML at all is quarantined at stage REFETCH_STAGE, which the crawler does not
count as archived, so a later run fetches the URL again instead of keeping the wall (or the garbled text) for
good.

A wall is told by two things together: the words or markup of a wall, and too little article text beside
it (a real article with a cookie banner or a 'subscribe' footer keeps its paragraphs and passes).
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass

from lxml import etree

from etl.clean import HtmlPage
from etl.settings import MAX_PAGE_BYTES

REFETCH_STAGE = "refetch"  # quarantined until a later run fetches the URL again
MIN_ARTICLE_WORDS = 120  # words in paragraphs outside the wall's own: fewer means no article came with it
# bytes invalid in the page's encoding (etl.clean.decode_page) garbling more words than this, and more than this
# share of the visible words, make a damaged copy (fetched again), not an article with a few replaced characters
DAMAGED_WORDS, DAMAGED_SHARE = 3, 0.01

WALLS = (  # (reason, pattern over the visible text), first match wins
    ("CAPTCHA or bot challenge", re.compile(
        r"captcha|verify (?:that )?you are (?:a )?human|are you a robot|checking (?:if the site connection is "
        r"secure|your browser)|unusual traffic|xác minh bạn không phải (?:là )?robot|подтвердите, что вы не робот",
        re.I)),
    ("paywall", re.compile(
        r"subscribe (?:now )?to (?:continue|keep) reading|subscribe to read|to continue reading,? (?:please )?"
        r"(?:subscribe|log ?in|sign ?in)|(?:for|only for|available to) (?:paying |premium )?subscribers"
        r"|subscribers? only|already a subscriber|this (?:article|content) is (?:for|reserved for) (?:paid )?"
        r"(?:members|subscribers)|đăng ký (?:gói cước |tài khoản )?để đọc|только для подписчиков"
        r"|оформите подписку", re.I)),
    ("login wall", re.compile(
        r"(?:log|sign) ?in to (?:continue|read|view|access)|please (?:log|sign) ?in|you must be logged in"
        r"|đăng nhập để (?:đọc|xem|tiếp tục)|войдите,? чтобы", re.I)),
    ("cookie wall", re.compile(
        r"accept (?:all )?cookies|cookie (?:consent|settings|preferences)|we use cookies|consent to (?:the use "
        r"of )?cookies|chấp nhận cookie|использу(?:ем|ет) (?:файлы )?cookie", re.I)),
)
NOT_FOUND = re.compile(r"\b404\b|not found|does(?:n't| not) exist|no longer (?:available|exists)"
                       r"|không tìm thấy|không tồn tại|не найден|не существует", re.I)
MARKUP = re.compile(rb"<(?:!doctype|html|head|body|p|div|article|title|meta)\b", re.I)
CHALLENGE_MARKUP = re.compile(rb"g-recaptcha|h-captcha|cf-challenge|challenge-platform|cf_chl_", re.I)


@dataclass(frozen=True)
class Problem:
    """Why a page is quarantined; stage REFETCH_STAGE when a later run should fetch it again."""

    stage: str
    reason: str


def _words(text: str | None) -> int:
    return len((text or "").split())


def page_problem(status: int, body: bytes | HtmlPage) -> Problem | None:
    """Why an archived article response holds no article, or None when it may (the cleaner decides then)."""
    page = body if isinstance(body, HtmlPage) else HtmlPage(body)
    body = page.html
    if status != 200:
        return Problem("clean", f"HTTP status {status}")
    if len(body) > MAX_PAGE_BYTES:
        return Problem("clean", f"page larger than {MAX_PAGE_BYTES} bytes")
    if not body.strip():
        return None  # the cleaner says 'empty page'
    if not MARKUP.search(body[:4096]):
        return Problem(REFETCH_STAGE, "not HTML (HTTP 200, no markup: a download or a wrong answer): fetched again "
                                      "by a later run")
    decoded = page.decoded  # as the cleaner decodes and parses it
    if page.tree is None:
        return None  # not HTML: the cleaner says so
    tree = copy(page.tree)  # the cleaner reads the page's tree next: what a reader does not see goes from a copy
    etree.strip_elements(tree, "script", "style", "noscript", "template", with_tail=False)
    paragraphs = [" ".join(p.text_content().split()) for p in tree.iter("p", "li", "blockquote")]
    visible = " ".join(tree.text_content().split())
    if decoded.replaced:
        words = visible.split()
        garbled = sum("\ufffd" in word for word in words)
        if garbled > max(DAMAGED_WORDS, DAMAGED_SHARE * len(words)):
            how = "declared" if decoded.declared else "detected"
            return Problem(REFETCH_STAGE, f"encoding damage ({decoded.replaced} byte sequences invalid in "
                                          f"{decoded.encoding}, {how}; {garbled} of {len(words)} words garbled): "
                                          "fetched again by a later run")
    for reason, pattern in WALLS:
        if not pattern.search(visible):
            continue
        article = sum(_words(p) for p in paragraphs if not pattern.search(p))
        if article < MIN_ARTICLE_WORDS:
            return Problem(REFETCH_STAGE, f"{reason} (HTTP 200, {article} words of article text): fetched again "
                                       "by a later run")
    short = sum(map(_words, paragraphs)) < MIN_ARTICLE_WORDS  # first: searching all the bytes costs more than a parse
    if short and CHALLENGE_MARKUP.search(body):
        return Problem(REFETCH_STAGE, "CAPTCHA or bot challenge (challenge markup, HTTP 200): fetched again by a "
                                   "later run")
    heading = " ".join(filter(None, [tree.findtext(".//title"), *(h.text_content() for h in tree.iter("h1"))]))
    if short and NOT_FOUND.search(heading):
        return Problem(REFETCH_STAGE, "soft 404 (a 'not found' page with HTTP 200): fetched again by a later run")
    return None
