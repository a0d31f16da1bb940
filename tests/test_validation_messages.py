"""Friendlier validation: a byte-order mark is accepted, near misses get "did you mean", and
messages use 'a' and 'an' right. (Every problem in one pass is in the bad-input corpus:
fixtures/bad/every-problem-in-one-pass.)"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from thirdcountry.cli import main
from thirdcountry.facts.wording import NEAR_MISS_SCORE, article, closest, did_you_mean

EVENT_KINDS = ["signed", "in_force", "implemented", "suspended", "terminated", "statement"]


@pytest.mark.parametrize(
    ("typed", "choices", "meant"),
    [
        ("USA", ["usa", "can", "gtm"], "usa"),  # case alone: always suggested
        ("statsu", ["validate", "status", "events", "changes"], "status"),
        ("implemnted", EVENT_KINDS, "implemented"),
        ("in_forse", EVENT_KINDS, "in_force"),
        ("overveiw", ["overview", "country"], "overview"),
        ("as_off", ["as_of", "since", "countries"], "as_of"),
        ("us-slv-2052", ["us-slv-2025", "us-slv-aca-2019"], "us-slv-2025"),
    ],
)
def test_near_misses_are_suggested(typed: str, choices: list[str], meant: str) -> None:
    assert closest(typed, choices) == meant
    assert did_you_mean(typed, choices) == f"; did you mean {meant!r}?"


@pytest.mark.parametrize(
    ("typed", "choices"),
    [
        ("status", ["events", "sources"]),  # another word of the same length
        ("xyz", ["usa", "can"]),
        ("ratify", EVENT_KINDS),
        ("", ["usa"]),
        ("usa", []),
    ],
)
def test_unrelated_words_get_no_suggestion(typed: str, choices: list[str]) -> None:
    assert closest(typed, choices) is None
    assert did_you_mean(typed, choices) == ""


def test_threshold_sits_between_the_near_misses_and_the_unrelated() -> None:
    from rapidfuzz import fuzz

    near = [("statsu", "status"), ("overveiw", "overview"), ("as_off", "as_of")]
    far = [("status", "events"), ("ratify", "signed"), ("usa", "can")]
    assert min(fuzz.ratio(a, b) for a, b in near) >= NEAR_MISS_SCORE
    assert max(fuzz.ratio(a, b) for a, b in far) < NEAR_MISS_SCORE


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("implemented", "an"),
        ("in_force", "an"),
        ("organization", "an"),
        ("entity_id", "an"),
        ("agreement_id", "an"),
        ("signed", "a"),
        ("source_id", "a"),
        ("person", "a"),
        ("usa", "a"),
    ],
)
def test_article(word: str, expected: str) -> None:
    assert article(word) == expected


def test_byte_order_mark_is_accepted_silently(good_dir: Path, capsys) -> None:
    data = good_dir
    for name in ("sources.csv", "events.csv"):
        path = data / name
        path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}

    code = main(["validate", "--data", str(data)])

    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    assert out.startswith("ok: ")
    after = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    assert after == before  # validate never strips the mark itself


def test_byte_order_mark_does_not_shift_line_numbers(good_dir: Path, capsys) -> None:
    data = good_dir
    path = data / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace(",in_force,", ",in_forse,", 1)
    path.write_bytes(codecs.BOM_UTF8 + "".join(lines).encode())

    assert main(["validate", "--data", str(data)]) == 2

    err = capsys.readouterr().err
    # the full path in the folder actually used (issue 28)
    assert err.startswith(f"{data}/events.csv:3:kind: 'in_forse' is not an allowed value")
    assert "did you mean 'in_force'?" in err


def test_not_utf8_after_a_byte_order_mark_names_the_right_byte(good_dir: Path, capsys) -> None:
    data = good_dir
    path = data / "sources.csv"
    raw = path.read_bytes().replace(b"Jane Doe", b"Jan\xe9 Doe")
    path.write_bytes(codecs.BOM_UTF8 + raw)

    assert main(["validate", "--data", str(data)]) == 2

    assert "data/sources.csv:2: is not UTF-8 (byte 0xe9)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["statsu"], "did you mean 'status'?"),
        (["status", "--format", "tabel"], "did you mean 'table'?"),
        (["render", "overveiw"], "did you mean 'overview'?"),
        (["render", "overview", "-p", "as_off=2025-01-26"], "did you mean 'as_of'?"),
    ],
)
def test_commands_notebooks_and_parameters_suggest_the_near_miss(
    argv: list[str], hint: str, capsys
) -> None:
    with pytest.raises(SystemExit) as raised:
        code = main(argv)
        raise SystemExit(code)
    assert raised.value.code == 2
    captured = capsys.readouterr()
    assert hint in captured.err
    assert "Traceback" not in captured.err
