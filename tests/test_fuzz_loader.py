"""Property tests: whatever is written into a fact base, loading it fails only in plain words.

Random rows (quotes, commas, line breaks, unicode, control characters, any number of fields),
random headers, stray text and raw bytes go into one CSV of an otherwise good fact base. Loading
must then succeed or raise FactBaseError whose every problem is one line `file:row:column:
message`; the CLI must exit 0 or 2; parse_edtf must return a FuzzyDate or raise EDTFError.

The examples are derandomized so the suite gives the same answer on every run. For a deeper
search set THIRDCOUNTRY_FUZZ_EXAMPLES (e.g. 2000): the search is then random as well.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from thirdcountry.cli import main
from thirdcountry.facts import (
    EDTFError,
    FactBase,
    FactBaseError,
    FuzzyDate,
    Problem,
    load_facts,
    parse_edtf,
)
from thirdcountry.facts.dates import PRECISIONS
from thirdcountry.paths import DEFAULT_DATA_DIR, DESCRIPTOR_NAME

# Property-based: hundreds of generated fact bases, each loaded and validated (make test only).
pytestmark = pytest.mark.slow

GOOD = Path(__file__).parent / "fixtures" / "good"
TABLES = ("sources", "entities", "agreements", "events", "conflicts", "figures", "verifications")
# Tables problems may be reported in: the fuzzed ones, and those that refer to them.
SHOWN = {f"data/{name}.csv" for name in (*TABLES, "waivers", "totals", "context_events")} | {
    f"data/{DESCRIPTOR_NAME}"
}

_DEEP = int(os.environ.get("THIRDCOUNTRY_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=_DEEP or 60,
    deadline=None,
    derandomize=not _DEEP,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def _has_line_break(text: str) -> bool:
    return len(f"a{text}a".splitlines()) > 1  # \n, \r, \x1e, \x85, \u2028 and the like


# --- strategies ---------------------------------------------------------------------------------


def _good_rows(name: str) -> list[list[str]]:
    import csv
    import io

    text = (GOOD / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


GOOD_ROWS = {name: _good_rows(name) for name in TABLES}
KNOWN_VALUES = sorted(
    {cell for rows in GOOD_ROWS.values() for row in rows for cell in row if len(cell) < 40}
)
TRICKY = [
    "", " ", '"', '""', '"""', ",", ",,", "\n", "\r", "\r\n", "|", "||", "usa||gtm", "usa|",
    "\x00", "\ufeff", "\u2028", "\x85", "é", "\u0301", "😀", "\t", " usa", "usa ",
    "2025-13-01", "2023-02-29", "2025-02-10/2025-02-01", "2025-01-26/..", "../2025-01-26",
    "2025-01~", "2025?", "2025-21", "0000", "9999-12-31", "1600", "0001-01-01",
    "javascript:alert(1)", "ftp://x.org", "https://x.org", "sources/article.txt",
    "sources/missing.txt", "../x.txt", "USA", "XYZ", "usa|can|gtm", "planned",
]  # fmt: skip
IDS = sorted({row[0] for rows in GOOD_ROWS.values() for row in rows[1:]})
DATES = [
    "2019-07-26", "2002-12-05", "2025-01-27", "2030-01-01", "2025-01", "2019", "2019-07-26/..",
    "../2019-07-26", "2004-12-29/2002-12-05", "1990/2030", "2025-01-30", "2020-01-11",
]  # fmt: skip


def _plausible(name: str, index: int) -> st.SearchStrategy[str]:
    """A value that passes the checks of one cell, or nearly: taken from the same column of the
    good base, or an id or a date from anywhere in it."""
    column = sorted({row[index] for row in GOOD_ROWS[name][1:]})
    joined = st.lists(st.sampled_from(IDS), min_size=1, max_size=3).map("|".join)
    return st.one_of(st.sampled_from(column), st.sampled_from(IDS + DATES + [""]), joined)


EDTFISH = st.text(alphabet="0123456789-/.~?%XYSE{}[],", max_size=16)
cells = st.one_of(
    st.text(max_size=24),  # any code point but surrogates: control characters included
    st.text(alphabet='",|\n\r \t\x00ab', max_size=8),
    EDTFISH,
    st.sampled_from(TRICKY),
    st.sampled_from(KNOWN_VALUES),
)


