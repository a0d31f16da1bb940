"""The bad-input corpus: every broken fact base in fixtures/bad is refused in plain words.

Each folder in tests/fixtures/bad is one broken data set, stored as the difference from
tests/fixtures/good. A case is assembled in a temporary folder named `data`:

1. the good fixture, plus the project's data/datapackage.json beside it;
2. minus the files listed in `DELETE` (one path a line, relative to the data folder);
3. plus every other file of the case folder, replacing the good one (`datapackage.json`
   included), except the bookkeeping files `README`, `expected.txt`, `DELETE` and `GENERATE`;
4. plus the file `GENERATE` describes, made at test time (too big to keep in git):
   `file: <name>` and `bytes: <size>` lines; the good file followed by copies of its last row,
   cut to exactly that size.

`thirdcountry validate --data data` must then exit with 2, print nothing on stdout, print exactly
the lines of `expected.txt` on stderr followed by the 'thirdcountry: N problems found' summary,
never a traceback, and leave every file in the folder as it was.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from thirdcountry.cli import main
from thirdcountry.paths import DEFAULT_DATA_DIR, DESCRIPTOR_NAME

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"
BOOKKEEPING = {"README", "expected.txt", "DELETE", "GENERATE"}
MIN_CASES = 35


def case_names() -> list[str]:
    return sorted(p.name for p in BAD.iterdir() if p.is_dir())


def assemble(case: Path, target: Path) -> Path:
    """Build the broken fact base of one case in target (see the module docstring)."""
    shutil.copytree(GOOD, target)
    shutil.copy(DEFAULT_DATA_DIR / DESCRIPTOR_NAME, target / DESCRIPTOR_NAME)
    delete = case / "DELETE"
    if delete.exists():
        for line in delete.read_text(encoding="utf-8").splitlines():
            if line.strip():
                (target / line.strip()).unlink()
    for path in sorted(case.rglob("*")):
        relative = path.relative_to(case)
        if path.is_dir() or relative.as_posix() in BOOKKEEPING:
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    generate = case / "GENERATE"
    if generate.exists():
        _generate(generate, target)
    return target


def _generate(spec_path: Path, target: Path) -> None:
    spec = dict(
        line.split(":", 1) for line in spec_path.read_text(encoding="utf-8").splitlines() if line
    )
    name, size = spec["file"].strip(), int(spec["bytes"])
    base = (GOOD / name).read_bytes()
    last_row = base.rstrip(b"\n").rsplit(b"\n", 1)[-1] + b"\n"
    copies = (size - len(base)) // len(last_row) + 1
    content = (base + last_row * copies)[:size]
    assert len(content) == size
    (target / name).write_bytes(content)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under folder, with a hash of each file's bytes."""
    state = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        state[key] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def expected_lines(case: Path) -> list[str]:
    return (case / "expected.txt").read_text(encoding="utf-8").splitlines()


def run_validate(data: Path) -> int:
    return main(["validate", "--data", str(data)])


@pytest.mark.parametrize("name", case_names())
def test_bad_input_is_refused(name: str, tmp_path: Path, capsys) -> None:
    case = BAD / name
    data = assemble(case, tmp_path / "data")
    capsys.readouterr()
    before = snapshot(data)

    code = run_validate(data)

    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert out == ""
    expected = expected_lines(case)
    count = len(expected)
    summary = f"thirdcountry: {count} problem{'s' * (count != 1)} found"
    # Messages name each file by its full path in the folder used; expected.txt is relative.
    shown = [line.replace(f"{data.parent}/", "", 1) for line in err.splitlines()]
    assert shown == [*expected, summary]
    assert code == 2
    assert snapshot(data) == before


def test_good_fixture_validates(tmp_path: Path, capsys) -> None:
    data = assemble_good(tmp_path / "data")
    before = snapshot(data)

    code = run_validate(data)

    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    assert out.startswith("ok: ")
    assert snapshot(data) == before


def assemble_good(target: Path) -> Path:
    shutil.copytree(GOOD, target)
    shutil.copy(DEFAULT_DATA_DIR / DESCRIPTOR_NAME, target / DESCRIPTOR_NAME)
    return target


def test_corpus_is_big_enough() -> None:
    assert len(case_names()) >= MIN_CASES


@pytest.mark.parametrize("name", case_names())
def test_case_folder_is_well_formed(name: str) -> None:
    """One-line README, expected.txt without the summary, and only files that really differ."""
    case = BAD / name
    readme = (case / "README").read_text(encoding="utf-8")
    assert readme.endswith("\n")
    assert readme.strip()
    assert "\n" not in readme.strip()
    expected = expected_lines(case)
    assert expected
    assert all(line.startswith("data/") for line in expected)
    assert not any(line.startswith("thirdcountry:") for line in expected)
    overlay = [
        p
        for p in case.rglob("*")
        if p.is_file() and p.relative_to(case).as_posix() not in BOOKKEEPING
    ]
    assert overlay or (case / "DELETE").exists() or (case / "GENERATE").exists()
    for path in overlay:
        relative = path.relative_to(case)
        original = GOOD / relative
        if relative.as_posix() == DESCRIPTOR_NAME:
            original = DEFAULT_DATA_DIR / DESCRIPTOR_NAME
        if original.is_file():
            assert path.read_bytes() != original.read_bytes(), f"{relative} is unchanged"


# Valid EDTF with an unspecified or qualified month: not bad input, so the fact base loads.
@pytest.mark.parametrize("date", ["2025-XX", "1XXX-XX", "2025-?01"])
def test_valid_edtf_with_unspecified_or_qualified_month_loads(
    date: str, tmp_path: Path, capsys
) -> None:
    data = assemble_good(tmp_path / "data")
    events = data / "events.csv"
    text = events.read_text(encoding="utf-8")
    assert text.count("call,2025-01-23,") == 1
    events.write_text(text.replace("call,2025-01-23,", f"call,{date},"), encoding="utf-8")

    code = run_validate(data)

    out, err = capsys.readouterr()
    # Loads without a problem; a lint may still warn that '2025-XX' reaches past the source.
    assert code == 0
    assert all(" warning [" in line for line in err.splitlines()), err
    assert out.startswith("ok: ")
