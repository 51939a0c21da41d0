"""Site templates learned from the archive: lines that recur on many pages of one site are its boilerplate.

A menu, a footer, a 'Related news' list, a teaser headline or a share bar that slips past the extractor
shows up, word for word, on page after page of the same site; an article's own sentences do not.
Each page contributes the fingerprints of its cleaned lines (once per page); a fingerprint found on at
least SHARE of a site's pages, once the site has MIN_PAGES pages, marks a template line, and such
lines are removed with the reason "site template". The counts live in PostgreSQL (etl.load).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

from etl.clean import Article, Removed

MIN_PAGES = 10
SHARE = 0.3
MIN_COUNT = 3


def fingerprint(line: str) -> str:
    """A short hash of the line's words, blind to case, spacing and punctuation."""
    words = re.sub(r"[\W_]+", " ", line).strip().lower()
    return hashlib.sha1(words.encode()).hexdigest()[:16]


def page_fingerprints(article: Article) -> set[str]:
    """The distinct fingerprints of an article's lines: a page counts once per line however often it repeats."""
    return {fingerprint(line) for line in article.paragraphs if line.strip()}


@dataclass(frozen=True)
class SiteLines:
    """How many pages of one site were seen, and on how many of them each line fingerprint occurs."""

    pages: int
    counts: dict[str, int] = field(default_factory=dict)


def template_fingerprints(site: SiteLines, min_pages: int = MIN_PAGES, share: float = SHARE) -> frozenset[str]:
    """Fingerprints on at least `share` of the site's pages (and MIN_COUNT pages), once it has `min_pages`."""
    if site.pages < min_pages:
        return frozenset()
    floor = max(MIN_COUNT, share * site.pages)
    return frozenset(line for line, pages in site.counts.items() if pages >= floor)


def strip_template(article: Article, template: frozenset[str]) -> Article:
    """The article without its template lines, which join `removed` with the reason "site template"."""
    if not template:
        return article
    kept, dropped = [], []
    for line in article.paragraphs:
        (dropped if fingerprint(line) in template else kept).append(line)
    if not dropped:
        return article
    return replace(article, text="\n\n".join(kept),
                   removed=article.removed + [Removed(line, "site template") for line in dropped])