@st.composite
def table_texts(draw, name: str) -> bytes:
    """New content for one CSV: the good file changed in one of several ways."""
    good = GOOD_ROWS[name]
    header, body = good[0], good[1:]
    width = len(header)
    random_row = st.lists(cells, max_size=width + 2)

    @st.composite
    def tweaked_row(draw, plausible=False):
        row = list(draw(st.sampled_from(body)))
        for index in draw(st.lists(st.integers(0, width - 1), min_size=1, max_size=3)):
            row[index] = draw(_plausible(name, index) if plausible else cells)
        return row

    rows = st.lists(st.one_of(random_row, tweaked_row()), min_size=1, max_size=4)
    modes = ["append", "replace", "tweak", "plausible", "header", "raw", "bytes"]
    mode = draw(st.sampled_from(modes))
    if mode == "append":
        table = good + draw(rows)
    elif mode == "replace":
        table = [header, *draw(rows)]
    elif mode in ("tweak", "plausible"):
        # plausible: cells swapped for values found elsewhere in the good base, so that loading
        # gets past the per-cell checks to the rules across rows and tables
        table = [header, *body]
        for _ in range(draw(st.integers(1, 2))):
            table[draw(st.integers(1, len(body)))] = draw(tweaked_row(mode == "plausible"))
    elif mode == "header":
        new_header = list(header)
        change = draw(st.sampled_from(["drop", "duplicate", "rename", "shuffle"]))
        position = draw(st.integers(0, width - 1))
        if change == "drop":
            del new_header[position]
        elif change == "duplicate":
            new_header.insert(position, new_header[position])
        elif change == "rename":
            new_header[position] = draw(cells)
        else:
            new_header = draw(st.permutations(header))
        table = [new_header, *body]
    else:
        base = (GOOD / f"{name}.csv").read_bytes()
        if mode == "raw":
            return base + draw(st.text(max_size=40)).encode("utf-8", "surrogatepass")
        return base + draw(st.binary(max_size=40))
    quote_all = draw(st.booleans())
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return "".join(_csv_line(row, quote_all) + ending for row in table).encode("utf-8")


def _csv_line(row: list[str], quote_all: bool) -> str:
    def encode(cell: str) -> str:
        if quote_all or any(mark in cell for mark in ',"\r\n') or cell != cell.strip():
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return ",".join(encode(cell) for cell in row)


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def good_base(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(GOOD, data)
    shutil.copy(DEFAULT_DATA_DIR / DESCRIPTOR_NAME, data / DESCRIPTOR_NAME)
    return data


class _Replaced:
    """Put content into one file of the base for the duration of a `with` block."""

    def __init__(self, data: Path, name: str, content: bytes):
        self.path = data / f"{name}.csv"
        self.content = content

    def __enter__(self) -> Path:
        self.original = self.path.read_bytes()
        self.path.write_bytes(self.content)
        return self.path

    def __exit__(self, *exc_info) -> None:
        self.path.write_bytes(self.original)


PROBLEM_LINE = re.compile(r"(?P<file>[^:]+)(?::(?P<row>[0-9]+))?(?::(?P<column>.+?))?: (?P<msg>.+)")


def assert_renders_on_one_line(problem: Problem, files: dict[str, bytes]) -> None:
    assert problem.file in SHOWN, problem
    assert problem.message and problem.message.strip() == problem.message, problem
    assert len(problem.message.splitlines()) == 1, problem
    if problem.row is not None:
        assert problem.row >= 1, problem
        if problem.file in files:  # a line of the file (ended by \n, \r or \r\n), or just past it
            assert problem.row <= len(files[problem.file].splitlines()) + 1, problem
    rendered = str(problem)
    assert rendered.splitlines() == [rendered], problem
    match = PROBLEM_LINE.fullmatch(rendered)
    assert match, rendered
    assert match["file"] == problem.file


def _tables_and_texts():
    return st.sampled_from(TABLES).flatmap(lambda name: st.tuples(st.just(name), table_texts(name)))


# --- properties ---------------------------------------------------------------------------------


@FUZZ
@given(case=_tables_and_texts())
def test_load_facts_fails_only_with_one_line_problems(good_base: Path, case) -> None:
    name, content = case
    with _Replaced(good_base, name, content):
        try:
            facts = load_facts(good_base)
        except FactBaseError as exc:
            assert exc.problems
            event("refused: one problem" if len(exc.problems) == 1 else "refused: several problems")
            files = {f"data/{name}.csv": content}
            for problem in exc.problems:
                assert_renders_on_one_line(problem, files)
        else:
            event("loaded")
            assert isinstance(facts, FactBase)
        finally:
            assert (good_base / f"{name}.csv").read_bytes() == content  # nothing is ever written


@FUZZ
@given(case=_tables_and_texts())
def test_cli_exits_0_or_2_and_never_crashes(good_base: Path, case, capsys) -> None:
    name, content = case
    capsys.readouterr()
    with _Replaced(good_base, name, content):
        code = main(["validate", "--data", str(good_base)])
        out, err = capsys.readouterr()
    assert code in (0, 2)
    assert "Traceback" not in out + err
    if code == 0:
        assert out.startswith("ok: ")
        assert err == ""
    else:
        assert re.fullmatch(r"thirdcountry: [0-9]+ problems? found", err.splitlines()[-1])


@FUZZ
@given(text=st.one_of(st.text(max_size=30), EDTFISH, st.sampled_from(TRICKY)))
def test_parse_edtf_returns_a_date_or_raises_edtf_error(text: str) -> None:
    try:
        date = parse_edtf(text)
    except EDTFError as exc:
        assert str(exc)
        assert len(str(exc).splitlines()) == 1
        return
    assert isinstance(date, FuzzyDate)
    assert date.text == text.strip()
    assert date.precision in PRECISIONS
    if date.earliest is not None and date.latest is not None:
        assert date.earliest <= date.latest


@pytest.mark.parametrize("text", ["2004-XX", "1XXX-XX", "2004-?06"])
def test_parse_edtf_unspecified_or_qualified_month(text: str) -> None:
    date = parse_edtf(text)  # valid EDTF: a date, never an error
    assert date.earliest is not None and date.latest is not None
    assert date.earliest <= date.latest
