"""Clean a news page or a scraped text down to the article: title, date, author and body paragraphs.

trafilatura finds the main text and the metadata; on top of it, each source's own rules
(crawlers/sources/<name>.py) and generic text repairs remove what general extractors leave in:
teaser lists, share bars, captions, credits, newsletter prompts, SEO prompts, agency datelines, the
headline repeated in the body and words glued together. (Site templates: etl.templates.)
Every removed line is kept, with its reason, in Article.removed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import htmldate
import trafilatura
import wordninja


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
    ("banner", re.compile(r"^(?=(?:.*?[A-Z]{2,}){3})[^a-z]{12,}$")),
    ("seo", re.compile(r"(?i)\b(optimi[sz]ing for search engines|captivating title|"
                        r"seo[- ]friendly|meta description)\b")),
    ("caption", re.compile(r"(?i)(\(\s*photo(s)?\s*:[^)]*\)\s*\.?$|"
                            r"\bphoto(s)?\s*:\s*[\w ./&-]{2,40}\.?$|^\(?photo(s)?\s*:)")),
    ("caption", re.compile(r"\((?:L|R|C|left|right|centre|center|middle|[a-z]+ from (?:left|right))\)")),
    ("navigation", re.compile(r"(?i)^(previous|next) (article|post|story)\b")),
    ("credit", re.compile(r"(?i)^(Source|Sources|By|Theo)\s*:\s*[\w .,/&()-]{1,40}$")),
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
SHORT_WORDS = 50
GLUE_CANDIDATE = re.compile(r"[^\W\d_]{5,}")  # a token long enough to be two words glued together
DATELINE = re.compile(rf"^[A-Z][\w .,'’-]{{1,40}}?\s*\((?:{AGENCIES})\)\W{{0,3}}?\s*[–—-]+\s*")
BRANDS = {"VietnamPlus", "PetroVietnam", "VietJet", "VietinBank", "VinFast", "YouTube", "TikTok", "LinkedIn",
          "WhatsApp", "iPhone", "PayPal", "JavaScript", "PowerPoint", "VnExpress", "McDonald", "MacBook"}


FUNCTION_WORDS = {"the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as", "was", "by", "at",
                  "it", "from", "are", "be", "this", "an", "have", "has", "were", "which", "not", "or"}
GLUE_WORDS = {"a", "an", "the", "of", "by", "to", "in", "on", "at", "for", "and", "with", "from"}


@lru_cache(maxsize=1)
def _word_rank() -> dict[str, int]:
    return {w: i for i, w in enumerate(wordninja.DEFAULT_LANGUAGE_MODEL._wordcost)}


def _common(word: str, rank: int) -> bool:
    r = _word_rank().get(word.lower())
    return r is not None and r < rank and (len(word) > 1 or word.lower() in ("a", "i"))


def is_english(text: str) -> bool:
    """English prose is about a quarter function words; other languages share almost none of these."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return bool(words) and sum(w in FUNCTION_WORDS for w in words) / len(words) >= 0.12


def _split_glued(token: str) -> str:
    """Split one token glued at a tag boundary: 'ofVietnam', 'ExternalRelations', 'anagreement'.

    A word of the model's lexicon stays whole ('PlayStation', 'inaction'); a lowercase token is split
    only when a part is a short function word (compounds such as 'workflow' are not); a camel-case
    token only when its left part is lowercase or 3+ letters ('McConnell' is not)."""
    if not token.isascii() or token in BRANDS or token.lower() in _word_rank():
        return token
    camel = re.fullmatch(r"([A-Za-z][a-z]+)([A-Z][a-z]+)", token)
    if camel:
        left, right = camel.groups()
        if (left.islower() or len(left) >= 3) and _common(left, 30000) and _common(right, 60000):
            return f"{left} {right}"
        return token
    if token.islower() and len(token) >= 6:
        parts = wordninja.split(token)
        content = [p for p in parts if p not in GLUE_WORDS]
        if (2 <= len(parts) <= 3 and len(content) < len(parts) and all(_common(p, 20000) for p in parts)
                and all(len(p) >= 3 for p in content)):
            return " ".join(parts)
    return token


def repair_glued_words(line: str, keep: frozenset[str] = frozenset()) -> str:
    """Split words a source glued together ('ofVietnam', 'anagreement') using wordninja's English model.

    Tokens in `keep` stay whole: a word the article repeats is a name or term, not an accident."""
    return GLUE_CANDIDATE.sub(lambda m: m.group(0) if m.group(0) in keep else _split_glued(m.group(0)), line)


def _strip_symbols(line: str) -> str:
    return "".join(ch for ch in line if unicodedata.category(ch) not in ("So", "Co", "Cn", "Cf"))


