"""What a source's own rules find in an article page: title, date, lead and body, and whether they found enough.

Pure functions (a parsed HTML tree or bytes in, a Parsed out), used by etl.clean through Source.select_body /
select_date, by the spider to score a fetched page's relevance and record which path parsed it, and by
`vnru sources check`. Tolerant by design: every body match is joined in page order, text outside <p> (direct
text, <br>-separated lines) is kept, a lead printed outside the body is put back in front, a dateline is cut,
and the layouts a site served earlier are tried when the current one finds nothing.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field

import lxml.html

from crawlers.dates import parse_date

BLOCK_TAGS = {"p", "div", "section", "article", "blockquote", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
              "table", "tr", "td", "figure", "header", "footer", "aside", "pre", "dl", "dt", "dd"}
SKIP_TAGS = {"script", "style", "noscript", "template", "iframe", "svg", "button", "form"}
FIELDS = ("title", "date", "lead", "body")


@dataclass(frozen=True)
class Parsed:
    """path: 'site' when the site's selectors found a body of at least min_body_words, else 'generic' (the
    caller falls back to the generic extractor). found: per field, whether the site's rules found it (lead:
    None when the site declares no lead selector)."""

    title: str | None
    published: dt.date | None
    lead: str | None
    body: str | None
    path: str
    found: dict[str, bool | None] = field(default_factory=dict)
    layout: int = 0  # index in Source.layouts_for(day) of the layout used


def _squash(text: str) -> str:
    return " ".join(text.split())


def text_lines(element) -> list[str]:
    """The lines of text of an element: each block element and each <br>-separated run is its own line,
    including text written directly in the element, outside any <p>."""
    lines: list[str] = []
    current: list[str] = []

    def flush():
        line = _squash(" ".join(current))
        if line:
            lines.append(line)
        current.clear()

    def walk(node):
        if node.text:
            current.append(node.text)
        for child in node:
            tag = child.tag.lower() if isinstance(child.tag, str) else None
            if tag == "br":
                flush()
            elif tag in BLOCK_TAGS:
                flush()
                walk(child)
                flush()
            elif tag is not None and tag not in SKIP_TAGS:
                walk(child)
            if child.tail:
                current.append(child.tail)

    walk(element)
    flush()
    return lines


def _first_text(tree, selector: str | None) -> str | None:
    if not selector:
        return None
    element = next(iter(tree.cssselect(selector)), None)
    return _squash(element.text_content()) or None if element is not None else None


def _date(tree, selector: str | None) -> dt.date | None:
    if not selector:
        return None
    for element in tree.cssselect(selector):
        for value in (element.get("datetime"), element.get("content"), element.text_content()):
            day = parse_date(value)
            if day:
                return day
    return None


def _outermost(elements: list) -> list:
    chosen = set(elements)
    return [el for el in elements if not any(parent in chosen for parent in el.iterancestors())]


def _body_lines(tree, layout) -> list[str]:
    lines: list[str] = []
    for match in _outermost(tree.cssselect(layout.body_selector)):
        match = copy.deepcopy(match)
        for selector in layout.drop_selectors:
            for element in match.cssselect(selector):
                element.drop_tree()
        lines += text_lines(match)
    return lines


def _cut_dateline(line: str, patterns: tuple[str, ...]) -> str:
    for pattern in patterns:
        line = re.sub(rf"^(?:{pattern})\s*", "", line, count=1)
    return line


def parse_tree(tree, source, day: dt.date | None = None) -> Parsed:
    """Apply the source's layouts (the one served on `day` first) to an lxml tree; the first layout whose body
    has min_body_words wins. The tree is not modified."""
    layouts = source.layouts_for(day)
    for index, layout in enumerate(layouts):
        lines = _body_lines(tree, layout)
        lead = _first_text(tree, layout.lead_selector)
        if lines:
            lines[0] = _cut_dateline(lines[0], source.dateline_patterns)
            lines = [line for line in lines if line]
        if lead:
            lead = _cut_dateline(lead, source.dateline_patterns)
            if lines and _squash(lead) not in lines[0]:
                lines.insert(0, lead)
        body = "\n".join(lines)
        if len(body.split()) >= source.min_body_words or index == len(layouts) - 1:
            break
    title, published = _first_text(tree, layout.title_selector), _date(tree, layout.date_selector)
    enough = len(body.split()) >= source.min_body_words
    found = {"title": title is not None, "date": published is not None,
             "lead": (lead is not None) if layout.lead_selector else None, "body": enough}
    return Parsed(title, published, lead, body if enough else None, "site" if enough else "generic", found,
                  index if enough else 0)


def parse_page(html: bytes | str, source, day: dt.date | None = None) -> Parsed:
    """parse_tree of an HTML document (bytes decoded by their declared charset)."""
    if not html or not html.strip():
        return Parsed(None, None, None, None, "generic", dict.fromkeys(FIELDS, False))
    return parse_tree(lxml.html.fromstring(html), source, day)
