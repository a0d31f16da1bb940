"""Reading an article to draft facts from: plain text as it is, HTML through trafilatura.

The text returned is what every drafted quote is cut from, character for character.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from thirdcountry.facts.problems import FactBaseError, Problem

MAX_ARTICLE_BYTES = 5 * 1024 * 1024
_HTML_START = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body|<article|<p[\s>])", re.I)


@dataclass(frozen=True)
class Article:
    text: str
    is_html: bool
    title: str | None = None
    published: dt.date | None = None  # found in the HTML's metadata; None for plain text


def read_article(path: Path) -> Article:
    """The article's text (HTML extracted with trafilatura) and, for HTML, its date (htmldate)."""
    shown = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FactBaseError([Problem(shown, None, None, "file not found")]) from None
    except OSError as exc:
        message = f"cannot be read ({exc.strerror})"
        raise FactBaseError([Problem(shown, None, None, message)]) from None
    if len(raw) > MAX_ARTICLE_BYTES:
        raise FactBaseError([Problem(shown, None, None, "is over the 5 MiB limit for an article")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        message = f"is not UTF-8 (byte 0x{exc.object[exc.start]:02x}); save it as UTF-8"
        raise FactBaseError([Problem(shown, line, None, message)]) from None
    if path.suffix.lower() in (".html", ".htm") or _HTML_START.match(raw[:2048]):
        return _from_html(text, shown)
    return Article(text=text, is_html=False, title=_first_line(text))


def _from_html(html: str, shown: str) -> Article:
    import trafilatura
    from htmldate import find_date

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True
    )
    if not text or not text.strip():
        message = "no article text found in this HTML page"
        raise FactBaseError([Problem(shown, None, None, message)])
    metadata = trafilatura.extract_metadata(html)
    title = metadata.title if metadata is not None and metadata.title else None
    # Only the page itself is searched: htmldate fetches nothing when given the HTML.
    found = find_date(html, original_date=True, outputformat="%Y-%m-%d", extensive_search=False)
    published = dt.date.fromisoformat(found) if found else None
    return Article(text=text, is_html=True, title=title, published=published)


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None
