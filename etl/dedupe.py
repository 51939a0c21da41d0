"""Find duplicate articles: the same page under another URL, the same text, or a syndicated near-copy.

canonical_url folds the URL forms one page takes (tracking parameters, AMP, case, trailing slash);
content_hash fingerprints the text regardless of spacing and punctuation; near-copies are found with
MinHash LSH (datasketch) over word 5-shingles, so a wire story re-run with a changed sentence or a
new headline is still the same story.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from datasketch import MinHash, MinHashLSH
from w3lib.url import canonicalize_url, url_query_cleaner

TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|yclid|mc_\w+|ref|src|amp|output)$")
NEAR_THRESHOLD = 0.7
PERMUTATIONS = 128


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


def minhash(text: str, shingle: int = 5) -> MinHash:
    words = _words(text)
    signature = MinHash(num_perm=PERMUTATIONS)
    for i in range(max(1, len(words) - shingle + 1)):
        signature.update(" ".join(words[i:i + shingle]).encode())
    return signature


@dataclass(frozen=True)
class Candidate:
    """What dedupe needs of an article; `order` ranks originals first (publication, then arrival)."""

    article_id: int
    url: str
    text: str
    order: tuple


@dataclass(frozen=True)
class Duplicate:
    article_id: int
    original_id: int
    kind: str  # url | text | near


def find_duplicates(candidates: list[Candidate], threshold: float = NEAR_THRESHOLD) -> list[Duplicate]:
    """Each article that repeats an earlier one, pointing at the earliest original (never at a copy)."""
    by_url: dict[str, int] = {}
    by_hash: dict[str, int] = {}
    lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
    order_of = {c.article_id: c.order for c in candidates}
    found: list[Duplicate] = []
    for candidate in sorted(candidates, key=lambda c: c.order):
        url, digest, signature = canonical_url(candidate.url), content_hash(candidate.text), minhash(candidate.text)
        if url in by_url:
            found.append(Duplicate(candidate.article_id, by_url[url], "url"))
        elif digest in by_hash:
            found.append(Duplicate(candidate.article_id, by_hash[digest], "text"))
        else:
            similar = lsh.query(signature)
            if similar:
                found.append(Duplicate(candidate.article_id, min(similar, key=lambda i: order_of[i]), "near"))
            else:
                by_url[url], by_hash[digest] = candidate.article_id, candidate.article_id
                lsh.insert(candidate.article_id, signature)
    return found
