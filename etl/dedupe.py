"""Find duplicate articles: the same page under another URL, the same text, or a syndicated near-copy.

canonical_url folds the URL forms one page takes (tracking parameters, AMP, case, trailing slash);
content_hash fingerprints the text regardless of spacing and punctuation; near-copies are found with
MinHash LSH (datasketch) over word 5-shingles, so a wire story re-run with a changed sentence or a
new headline is still the same story. LSH only proposes: its threshold sits below the verdict's, and
each candidate is verified on the real shingles, by Jaccard similarity or, for a trimmed copy, by the
share of the copy's shingles found in the original (a compilation of several stories contains each
but is contained in none, so it stays an article of its own).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zlib
from collections import deque
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit, urlunsplit

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from w3lib.url import canonicalize_url, url_query_cleaner

TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|yclid|mc_\w+|ref|src|amp|output)$")
NEAR_THRESHOLD = 0.6  # 5-shingle Jaccard from which a text is a copy (verified on the shingles)
CONTAINED = 0.8  # share of a later text's shingles inside an earlier one that makes it a trimmed copy
LSH_THRESHOLD = 0.3  # the index proposes candidates well below the verdict, so few copies are missed
PERMUTATIONS = 128
NEAR_DAYS = 7  # a syndicated copy runs within days; a similar text a year later is another event's report


def canonical_url(url: str) -> str:
    """'https://WWW.Site.vn/a/amp/?utm_source=x#top' -> 'https://site.vn/a'."""
    url = canonicalize_url(url, keep_fragments=False)
    query_keys = [k.split("=")[0] for k in urlsplit(url).query.split("&") if k]
    url = url_query_cleaner(url, [k for k in query_keys if TRACKING.match(k)], remove=True)
    scheme, host, path, query, _ = urlsplit(url)
    host = host.lower().removeprefix("www.").removeprefix("m.").removeprefix("amp.")
    path = re.sub(r"/amp/?$|\.amp$", "", path).rstrip("/") or "/"
    return urlunsplit(("https" if scheme in ("http", "https") else scheme, host, path, query, ""))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(_words(text)).encode()).hexdigest()


def shingles(text: str, size: int = 5) -> set[str]:
    """The text's word `size`-grams (the whole text when shorter)."""
    words = _words(text)
    return {" ".join(gram) for gram in zip(*(words[i:] for i in range(size)), strict=False)} or {" ".join(words)}


_BLANK = MinHash(num_perm=PERMUTATIONS)  # permutations made once (fixed seed); restores stored signatures


def minhash(grams: set[str]) -> MinHash:
    """MinHash over CRC-32 of each shingle: 32 bits like datasketch's default (SHA-1 cut to 32 bits) at a
    third of the cost; the permutations spread the values. Changing the hash invalidates stored signatures
    (migration 0010 clears them)."""
    signature = MinHash(num_perm=PERMUTATIONS, hashfunc=zlib.crc32, permutations=_BLANK.permutations,
                        scheme=_BLANK.scheme)
    signature.update_batch([s.encode() for s in grams])
    return signature


def signature(text: str) -> bytes:
    """The text's MinHash over its 5-shingles, as bytes to store with the article (the permutations
    come from a fixed seed, so a stored signature stays valid across processes)."""
    return minhash(shingles(text)).hashvalues.tobytes()


def _hashed(candidate: Candidate):
    """The candidate's MinHash: its stored signature, else made from its shingles."""
    return _restore(candidate.signature) if candidate.signature else minhash(shingles(candidate.text))


def _restore(stored: bytes) -> LeanMinHash:
    return LeanMinHash(seed=_BLANK.seed, hashvalues=np.frombuffer(stored, dtype=_BLANK.hashvalues.dtype),
                       scheme=_BLANK.scheme)


def is_copy(later: set[str], earlier: set[str], threshold: float = NEAR_THRESHOLD) -> bool:
    """The later text repeats the earlier: Jaccard >= threshold, or most of it lies inside the earlier."""
    shared = len(later & earlier)
    return shared >= threshold * len(later | earlier) or shared >= CONTAINED * len(later)


