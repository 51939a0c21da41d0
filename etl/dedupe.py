"""Find duplicate articles: the same page under another URL, the same text, or a syndicated near-copy.

canonical_url folds the URL forms one page takes (tracking parameters, AMP, case, trailing slash);
content_hash fingerprints the text regardless of spacing and punctuation; near-copies are found with
MinHash LSH (datasketch) over word 5-shingles, so a wire story re-run with a changed sentence or a
new headline is still the same story. LSH only proposes: its threshold sits below the verdict's, and
each candidate is verified on the real shingles, by Jaccard similarity or, for a trimmed copy, by the
share of the copy's shingles found in the original.

A compilation of several stories (a digest, a round-up) contains each but is contained in none, so it
stays an article of its own, linked to every earlier story it contains (two at least: a text containing
one earlier story is an extended report of it). Those are found by anchors, the shingle hashes divisible
by ANCHOR_EVERY: a sample chosen by content, so the share of an earlier text's anchors that a later text
repeats estimates how much of it the later one contains, however long the later one is (where a MinHash
Jaccard of a short story against a long digest says nothing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zlib
from collections import Counter, deque
from collections.abc import Callable
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
ANCHOR_EVERY = 16  # one shingle in 16, by hash: about 50 anchors for a 800-word article
MIN_ANCHORS = 4  # a text with fewer anchors is too short to be recognised inside another
COMMON_ANCHOR = 50  # an anchor of more recent originals than this is stock phrasing: it proposes nothing


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
_ANCHOR_TYPE = np.dtype("<u4")


@dataclass(frozen=True)
class Signature:
    """What dedupe keeps of a text, stored once per text (core.article_signatures): its MinHash and anchors."""

    minhash: bytes
    anchors: frozenset[int]

    @classmethod
    def stored(cls, minhash: bytes, anchors: bytes) -> Signature:
        return cls(bytes(minhash), frozenset(np.frombuffer(anchors, dtype=_ANCHOR_TYPE).tolist()))

    @property
    def anchor_bytes(self) -> bytes:
        return np.array(sorted(self.anchors), dtype=_ANCHOR_TYPE).tobytes()


def signature(text: str, grams: set[str] | None = None) -> Signature:
    """The MinHash of the text's 5-shingles over their CRC-32 (32 bits like datasketch's default, SHA-1 cut to
    32 bits, at a third of the cost; the permutations come from a fixed seed, so a stored signature stays
    valid across processes; changing the hash invalidates the stored ones, as migration 0010 did), and the
    anchors among those hashes. `grams`: the text's shingles when already made."""
    hashes = [zlib.crc32(gram.encode()) for gram in (shingles(text) if grams is None else grams)]
    hashed = MinHash(num_perm=PERMUTATIONS, hashfunc=int, permutations=_BLANK.permutations, scheme=_BLANK.scheme)
    hashed.update_batch(hashes)
    return Signature(hashed.hashvalues.tobytes(), frozenset(h for h in hashes if h % ANCHOR_EVERY == 0))


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
    signature: Signature | None = None  # stored by an earlier run (etl.load); computed here when missing
    digest: str | None = None  # content_hash(text), as stored with the article; computed here when missing
    canonical: str | None = None  # canonical_url(url), as stored with the article; computed here when missing

    @cached_property
    def order(self) -> tuple:
        """Originals first: by publication, then canonical URL (never the arrival order of the crawl)."""
        return self.published, self.canonical or canonical_url(self.url), self.article_id

    @property
    def fingerprint(self) -> str:
        return self.digest or content_hash(self.text)

    def signed(self) -> Signature:
        return self.signature or signature(self.text)


@dataclass(frozen=True)
class Duplicate:
    article_id: int
    original_id: int
    kind: str  # url | text | near


@dataclass(frozen=True)
class Compilation:
    """An original that repeats most of the text of two or more earlier originals (a digest of stories)."""

    article_id: int
    contains: tuple[int, ...]


