"""Clean a news page or a scraped text down to the article: title, date, author and body paragraphs.

trafilatura finds the main text (precision or recall mode, chosen by the page's evidence) and the
metadata; the page's sentences it left out of the article, where the evidence places them in it (an
FAQ's questions in buttons, an introduction in a block of its own), are put back in document order. On
top of it, each source's own rules (crawlers/sources/<name>.py) and generic rules remove whole lines
general extractors leave in: teaser lists, share bars, captions, credits, newsletter prompts, SEO
prompts, agency datelines, the headline repeated in the body; words a source glued together are split
where the evidence proves it (etl.glue). Otherwise the text is kept verbatim (NFC, every symbol). (Site
templates: etl.templates.) Every change is kept, with its reason, in Article.removed, with the long
blocks the extractor left out and any encoding damage.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import re
import unicodedata
from collections import Counter
from copy import copy
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import charset_normalizer
import trafilatura
from htmldate import find_date
from lxml import etree
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title
from trafilatura.xpaths import DISCARD_IMAGE_ELEMENTS, OVERALL_DISCARD_XPATH, TEASER_DISCARD_XPATH

from etl.glue import apply_splits, find_splits, is_english


class SiteRules(Protocol):
    """What the cleaner needs to know of a site (crawlers.sources.Source provides it): the body and date its own
    selectors find (None: they found too little, use the generic extractor), clutter and title selectors,
    whole-line clutter patterns, end markers and the edition's language."""

    def select_body(self, tree) -> str | None: ...

    def select_date(self, tree) -> dt.date | None: ...

    drop_selectors: tuple[str, ...]
    title_selector: str
    line_patterns: tuple[str, ...]
    end_markers: tuple[str, ...]
    language: str



@dataclass(frozen=True)
class Removed:
    text: str
    reason: str


@dataclass
class Article:
    text: str
    title: str | None = None
    published: dt.date | None = None
    updated: dt.date | None = None  # the latest date the page gives, when later than the publication
    author: str | None = None
    language: str | None = None
    removed: list[Removed] = field(default_factory=list)
    extractor: str | None = None  # what gave the body: "site selectors", or trafilatura's "precision"/"recall"

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n\n") if self.text else []

    @property
    def lead(self) -> str | None:
        """The first paragraph: a news article opens with its lead."""
        return self.paragraphs[0] if self.text else None


class CleanError(ValueError):
    """The input holds no article text (empty, an error page, not HTML)."""


UI_LABELS = {
    "log in", "login", "sign in", "sign up", "register", "share", "reactions", "print", "email", "comment",
    "comments", "follow us", "tags", "topics", "back to top", "home", "menu", "search", "subscribe",
}
TAIL_HEADERS = {
    "related news", "related", "related articles", "related stories", "you may also like", "most viewed",
    "most read", "trending", "read more", "more news", "latest news", "other news", "see also", "read also",
}
AGENCIES = r"VNA|VNS|VOV|TASS|Sputnik|RIA Novosti|Interfax|AFP|Reuters|AP|Xinhua"
LINE_RULES: tuple[tuple[str, re.Pattern], ...] = (
    ("banner", re.compile(r"^(?=[^a-z]{12,}$)(?:.*?[A-Z]{2,}){3}")),  # no small letter, three runs of capitals
    ("seo", re.compile(r"(?i)\b(optimi[sz]ing for search engines|captivating title|"
                        r"seo[- ]friendly|meta description)\b")),
    ("caption", re.compile(r"(?i)(\(\s*photo(s)?\s*:[^)]*\)\s*\.?$|"
                            r"\bphoto(s)?\s*:\s*[\w ./&-]{2,40}\.?$|^\(?photo(s)?\s*:)")),
    ("caption", re.compile(r"\((?:L|R|C|left|right|centre|center|middle|[a-z]+ from (?:left|right))\)")),
    ("navigation", re.compile(r"(?i)^(previous|next) (article|post|story)\b")),
    ("credit", re.compile(r"(?i)^(source|sources|by|theo)\s*:\s*[\w .,/&()-]{1,40}$")),
    ("credit", re.compile(r"(?i)^\(?(additional |with )?(reporting|writing|editing) by\b")),
    ("credit", re.compile(r"(?i)^[^.]{0,160}\bcontributed (reporting|to this (report|story|article))\b[^.]{0,80}\.?$")),
    ("credit", re.compile(r"(?i)^with [\w.]+ wires?\.?$")),
    ("contact", re.compile(r"(?i)^(follow|email|e-mail|write to|reach|contact)\b.{0,120}"
                           r"(@|twitter|facebook|instagram|linkedin|youtube)\W?[^.]{0,80}\.?$")),
    ("contact", re.compile(r"(?i)^have a (news )?tip\?")),
    ("prompt", re.compile(r"(?i)\b(sign up|subscribe)\b.{0,80}\b(newsletters?|inbox)\b|"
                          r"\b(delivered|straight) to your inbox\b|^if you (enjoyed|liked) this (article|story)|"
                          r"\bshare (it|this( story| article)?) with (a friend|your friends)")),
    ("teaser", re.compile(r"(?i)^\[?(related( post| article| story| content| coverage)?|read more|read also|also read|"
                          r"see more|see also|also on [\w.]+|more from [\w .]{1,40})\s*:")),
    ("teaser", re.compile(r"\[[A-Z]{3,}\]\s*\|?$")),
    ("legal", re.compile(r"(?i)^(©|copyright\b|\(c\) ?\d{4})|all rights reserved\.?$|"
                         r"for your personal,? non-commercial use only")),
)


