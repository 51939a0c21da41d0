"""Repair words a source glued together at tag boundaries ('ofVietnam', 'anagreement'), only with evidence.

A token is split only when it is not an English word (the lexicon of wordninja's model, with common
prefixes and suffixes stripped), both parts are frequent words, and the line is English prose (not
code, not another language). Splits that are certain on their own shape (a function word fused to the
next word: 'ofVietnam', 'hostedby') are the page's evidence of gluing; two fused content words
('ExternalRelations', 'worldorder') are split only on a page that shows such evidence, because on
other pages they are brands, identifiers and compounds ('DeepMind', 'TypeError', 'teardown').
URLs, e-mail addresses, identifiers (digits, underscores, dots, '@' inside) and hyphenated or
non-ASCII tokens are never touched, nor a token the page repeats (a name or term, not an accident).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import wordninja

FUNCTION_WORDS = {"the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as", "was", "by", "at",
                  "it", "from", "are", "be", "this", "an", "have", "has", "were", "which", "not", "or"}
GLUE_WORDS = {"a", "an", "the", "of", "by", "to", "in", "on", "at", "for", "and", "with", "from"}
PREFIXES = ("in", "un", "re", "non", "pre", "dis", "over", "under", "out", "co", "sub", "inter", "anti", "de",
            "mis", "up", "multi", "post", "self", "counter", "trans", "semi", "super", "micro", "on")
SUFFIXES = ("s", "es", "ed", "d", "ing", "ly", "er", "ers", "est", "ment", "ments", "ness", "ation", "ations",
            "isation", "ization", "al", "ally", "ity", "ive", "able", "ible", "ise", "ize", "ised", "ized", "ist")
KNOWN_RANK = 50_000  # a stem that makes a derived word a word must be at least this frequent
COMMON_RANK = 30_000
BRANDS = {"VietnamPlus", "PetroVietnam", "VietJet", "VietinBank", "VinFast", "YouTube", "TikTok", "LinkedIn",
          "WhatsApp", "PayPal", "JavaScript", "PowerPoint", "VnExpress", "MacBook"}
# a whitespace-delimited token that is one bare word of 5+ letters, with its quotes and punctuation
WORD = re.compile(r"(?<!\S)([\"'“‘(\[]*)([A-Za-z]{5,})(?=[\"'”’)\].,;:!?]*(?!\S))")
CODE = re.compile(r"[{}]|;\s*$|==|=>|->|::|\(\)|</?\w+>|\b(def|return|import|function|var|const)\b")
LOWER_CAPITAL = re.compile(r"([a-z]+)([A-Z][a-z]+)")
CAPITAL_CAPITAL = re.compile(r"([A-Z][a-z]+)([A-Z][a-z]+)")


@lru_cache(maxsize=1)
def _rank() -> dict[str, int]:
    return {w: i for i, w in enumerate(wordninja.DEFAULT_LANGUAGE_MODEL._wordcost)}


def _frequent(word: str, rank: int = COMMON_RANK) -> bool:
    r = _rank().get(word.lower())
    return r is not None and r < rank and (len(word) > 1 or word.lower() in ("a", "i"))


@lru_cache(maxsize=100_000)
def is_word(token: str) -> bool:
    """A known word, or one derived from a known word by a common prefix or suffix ('inactivated')."""
    word = token.lower()
    if word in _rank():  # the whole lexicon, less the web's fusions of two function words ('andthe')
        return not any(word[:i] in GLUE_WORDS and word[i:] in GLUE_WORDS for i in range(1, len(word)))
    stems = [word[: -len(s)] for s in SUFFIXES if word.endswith(s) and len(word) - len(s) >= 3]
    stems += [stem + "e" for stem in stems]
    if any(_frequent(stem, KNOWN_RANK) for stem in stems):
        return True
    return any(word.startswith(p) and len(word) - len(p) >= 3 and word[len(p):] not in GLUE_WORDS
               and is_word(word[len(p):]) for p in PREFIXES)


def is_english(text: str) -> bool:
    """English prose is about a quarter function words; other languages share almost none of these."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return bool(words) and sum(w in FUNCTION_WORDS for w in words) / len(words) >= 0.12


@dataclass(frozen=True)
class Split:
    parts: tuple[str, str]
    certain: bool  # a function word fused to another word: evidence of gluing by itself


@lru_cache(maxsize=100_000)
def propose(token: str) -> Split | None:
    """How a bare alphabetic token would split if glued, or None when it is a word or not a fusion of two."""
    if token in BRANDS:
        return None
    for shape in (LOWER_CAPITAL, CAPITAL_CAPITAL):
        match = shape.fullmatch(token)
        if match and not is_word(token):
            left, right = match.groups()
            if left.lower() in GLUE_WORDS and shape is LOWER_CAPITAL:
                return Split((left, right), True)
            if len(left) >= 3 and _frequent(left) and _frequent(right) and is_word(right):
                return Split((left, right), False)
            return None
    if not token.islower() or is_word(token):
        return None
    parts = wordninja.split(token)
    if len(parts) != 2 or not all(_frequent(p) for p in parts):
        return None
    glue = [p in GLUE_WORDS for p in parts]
    if any(glue):
        content = [p for p, g in zip(parts, glue, strict=True) if not g]
        return Split((parts[0], parts[1]), all(len(p) >= 3 for p in content))
    return Split((parts[0], parts[1]), False) if all(len(p) >= 4 for p in parts) else None


def _prose(line: str) -> bool:
    return not CODE.search(line) and (len(line.split()) < 6 or is_english(line))


def find_splits(lines: list[str]) -> dict[str, Split]:
    """The splits a page's lines justify: certain ones always, the others only when the page shows gluing
    (two or more distinct certain fusions). Tokens the page repeats stay whole."""
    words = [[m.group(2) for m in WORD.finditer(line)] for line in lines]
    counts = Counter(word for line in words for word in line)
    once = {word: split for word, n in counts.items() if n == 1 and (split := propose(word))}
    proposals = {}
    for line, found in zip(lines, words, strict=True) if once else ():  # most pages propose nothing
        candidates = {word: once[word] for word in found if word in once}
        if candidates and _prose(line):
            proposals.update(candidates)
    glued_page = sum(s.certain for s in proposals.values()) >= 2
    return {w: s for w, s in proposals.items() if s.certain or glued_page}


def apply_splits(line: str, splits: dict[str, Split]) -> tuple[str, list[str]]:
    """The line with the page's splits applied, and the tokens split in it."""
    if not splits or not _prose(line):
        return line, []
    done: list[str] = []

    def split(match: re.Match) -> str:
        prefix, word = match.groups()
        if word not in splits:
            return match.group(0)
        done.append(word)
        return prefix + " ".join(splits[word].parts)

    return WORD.sub(split, line), done


def repair_glued_words(line: str, page: list[str] | None = None) -> str:
    """Split glued words in a line, with the evidence of its page (by default the line alone)."""
    return apply_splits(line, find_splits(page if page is not None else [line]))[0]