def _key(line: str) -> str:
    return re.sub(r"[\W_]+", "", line).lower()


def clean_text(text: str, source: SiteRules | None = None, title: str | None = None) -> Article:
    """Clean scraped text (no HTML): drop clutter lines, cut teaser tails, repair glued words.

    A line repeating the page's title is the headline, not body."""
    removed: list[Removed] = []
    kept: list[str] = []
    seen: set[str] = set()
    site_rules = [re.compile(p) for p in (source.line_patterns if source else ())]
    end_markers = ("./.",) + tuple(source.end_markers if source else ())
    lines = [re.sub(r"\s+", " ", _strip_symbols(raw)).strip() for raw in text.splitlines()]
    lines = [line for line in lines if line]
    english = is_english(text)
    counts = Counter(GLUE_CANDIDATE.findall(text))
    repeated = frozenset(word for word, n in counts.items() if n > 1)
    pattern = {key for key, n in Counter(map(_key, lines)).items() if n > 2}  # a repeated question, a list label
    for index, line in enumerate(lines):
        label = line.rstrip(":").strip().lower()
        if kept and label in TAIL_HEADERS:
            removed += [Removed(rest, "teaser list") for rest in lines[index:]]
            break
        reason = next((name for name, rule in LINE_RULES if rule.search(line)
                       and not (name == "banner" and kept)), None)  # all caps mid-article: a subheading
        if reason is None and title and _key(line) == _key(title):
            reason = "headline"
        if reason is None and label in UI_LABELS:
            reason = "interface"
        if reason is None and any(rule.search(line) for rule in site_rules):
            reason = "site rule"
        if reason:
            removed.append(Removed(line, reason))
            continue
        dateline = DATELINE.match(line)
        if dateline:
            removed.append(Removed(dateline.group(0).strip(), "dateline"))
            line = line[dateline.end():]
        marker = next((m for m in end_markers if line.rstrip().endswith(m)), None)
        if marker:
            line = line.rstrip()[: -len(marker)].rstrip()
        if english:
            line = repair_glued_words(line, repeated)
        key = _key(line)
        if key in seen and key not in pattern:
            removed.append(Removed(line, "duplicate"))
        elif line:
            seen.add(key)
            kept.append(line)
        if marker:
            removed += [Removed(rest, "after end marker") for rest in lines[index + 1:]]
            break
    return Article(text="\n\n".join(kept), removed=removed)


def _to_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _extract(tree, url: str | None) -> str:
    """trafilatura's strict mode; when it keeps only a scrap, its recall mode if that finds far more.

    favor_precision sometimes settles on a wrong small block (a reprint notice, a teaser); recall
    mode is run only then, so the second pass costs little."""
    text = trafilatura.extract(tree, url=url, favor_precision=True, include_comments=False) or ""
    if len(text.split()) < SHORT_WORDS:
        wider = trafilatura.extract(tree, url=url, favor_recall=True, include_comments=False) or ""
        if len(wider.split()) > 2 * len(text.split()):
            return wider
    return text


def clean_html(html: str | bytes, url: str | None = None, source: SiteRules | None = None) -> Article:
    """Clean an HTML page: metadata by trafilatura/htmldate, body by the source's selectors, then clean_text."""
    if not html or not html.strip():
        raise CleanError("empty page")
    tree = trafilatura.load_html(html)  # decodes by the declared or detected charset
    if tree is None:
        raise CleanError("not HTML")
    meta = trafilatura.extract_metadata(tree, default_url=url)
    removed: list[Removed] = []
    raw = None
    if source:
        for selector in source.drop_selectors:
            for element in tree.cssselect(selector):
                removed.append(Removed(" ".join(element.text_content().split()), f"selector {selector}"))
                element.drop_tree()
        raw = source.select_body(tree)
    if raw is None:
        raw = _extract(tree, url)
    if not raw.strip():
        raise CleanError("no article text found")
    title = meta.title if meta and meta.title else None
    if source and not title:
        heading = next(iter(tree.cssselect(source.title_selector)), None)
        title = " ".join(heading.text_content().split()) if heading is not None else None
    article = clean_text(raw, source, title)
    if not article.text:
        raise CleanError("nothing left after removing clutter")
    article.title = title
    article.published = (source.select_date(tree) if source else None) or _to_date(meta.date if meta else None)
    latest = _to_date(htmldate.find_date(tree, original_date=False, extensive_search=False))
    article.updated = latest if article.published and latest and latest > article.published else None
    article.author = meta.author if meta else None
    article.language = (tree.get("lang") or "").split("-")[0] or (source.language if source else None)
    article.removed = removed + article.removed
    return article