def _lowered(rule: re.Pattern) -> tuple[re.Pattern, bool]:
    """A case-insensitive rule written all in lower case runs faster without the flag on the lower-cased line:
    (the rule to run, whether it takes the lower-cased line). Any capital (a literal, or an escape such as \\W)
    keeps the rule as written."""
    body = rule.pattern.removeprefix("(?i)")
    if rule.flags & re.IGNORECASE and body != rule.pattern and body == body.lower():
        return re.compile(body), True
    return rule, False


RUN_RULES = tuple((name, *_lowered(rule)) for name, rule in LINE_RULES)
DATELINE = re.compile(rf"^[A-Z][\w .,'’-]{{1,40}}?\s*\((?:{AGENCIES})\)\W{{0,3}}?\s*[–—-]+\s*")
CLUTTER_WORDS = 60  # a line rule removes short lines only: a long line is article text whatever it ends with
MAX_SHARE = 0.5  # no line rule removes more than this share of an article's words by itself
TEASER_WORDS = 20  # a teaser headline: short, without a closing full stop
TAIL_LINE_WORDS = 80  # a tail after an end marker is cut only when every line of it is teaser-sized
TEASER_SHARE = 0.4
EXACT_REASONS = {None, "teaser list", "interface", "headline"}  # exact matches, not patterns: outside the bound


def nfc(text: str) -> str:
    """Unicode NFC (one code point per accented letter), checked first: most pages already are."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


NON_WORD = re.compile(r"[\W_]+")


def _key(line: str) -> str:
    """A line's letters and digits, lower-cased: what two renderings of one line share."""
    return NON_WORD.sub("", line).lower()


def _words(lines) -> int:
    return sum(len(line.split()) for line in lines)


SENTENCE_END = re.compile(r"[.!?…]['\"”’)]?$")


def _headline_like(line: str) -> bool:
    return len(line.split()) <= TEASER_WORDS and not SENTENCE_END.search(line)


def _teaser_run(lines: list[str]) -> int:
    """How many of the lines after a 'Related'-style heading are teasers: up to the last headline-like
    line (plus a closing summary at the very end), when headlines are a good share of them. 0 when the
    heading opens ordinary text ('See also' before paragraphs)."""
    heads = [i for i, line in enumerate(lines) if _headline_like(line)]
    if not heads:
        return 0
    end = heads[-1] + 1
    if end == len(lines) - 1 and len(lines[end].split()) <= CLUTTER_WORDS:
        end += 1
    run = lines[:end]
    teaser_sized = all(len(line.split()) <= CLUTTER_WORDS for line in run)
    return end if teaser_sized and len(heads) >= TEASER_SHARE * len(run) else 0


def _line_reason(line: str, key: str, kept_before: bool, title_key: str, site_rules) -> str | None:
    if len(line.split()) > CLUTTER_WORDS:
        return None
    lower = line.lower()
    reason = next((name for name, rule, lowered in RUN_RULES if rule.search(lower if lowered else line)
                   and not (name == "banner" and kept_before)), None)  # all caps mid-article: a subheading
    if reason is None and title_key and key == title_key:
        reason = "headline"
    if reason is None and line.rstrip(":").strip().lower() in UI_LABELS:
        reason = "interface"
    if reason is None and any(rule.search(line) for rule in site_rules):
        reason = "site rule"
    return reason


