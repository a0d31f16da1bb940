"""Splitting an article into sentences (pysbd), each an exact slice of the article's text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Sentence:
    """text == article[start:end], always: a quote cut from it is verbatim."""

    index: int
    start: int
    end: int
    text: str
    line: int  # 1-based line of the article the sentence starts on


@cache
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of text, in order. A line break always ends a sentence: saved articles put
    headlines, captions and credit lines on lines of their own, without a full stop."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        if line.group().strip():
            spans.extend(_line_spans(line.group(), line.start()))
    sentences = []
    for index, (start, end) in enumerate(spans, start=1):
        line_number = text.count("\n", 0, start) + 1
        sentences.append(Sentence(index, start, end, text[start:end], line_number))
    return sentences


def _line_spans(line: str, offset: int) -> list[tuple[int, int]]:
    """Sentence spans within one line. Each segment pysbd returns is located in the line itself,
    so a segmenter that alters text can never alter a quote; text it loses stays a span."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for segment in _segmenter().segment(line):
        piece = segment.strip()
        if not piece:
            continue
        found = line.find(piece, cursor)
        if found < 0:
            continue
        if line[cursor:found].strip():  # text the segmenter skipped or rewrote
            spans.append(_trimmed(line, cursor, found))
        spans.append((found, found + len(piece)))
        cursor = found + len(piece)
    if line[cursor:].strip():
        spans.append(_trimmed(line, cursor, len(line)))
    return [(offset + start, offset + end) for start, end in spans]


def _trimmed(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end