class NearCopies:
    """Dedupe fed one article at a time in (published, canonical URL) order, in memory bounded by a week:
    URL and text fingerprints of every original seen (a few hundred bytes each), the LSH index, anchors and
    texts of the originals of the last NEAR_DAYS days only (an older one can no longer be copied, so it is
    dropped)."""

    def __init__(self, threshold: float = NEAR_THRESHOLD) -> None:
        self.threshold = threshold
        self._by_url: dict[str, int] = {}
        self._by_hash: dict[str, int] = {}
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=PERMUTATIONS)
        self._by_anchor: dict[int, set[int]] = {}  # anchor -> recent originals having it
        self._recent: deque[tuple[tuple, Candidate]] = deque()  # (order, original) of the last NEAR_DAYS days
        self._texts: dict[int, tuple[tuple, Candidate, Signature]] = {}
        self._grams: dict[int, set[str]] = {}  # shingles of the recent originals, made once when first compared
        self._last: tuple | None = None

    def add(self, candidate: Candidate, grams: set[str] | None = None) -> Duplicate | Compilation | None:
        """The duplicate record of the candidate; else, as an original (then indexed), its compilation record
        when it contains two or more earlier originals, or None (one contained original makes an extended
        report of that story, which shared events join to it). `grams`: its shingles when already made."""
        order = self._advance(candidate)
        url, digest = order[1], candidate.fingerprint
        if url in self._by_url:
            return Duplicate(candidate.article_id, self._by_url[url], "url")
        if digest in self._by_hash:
            return Duplicate(candidate.article_id, self._by_hash[digest], "text")
        signed = candidate.signed()
        near = self._lsh.query(_restore(signed.minhash))
        own = (shingles(candidate.text) if grams is None else grams) if near else None
        similar = [self._texts[i] for i in near if is_copy(own, self._shingles_of(i), self.threshold)]
        if similar:
            return Duplicate(candidate.article_id, min(similar, key=lambda o: o[0])[1].article_id, "near")
        contained = self._contained(signed.anchors, lambda: own or grams or shingles(candidate.text))
        self._index(candidate, order, digest, signed, own)
        return Compilation(candidate.article_id, contained) if len(contained) >= 2 else None

    def seed(self, candidate: Candidate) -> None:
        """Index an original judged by an earlier run without judging it again (an article before the
        window: its own earlier context is not read, so its stored verdict is the one to trust)."""
        order = self._advance(candidate)
        self._index(candidate, order, candidate.fingerprint, candidate.signed())

    def _contained(self, anchors: frozenset[int], own: Callable[[], set[str]]) -> tuple[int, ...]:
        """The recent originals most of whose shingles the text repeats: proposed by the share of their anchors
        it has (stock phrases aside), verified on the shingles."""
        hits = Counter(i for anchor in anchors if len(posting := self._by_anchor.get(anchor, ())) <= COMMON_ANCHOR
                       for i in posting)
        proposed = sorted(i for i, n in hits.items()
                          if n >= max(MIN_ANCHORS, CONTAINED / 2 * len(self._texts[i][2].anchors)))
        if not proposed:
            return ()
        grams = own()
        return tuple(i for i in proposed if len((earlier := self._shingles_of(i)) & grams) >= CONTAINED * len(earlier))

    def _advance(self, candidate: Candidate) -> tuple:
        """Check the feeding order and drop the originals too old to be copied by this candidate."""
        order = candidate.order
        if self._last is not None and order < self._last:
            raise ValueError(f"article {candidate.article_id} fed out of (published, canonical URL) order")
        self._last = order
        while self._recent and (candidate.published - self._recent[0][1].published).days > NEAR_DAYS:
            _, old = self._recent.popleft()
            self._lsh.remove(old.article_id)
            for anchor in self._texts.pop(old.article_id)[2].anchors:
                posting = self._by_anchor[anchor]
                posting.discard(old.article_id)
                if not posting:
                    del self._by_anchor[anchor]
            self._grams.pop(old.article_id, None)
        return order

    def _index(self, candidate: Candidate, order: tuple, digest: str, signed: Signature,
               grams: set[str] | None = None) -> None:
        """Index an original; `grams`, its shingles when already made (kept for later comparisons)."""
        if grams is not None:
            self._grams[candidate.article_id] = grams
        self._by_url[order[1]], self._by_hash[digest] = candidate.article_id, candidate.article_id
        self._lsh.insert(candidate.article_id, _restore(signed.minhash))
        for anchor in signed.anchors:
            self._by_anchor.setdefault(anchor, set()).add(candidate.article_id)
        self._recent.append((order, candidate))
        self._texts[candidate.article_id] = (order, candidate, signed)

    def _shingles_of(self, article_id: int) -> set[str]:
        if article_id not in self._grams:
            self._grams[article_id] = shingles(self._texts[article_id][1].text)
        return self._grams[article_id]


def judge(candidates: list[Candidate], threshold: float = NEAR_THRESHOLD) -> list[Duplicate | Compilation]:
    """Each article that repeats an earlier one, pointing at the earliest original (never at a copy), and each
    original that contains earlier ones."""
    finder = NearCopies(threshold)
    return [d for d in map(finder.add, sorted(candidates, key=lambda c: c.order)) if d]


def find_duplicates(candidates: list[Candidate], threshold: float = NEAR_THRESHOLD) -> list[Duplicate]:
    return [d for d in judge(candidates, threshold) if isinstance(d, Duplicate)]