def clean_text(text: str, source: SiteRules | None = None, title: str | None = None,
               navigation: frozenset[str] = frozenset()) -> Article:
    """Clean scraped text (no HTML): drop whole clutter lines, cut teaser tails, repair proven glued words.

    Text is NFC-normalised and otherwise kept verbatim, every symbol included. A line repeating the
    page's title is the headline, not body; a line that is the text of one of the page's navigation links
    (`navigation`, as keys) is navigation. No line rule removes more than MAX_SHARE of the words by
    itself (a one-line article ending 'All Rights Reserved.' stays); tails are cut only when they look
    like teasers."""
    site_rules = [re.compile(p) for p in (source.line_patterns if source else ())]
    end_markers = ("./.",) + tuple(source.end_markers if source else ())
    lines = [" ".join(raw.split()) for raw in nfc(text).splitlines()]
    lines = [line for line in lines if line]
    keys = [_key(line) for line in lines]
    title_key = _key(title) if title else ""
    reasons: list[str | None] = [None] * len(lines)
    kept_before = False
    for index, line in enumerate(lines):
        if kept_before and line.rstrip(":").strip().lower() in TAIL_HEADERS:
            run = _teaser_run(lines[index + 1:])
            if run:
                reasons[index: index + 1 + run] = ["teaser list"] * (1 + run)
            continue
        if reasons[index] is None:
            reasons[index] = _line_reason(line, keys[index], kept_before, title_key, site_rules)
        if reasons[index] is None and keys[index] in navigation:
            reasons[index] = "navigation link"
        kept_before = kept_before or reasons[index] is None
    total = _words(lines)
    for reason in set(reasons) - EXACT_REASONS:
        if _words(line for line, r in zip(lines, reasons, strict=True) if r == reason) > MAX_SHARE * total:
            reasons = [None if r == reason else r for r in reasons]
    kept_lines = [line for line, r in zip(lines, reasons, strict=True) if r is None]
    splits = find_splits(kept_lines)
    if splits and not is_english(" ".join(kept_lines)):
        splits = {}
    removed: list[Removed] = []
    kept: list[str] = []
    seen: set[str] = set()
    pattern = {key for key, n in Counter(keys).items() if n > 2}  # a repeated question, a list label
    for index, line in enumerate(lines):
        if reasons[index]:
            removed.append(Removed(line, reasons[index]))
            continue
        key = keys[index]  # a split leaves it as it is; a dateline or an end marker cut changes it
        dateline = DATELINE.match(line)
        if dateline:
            removed.append(Removed(dateline.group(0).strip(), "dateline"))
            line = line[dateline.end():]
        marker = next((m for m in end_markers if line.endswith(m)), None)
        tail = lines[index + 1:]
        if marker and all(len(rest.split()) <= TAIL_LINE_WORDS for rest in tail):
            line = line[: -len(marker)].rstrip()
        else:
            marker = None
        if dateline or marker:
            key = _key(line)
        line, split = apply_splits(line, splits)
        removed += [Removed(word, "glued words split") for word in split]
        if key in seen and key not in pattern and not _headline_like(line):  # a short repeated label is structure
            removed.append(Removed(line, "duplicate"))
        elif line:
            seen.add(key)
            kept.append(line)
        if marker:
            removed += [Removed(rest, "after end marker") for rest in tail]
            break
    return Article(text="\n\n".join(kept), removed=removed)


def _to_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]{0,100}encoding=["']([\w.:-]+)""",
                     re.IGNORECASE)
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
WHATWG = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}  # browsers read these labels as windows-1252


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    declared: bool
    replaced: int  # byte sequences invalid in that encoding, each shown as U+FFFD