@dataclass(frozen=True)
class Candidate:
    """What dedupe needs of an article."""

    article_id: int
    url: str
    text: str
    published: dt.date
    signature: bytes | None = None  # stored by an earlier run (etl.load); computed here when missing
    digest: str | None = None  # content_hash(text), as stored with the article; computed here when missing

    @cached_property
    def order(self) -> tuple:
        """Originals first: by publication, then canonical URL (never the arrival order of the crawl)."""
        return self.published, canonical_url(self.url), self.article_id

    @property
    def fingerprint(self) -> str:
        return self.digest or content_hash(self.text)


@dataclass(frozen=True)
class Duplicate:
    article_id: int
    original_id: int
    kind: str  # url | text | near


class NearCopies:
    """Dedupe fed one article at a time in (published, canonical URL) order, in memory bounded by a week:
    URL and text fingerprints of every original seen (a few hundred bytes each), the LSH index and texts of
    the originals of the last NEAR_DAYS days only (an older one can no longer be copied, so it is dropped)."""

    def __init__(self, threshold: float = NEAR_THRESHOLD) -> None:
        self.threshold = threshold
        self._by_url: dict[str, int] = {}
        self._by_hash: dict[str, int] = {}
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=PERMUTATIONS)
        self._recent: deque[tuple[tuple, Candidate]] = deque()  # (order, original) of the last NEAR_DAYS days
        self._texts: dict[int, tuple[tuple, Candidate]] = {}
        self._grams: dict[int, set[str]] = {}  # shingles of the recent originals, made once when first compared
        self._last: tuple | None = None

    def add(self, candidate: Candidate) -> Duplicate | None:
        """The duplicate record of the candidate, or None when it is an original (then indexed)."""
        order = self._advance(candidate)
        url, digest = order[1], candidate.fingerprint
        if url in self._by_url:
            return Duplicate(candidate.article_id, self._by_url[url], "url")
        if digest in self._by_hash:
            return Duplicate(candidate.article_id, self._by_hash[digest], "text")
        hashed = _hashed(candidate)
        near = self._lsh.query(hashed)
        own = shingles(candidate.text) if near else None
        similar = [self._texts[i] for i in near if is_copy(own, self._shingles_of(i), self.threshold)]
        if similar:
            return Duplicate(candidate.article_id, min(similar, key=lambda o: o[0])[1].article_id, "near")
        self._index(candidate, order, digest, hashed, own)
        return None

    def seed(self, candidate: Candidate) -> None:
        """Index an original judged by an earlier run without judging it again (an article before the
        window: its own earlier context is not read, so its stored verdict is the one to trust)."""
        order = self._advance(candidate)
        self._index(candidate, order, candidate.fingerprint, _hashed(candidate))

    def _advance(self, candidate: Candidate) -> tuple:
        """Check the feeding order and drop the originals too old to be copied by this candidate."""
        order = candidate.order
        if self._last is not None and order < self._last:
            raise ValueError(f"article {candidate.article_id} fed out of (published, canonical URL) order")
        self._last = order
        while self._recent and (candidate.published - self._recent[0][1].published).days > NEAR_DAYS:
            _, old = self._recent.popleft()
            self._lsh.remove(old.article_id)
            del self._texts[old.article_id]
            self._grams.pop(old.article_id, None)
        return order

    def _index(self, candidate: Candidate, order: tuple, digest: str, hashed, grams: set[str] | None = None) -> None:
        """Index an original; `grams`, its shingles when already made (kept for later comparisons)."""
        if grams is not None:
            self._grams[candidate.article_id] = grams
        self._by_url[order[1]], self._by_hash[digest] = candidate.article_id, candidate.article_id
        self._lsh.insert(candidate.article_id, hashed)
        self._recent.append((order, candidate))
        self._texts[candidate.article_id] = (order, candidate)

    def _shingles_of(self, article_id: int) -> set[str]:
        if article_id not in self._grams:
            self._grams[article_id] = shingles(self._texts[article_id][1].text)
        return self._grams[article_id]


def find_duplicates(candidates: list[Candidate], threshold: float = NEAR_THRESHOLD) -> list[Duplicate]:
    """Each article that repeats an earlier one, pointing at the earliest original (never at a copy)."""
    finder = NearCopies(threshold)
    return [d for d in map(finder.add, sorted(candidates, key=lambda c: c.order)) if d]
