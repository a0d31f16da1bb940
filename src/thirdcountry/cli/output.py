"""Printing result tables as a readable table, CSV or JSON."""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

FORMATS = ("table", "csv", "json")
MAX_CELL_WIDTH = 60


def cell_text(value: Any) -> str:
    """One value as text: lists joined with '|', dates as ISO, missing as empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (tuple, list)):
        return "|".join(cell_text(v) for v in value)
    text = str(value)
    if text in ("NaT", "<NA>", "nan"):
        return ""
    if hasattr(value, "isoformat"):
        midnight = hasattr(value, "hour") and (value.hour, value.minute, value.second) == (0, 0, 0)
        if midnight and getattr(value, "tzinfo", None) is None:
            return value.date().isoformat()
        return value.isoformat()
    return text


def _json_value(value: object) -> object:
    if isinstance(value, (tuple, list)):
        return [_json_value(v) for v in value]
    if isinstance(value, bool) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return _json_value(value.item())
        except (ValueError, AttributeError):
            pass
    text = cell_text(value)
    return text if text != "" else None


def write_rows(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    fmt: str = "table",
    stream: TextIO | None = None,
) -> None:
    stream = stream or sys.stdout
    rows = list(rows)
    if fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell_text(v) for v in row] for row in rows)
    elif fmt == "json":
        records = [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        json.dump(records, stream, indent=2, ensure_ascii=False, default=str)
        stream.write("\n")
    else:
        _write_table(columns, rows, stream)


def write_frame(frame, columns: Sequence[str], fmt: str = "table", stream=None) -> None:
    """A DataFrame's chosen columns, in the chosen format."""
    values = frame[list(columns)].itertuples(index=False, name=None)
    write_rows(columns, values, fmt, stream)


def _write_table(columns: Sequence[str], rows: list, stream: TextIO) -> None:
    if not rows:
        stream.write("(no rows)\n")
        return
    cells = [[_clip(cell_text(v)) for v in row] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    stream.write(line.rstrip() + "\n")
    stream.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        stream.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        stream.write("\n")


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL_WIDTH else text[: MAX_CELL_WIDTH - 1] + "…"