def _codec(label: bytes) -> str | None:
    try:
        name = codecs.lookup(label.decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    return WHATWG.get(name, name)


def _utf8_counts(page: bytes) -> tuple[int, int]:
    """(damaged, good): byte sequences invalid in UTF-8, and valid non-ASCII characters, of the page read as UTF-8.
    Read in a single-byte code page instead, each good one would turn into two to four wrong characters."""
    text = page.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd") - page.count("\ufffd".encode())
    return damaged, sum(not ch.isascii() for ch in text) - text.count("\ufffd")


def _reading(page: bytes, declared: str | None) -> str:
    """The encoding to read a page in when its declared one (or, undeclared, UTF-8) fails on some bytes: the
    reading that fits the evidence. A valid multi-byte UTF-8 sequence seldom occurs by chance in a legacy code page,
    so a page declared UTF-8 stays UTF-8 (its invalid bytes replaced and counted) unless its valid non-ASCII
    characters number under a tenth of its invalid sequences; undeclared, they must outnumber them tenfold; a
    page valid as UTF-8 under another label is UTF-8; else the detected encoding (windows-1258 among others),
    else the declared one with replacement characters."""
    damaged, good = _utf8_counts(page)
    if (declared in (None, "utf-8") and (good >= 10 * damaged if declared is None else 10 * good >= damaged)) or \
            (declared not in (None, "utf-8") and good > 0 and damaged == 0):  # valid UTF-8 under a wrong label
        return "utf-8"
    best = charset_normalizer.from_bytes(page).best()
    return best.encoding if best else declared or "utf-8"


def decode_page(page: bytes) -> Decoded:
    """Decode a page by its byte-order mark or declared charset, strictly; a page that fails to decode that way
    is read in the encoding the evidence favours (_reading), with replacement of invalid bytes,
    counted in `replaced` (the walls check quarantines a page damaged beyond a small share, so a few bad bytes
    never garble the whole page, nor does a page garbled throughout become an article). NFC-normalised:
    Vietnamese legacy encodings store tone marks apart."""
    declared = next((enc for bom, enc in BOMS if page.startswith(bom)), None)
    if declared:
        page = page[len(next(bom for bom, enc in BOMS if enc == declared)):]
    else:
        match = CHARSET.search(page[:4096])
        declared = _codec(match.group(1) or match.group(2)) if match else None
    encoding = declared or "utf-8"
    try:
        text = page.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        encoding = _reading(page, declared)
        text = page.decode(encoding, errors="replace")
    literal = "\ufffd".encode(encoding, errors="ignore")  # a replacement character the page itself holds
    replaced = text.count("\ufffd") - (page.count(literal) if literal else 0)
    return Decoded(nfc(text), encoding, declared is not None, max(replaced, 0))


LEAVES = ("p", "li", "dd", "blockquote", "pre", "td", "figcaption")
LISTED = ("li", "dd", "td")
INLINE = {"a", "b", "strong", "em", "i", "u", "span", "font", "small", "sup", "sub", "mark", "abbr", "cite", "q",
          "time"}
LONG_BLOCK = 100  # characters: a block left out is evidence (and an audit line) from this length
BLOCK_TAGS = ("p", "div", "li", "table", "section", "article", "ul", "ol")  # what a leaf block holds none of
_INNER = " or ".join(f"self::{tag}" for tag in BLOCK_TAGS)
_OUTSIDE = ("not(ancestor::nav or ancestor::footer or ancestor::header or ancestor::aside or ancestor::form"
            " or ancestor::a)")  # nor inside a link (a teaser card)
BLOCK_XPATH = etree.XPath(" | ".join([f"//{tag}[not(descendant::*[{_INNER}])][{_OUTSIDE}]" for tag in LEAVES]
                                     + [f"//{tag}[text()[normalize-space()]][{_OUTSIDE}]"
                                        for tag in ("div", "section", "article", "main", "body")]))
NAVIGATION = ("nav", "header", "footer")  # a link in these is a menu item
TOKEN = re.compile(r"\w+")
LINKED = 0.3  # link density above which a block is navigation, not text
COVERED = 0.7  # share of a block's distinct words a text must hold to count as having it
HALF = 0.5  # a text holding less than this share of the page's long blocks is in doubt
GAP = LONG_BLOCK  # as is one that skips a long block before or between the blocks it holds,
GAP_SHARE = 0.1  # when the skipped text is worth this share of the text's own length; or short blocks
SHORT_WORDS = 3  # (list items, steps, notes of this many words or more) inside the part of the page it holds
# worth a long block or a tenth of the text (_margin), which is also what the recall text must add to win


@dataclass(frozen=True)
class Block:
    """A link-poor text block of the page: its element, text, distinct words (lower-cased) and key."""
    element: object
    text: str
    words: frozenset[str]
    key: str

    @property
    def long(self) -> bool:
        return len(self.text) >= LONG_BLOCK

    @property
    def caption(self) -> bool:
        return self.element.tag == "figcaption" or any(a.tag == "figure" for a in self.element.iterancestors())


_SCRIPTED = etree.XPath(".//text()[not(parent::script or parent::style)]")


def _text(element) -> str:
    """An element's text without the code of the scripts and styles it holds (an inline ad's loader)."""
    if next(element.iter("script", "style"), None) is None:
        return element.text_content()
    return "".join(_SCRIPTED(element))


def _page_blocks(tree) -> list[Block]:
    """Link-poor text blocks of the page in document order, outside navigation: leaf blocks (paragraphs,
    list items, cells) whole, and the text a container holds directly (lines split by <br>). The long ones
    weigh the candidates; the short ones show a list or steps a candidate skipped inside its article."""
    blocks = []
    for element in BLOCK_XPATH(tree):
        leaf = element.tag in LEAVES
        inline = [] if leaf else [child for child in element if child.tag in INLINE]
        if leaf:
            text = _text(element)
        else:
            own = [element.text or ""] + [child.tail or "" for child in element]
            text = " ".join(own + [child.text_content() for child in inline])
        text = " ".join(text.split())
        words = TOKEN.findall(text.lower())
        if len(text) < LONG_BLOCK and len(words) < SHORT_WORDS:
            continue
        links = element.iter("a") if leaf else (a for child in inline for a in child.iter("a"))
        if sum(len(a.text_content()) for a in links) <= LINKED * len(text):
            blocks.append(Block(element, text, frozenset(words), "".join(words)))
    return blocks


def _held(blocks: list[Block], text: str) -> list[bool]:
    """Which blocks the text holds: most of a long block's distinct words (an extractor may render it
    differently), a short block's words in a row (a few common words prove nothing)."""
    tokens = TOKEN.findall(text.lower())
    words, key = set(tokens), "".join(tokens)
    return [len(b.words & words) >= COVERED * len(b.words) if b.long else b.key in key for b in blocks]


def _common(elements):
    """The closest element holding all the elements (or being the one)."""
    common = [elements[0], *elements[0].iterancestors()]
    for element in elements[1:]:
        mine = {element, *element.iterancestors()}
        common = [a for a in common if a in mine]
    return common[0]


def _region(blocks: list[Block], held: list[bool]):
    """The element holding every long block a text holds (its article), or None when it holds none."""
    elements = [b.element for b, h in zip(blocks, held, strict=True) if h and b.long]
    if not elements:
        return None
    common = _common(elements)
    return common.getparent() if len(elements) == 1 and common.getparent() is not None else common


def _inside(region, element) -> bool:
    return region is not None and any(a is region for a in element.iterancestors())


def _in_doubt(blocks: list[Block], held: list[bool], text: str) -> bool:
    """Evidence that a text misses the article: empty, holding under half the page's long blocks, skipping
    long blocks (an introduction, a section) before or between the ones it holds, or skipping short blocks
    (list items, steps, notes) inside the part of the page that holds them."""
    if not text:
        return True
    long = [(b, h) for b, h in zip(blocks, held, strict=True) if b.long]
    total = sum(len(b.text) for b, _ in long)
    kept = sum(len(b.text) for b, h in long if h)
    inside = [i for i, (_, h) in enumerate(long) if h]
    gap = sum(len(long[i][0].text) for i in range(max(inside[0] - 1, 0), inside[-1]) if not long[i][1]) if inside else 0
    return kept < HALF * total or gap >= max(GAP, GAP_SHARE * len(text)) or _skipped(blocks, held) >= _margin(text)


def _skipped(blocks: list[Block], held: list[bool]) -> int:
    """Characters of the short blocks inside its article that a text skips: the one before the first block it
    holds, those between, and the run of short blocks right after the last (a list it stopped short of).
    Only list items and sentences count: captions (figures) and headline-like lines (teasers, bylines,
    dates, labels) are not evidence of article text."""
    inside = [i for i, h in enumerate(held) if h]
    if not inside:
        return 0
    region = _region(blocks, held)
    short = [not b.long and not b.caption and _inside(region, b.element) for b in blocks]
    end = inside[-1] + 1
    while end < len(blocks) and short[end]:
        end += 1
    return sum(len(blocks[i].text) for i in range(max(inside[0] - 1, 0), end) if short[i] and not held[i]
               and (blocks[i].element.tag in LISTED or not _headline_like(blocks[i].text)))


def _margin(text: str) -> float:
    """How much block text makes a difference to a text: a long block's worth, or a tenth of a short text."""
    return min(GAP, GAP_SHARE * len(text))


def _chosen(tree, url: str | None, blocks: list[Block]) -> tuple[str, str, list[bool]]:
    """(text, mode, blocks it holds) by trafilatura's main extractor: precision mode, and recall mode
    only when the evidence puts the precise text in doubt. As trafilatura's own fallback weighs its
    candidates, the evidence is the page's link-poor blocks: the recall text wins when it holds more of
    their text (long blocks anywhere, short ones inside the precise text's article) than the precise one,
    net of the lines it adds that are link texts (teasers, menus)."""
    precise = trafilatura.extract(tree, url=url, include_comments=False, fast=True, favor_precision=True) or ""
    held = _held(blocks, precise)
    if not _in_doubt(blocks, held, precise):
        return precise, "precision", held
    wider = trafilatura.extract(tree, url=url, include_comments=False, fast=True, favor_recall=True) or ""
    wider_held = _held(blocks, wider)
    anchors = {_key(a.text_content()) for a in tree.iter("a")} - {""}
    region = _region(blocks, held)
    counted = [b.long or _inside(region, b.element) for b in blocks]

    def weight(text: str, held: list[bool]) -> int:
        linked = sum(len(line) for line in text.splitlines() if _key(line) in anchors)
        return sum(len(b.text) for b, h, c in zip(blocks, held, counted, strict=True) if h and c) - linked

    if wider and (not precise or weight(wider, wider_held) > weight(precise, held) + _margin(precise)):
        return wider, "recall", wider_held
    return precise, "precision", held


def _extract(tree, url: str | None) -> tuple[str, str, list[str]]:
    """(text, mode, long blocks left out): the extractor's text (_chosen) with the prose it left out of its
    article put back (_recovered)."""
    blocks = _page_blocks(tree)
    text, mode, held = _chosen(tree, url, blocks)
    recovered = _recovered(blocks, held, text)
    if recovered != text:
        text, held = recovered, _held(blocks, recovered)
    return text, mode, [b.text for b, h in zip(blocks, held, strict=True) if not h and b.long]


PROSE_WORDS = 4  # a line put back: a sentence (or a question) of this many words or more
NOT_ARTICLE = {"nav", "footer", "aside", "form", "figure", "a", "select", "label", "template", "noscript"}
NOT_PROSE = NOT_ARTICLE | INLINE | set(LISTED) | {"script", "style", "html", "head", "body", "br", "img", "hr", "svg"}
BOILERPLATE = (*OVERALL_DISCARD_XPATH, *TEASER_DISCARD_XPATH, *DISCARD_IMAGE_ELEMENTS)  # trafilatura's, by class/id
NEXT_TEXT = etree.XPath("following::text()[normalize-space()][not(parent::script or parent::style)][1]")
LINE_PREFIX = 40  # letters and digits that tie a line of the text to a page block


def _prose(element) -> str | None:
    """The text of a leaf block (no paragraph, division or list inside) when it reads as article prose: a
    sentence of PROSE_WORDS words or more ending with its punctuation, link-poor, outside navigation, forms,
    figures and asides, and no list item (a list is the extractor's to judge); None otherwise (a byline, a
    date, a label, a teaser headline)."""
    if not isinstance(element.tag, str) or element.tag in NOT_PROSE \
            or next(element.iterdescendants(*BLOCK_TAGS), None) is not None:
        return None
    text = " ".join(_text(element).split())
    if len(text.split()) < PROSE_WORDS or not SENTENCE_END.search(text) \
            or sum(len(a.text_content()) for a in element.iter("a")) > LINKED * len(text) \
            or any(a.tag in NOT_ARTICLE for a in element.iterancestors()):
        return None
    return text


def _recovered(blocks: list[Block], held: list[bool], text: str) -> str:
    """The text with the page's prose (_prose) that the extractor left out of its article put back, in
    document order, where the evidence places it in the article: inside the element holding the blocks the
    text holds (else the one holding its long blocks: _region), between the first and last of them (an FAQ's
    questions in buttons); or, as a long block the text skips, between the article's headline (the last <h1>
    before the text) and the text, when an element below <body> holds both (an introduction in a block of its
    own). Each line must lead straight to the text (_run_before), lie in the article as its blocks do
    (_belongs) and in none of trafilatura's boilerplate by class or id (captions, teasers, newsletter boxes),
    and not be in the text already. It goes before the line of the block it leads to."""
    held_blocks = {b.element: b for b, h in zip(blocks, held, strict=True) if h}
    article = _region(blocks, held)
    if article is None:  # no long block held: too little to place anything by
        return text
    region = _common(list(held_blocks))
    if region.tag in ("body", "html"):  # a stray line held far from the article
        region = article
    inside = [element for element in held_blocks if _inside(region, element)]
    if not inside:
        return text
    first, last = inside[0], inside[-1]
    headline = next(iter(first.xpath("preceding::h1[1]")), None)
    scope = _common([headline, first]) if headline is not None else None
    if scope is not None and scope.tag in ("body", "html"):
        scope = None
    root = scope if scope is not None and _inside(scope, region) else region
    skipped = {b.element for b, h in zip(blocks, held, strict=True) if b.long and not h}
    holding = {a for element in held_blocks for a in element.iterancestors()}
    lines = text.split("\n")
    keys = [_key(line) for line in lines]
    whole = "".join(keys)
    boilerplate: set | None = None  # looked for at the first candidate: most pages have none
    insertions: dict[int, list[str]] = {}
    found: list[tuple[str, object]] = []  # (prose, element) since the last block the text holds
    within = None  # where prose may lie: the headline's and text's element, then the text's own
    for element in root.iter():
        if element is headline:
            within = scope
            continue
        if element is first:
            within = region
        block = held_blocks.get(element)
        if block is not None:
            at = _line_of(keys, block) if found else None
            if at is not None:
                insertions.setdefault(at, []).extend(_run_before(found, element))
            found = []
            if element is last:
                break
            continue
        prose = _prose(element) if within is region or element in skipped else None
        if prose and _key(prose) not in whole and _belongs(element, within, holding):
            if boilerplate is None:
                boilerplate = {element for rule in BOILERPLATE for element in rule(root)}
            if not any(a in boilerplate for a in (element, *element.iterancestors())):
                found.append((prose, element))
    return "\n".join(line for i, kept in enumerate(lines) for line in [*insertions.get(i, []), kept])


def _belongs(element, within, holding: set) -> bool:
    """Whether an element lies inside `within` as the text's own blocks do: a child of it, alone in a child
    of it, or inside a child that holds some of the text (an FAQ item holding its answer); not in a box with
    other things (a promotion's summary under its link)."""
    chain = [element, *element.iterancestors()]
    if within not in chain[1:]:
        return False
    branch = chain[chain.index(within) - 1]
    return branch is element or branch in holding or _key(_text(branch)) == _key(_text(element))


def _next_to(element, target) -> bool:
    """Whether the first text after the element (its own descendants aside) is the target's."""
    following = NEXT_TEXT(element)
    owner = following[0].getparent() if following and following[0].is_text else None
    return owner is not None and (owner is target or any(a is target for a in owner.iterancestors()))


def _run_before(found: list[tuple[str, object]], target) -> list[str]:
    """The prose of the found elements that lead straight to the target: the last one's next text is the
    target's, the one before's is the last one's, and so on (no byline, caption or other text between)."""
    run: list[str] = []
    for prose, element in reversed(found):
        if not _next_to(element, target):
            break
        run.insert(0, prose)
        target = element
    return run


def _line_of(keys: list[str], block: Block) -> int | None:
    """The first line of the text that renders the block: its key starts the block's or the block's starts it."""
    start = block.key[:LINE_PREFIX]
    return next((i for i, key in enumerate(keys) if len(key) >= min(len(start), LINE_PREFIX // 2)
                 and (key.startswith(start) or block.key.startswith(key[:LINE_PREFIX]))), None)


MODIFIED = etree.XPath(
    '//meta[@property="article:modified_time" or @property="og:updated_time" or @itemprop="dateModified"'
    ' or @name="last-modified" or @property="article:modified"]/@content | //time[@itemprop="dateModified"]/@datetime')


BYLINE = etree.XPath(
    '//*[@rel="author" or @itemprop="author" or contains(@class, "author") or contains(@class, "byline")]'
    '[not(self::label or ancestor::footer or ancestor::aside or ancestor::form)]'
    '[string-length(normalize-space(.)) > 1][string-length(normalize-space(.)) < 60]')


def _byline(tree) -> str | None:
    """The first byline element's text, normalised as trafilatura does ('By Ann Lee' -> 'Ann Lee'): the
    author of a page whose meta tags name none (one XPath, not trafilatura's search of a copied tree)."""
    found = BYLINE(tree)
    return normalize_authors(None, found[0].text_content()) if found else None


@dataclass(frozen=True)
class Metadata:
    title: str | None
    author: str | None
    published: dt.date | None
    updated: dt.date | None


def _trim(value: str | None) -> str | None:
    return " ".join(value.split()) or None if value else None


def _metadata(tree, url: str | None) -> Metadata:
    """One pass over the page for what the article needs (trafilatura's meta-tag, JSON-LD and title readers,
    htmldate for the publication date), nothing more: no site name, categories, tags or licence, and the
    author from meta tags, JSON-LD or the first byline element (trafilatura's byline search costs a fifth
    of a page's time).
    The update date is the modification date the page declares, when later than publication."""
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a one-word author is a site handle, as trafilatura holds
    with contextlib.suppress(Exception):  # trafilatura's JSON-LD reader fails on malformed JSON in many ways
        meta = extract_meta_json(tree, meta)
    published = _to_date(find_date(tree, url=meta.url or url, original_date=True, extensive_search=True,
                                   max_date=dt.date.today().isoformat()))
    modified = MODIFIED(tree) + [
        m.group(1) for script in tree.iterfind('.//script[@type="application/ld+json"]')
        for m in re.finditer(r'"dateModified"\s*:\s*"([^"]+)"', script.text or "")]
    latest = max(filter(None, map(_to_date, modified)), default=None)
    return Metadata(title=_trim(meta.title or extract_title(tree)), author=_trim(meta.author) or _byline(tree),
                    published=published, updated=latest if published and latest and latest > published else None)


XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")  # lxml refuses a decoded string that declares an encoding


@dataclass(frozen=True, eq=False)
class HtmlPage:
    """A page (bytes, or text already decoded) as the steps that read it share it: decoded and parsed once, on
    first use, so the walls check (etl.walls) and the cleaner do not each decode and parse it again. The tree is
    read, never modified: a step that removes elements works on a copy."""
    html: str | bytes

    @cached_property
    def decoded(self) -> Decoded | None:
        """The bytes decoded (decode_page); None for a page given as text."""
        return decode_page(self.html) if isinstance(self.html, bytes) else None

    @cached_property
    def tree(self):
        """The parsed page, or None when it is not HTML."""
        text = self.decoded.text if self.decoded else nfc(self.html)
        return trafilatura.load_html(XML_DECLARATION.sub("", text))


def clean_html(html: str | bytes | HtmlPage, url: str | None = None, source: SiteRules | None = None) -> Article:
    """Clean an HTML page: one parse (shared through HtmlPage) and one metadata pass, the body by the source's
    selectors or else by trafilatura (precision or recall by evidence), then clean_text. Invalid bytes are
    replaced and recorded in `removed`; long blocks the extractor left out are recorded there too."""
    page = html if isinstance(html, HtmlPage) else HtmlPage(html)
    if not page.html or not page.html.strip():
        raise CleanError("empty page")
    removed: list[Removed] = []
    decoded = page.decoded
    if decoded and decoded.replaced:
        how = "declared" if decoded.declared else "detected"
        removed.append(Removed(f"{decoded.replaced} byte sequences invalid in {decoded.encoding} ({how})",
                               "encoding damage replaced"))
    tree = page.tree
    if tree is None:
        raise CleanError("not HTML")
    meta = _metadata(tree, url)
    raw = None
    if source:
        if source.drop_selectors:
            tree = copy(tree)  # the page's tree is shared: its clutter is dropped from a copy
        for selector in source.drop_selectors:
            for element in tree.cssselect(selector):
                removed.append(Removed(" ".join(element.text_content().split()), f"selector {selector}"))
                element.drop_tree()
        raw = source.select_body(tree)  # None: the site's selectors found too little
    if raw is not None:
        extractor, left_out = "site selectors", []
    else:
        raw, extractor, left_out = _extract(tree, url)
    if not raw.strip():
        raise CleanError("no article text found")
    title = meta.title
    if source and not title:
        heading = next(iter(tree.cssselect(source.title_selector)), None)
        title = " ".join(heading.text_content().split()) if heading is not None else None
    navigation = frozenset()  # precision mode prunes menus itself; recall mode's output may hold their links
    if extractor == "recall":
        navigation = frozenset(_key(a.text_content()) for menu in tree.iter(*NAVIGATION) for a in menu.iter("a"))
    article = clean_text(raw, source, title, navigation)
    if not article.text:
        raise CleanError("nothing left after removing clutter")
    article.title = title
    article.published = (source.select_date(tree) if source else None) or meta.published
    article.updated = meta.updated if meta.updated and article.published and meta.updated > article.published else None
    article.author = meta.author
    article.language = (tree.get("lang") or "").split("-")[0] or (source.language if source else None)
    article.extractor = extractor
    article.removed = removed + article.removed + [Removed(block, "not extracted") for block in left_out]
    return article
