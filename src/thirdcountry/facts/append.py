"""Appending rows to the fact base, all or nothing: the only way anything writes under data/.

The merged fact base is built in a temporary folder and fully validated there. Only then are
the changed CSV files replaced, each through a temporary file and a rename; if any replacement
fails, the ones already made are put back. Rows are appended as new lines after the existing
bytes, in each file's own column order, so untouched rows are never reordered or rewritten and
`git diff` shows only the additions. Works for every table the descriptor declares.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from thirdcountry.facts.additions import Additions
from thirdcountry.facts.load import FactBase, load_facts
from thirdcountry.facts.problems import FactBaseError, Problem, with_full_paths
from thirdcountry.facts.schema import load_schema
from thirdcountry.paths import display_path, resolve_data_dir


@dataclass
class AppendResult:
    before: FactBase
    after: FactBase
    changed: dict[str, int]  # table -> rows appended
    written: bool


def append_rows(
    additions: Additions,
    data_dir: str | Path | None = None,
    *,
    dry_run: bool = False,
    replace: Callable[[Path, Path], None] | None = None,
) -> AppendResult:
    """Merge the additions into the fact base, or raise FactBaseError and write nothing.

    `replace` defaults to os.replace; tests pass a failing one: nothing may be half-written.
    Two `add`s on one folder take turns (an OS lock on the folder), so neither loses the
    other's rows.
    """
    directory = resolve_data_dir(data_dir)
    with folder_lock(directory):
        try:
            return _append_locked(additions, directory, dry_run, replace)
        except FactBaseError as exc:  # every file named by its full path in this folder
            raise with_full_paths(exc, directory) from None


@contextlib.contextmanager
def folder_lock(directory: Path) -> Iterator[None]:
    """An exclusive lock for the folder (filelock): a lock file in the system's temporary folder,
    named after the folder's real path, so nothing is written into the folder itself; the OS
    releases it when the process ends, however it ends."""
    from filelock import FileLock

    key = hashlib.sha256(str(directory.resolve()).encode("utf-8")).hexdigest()[:16]
    with FileLock(Path(tempfile.gettempdir()) / f"thirdcountry-data-{key}.lock"):
        yield


def _append_locked(
    additions: Additions,
    directory: Path,
    dry_run: bool,
    replace: Callable[[Path, Path], None] | None,
) -> AppendResult:
    before = load_facts(directory)
    schema = load_schema(directory)
    new_bytes: dict[str, bytes] = {}
    origin: dict[tuple[str, int], int] = {}  # (file shown, merged line) -> additions row
    changed: dict[str, int] = {}
    for name, table in schema.items():
        rows = additions.for_table(name)
        if not rows:
            continue
        path = directory / table.path
        original = path.read_bytes()
        merged, first_line = _appended(original, [r.cells for r in rows], table.columns)
        new_bytes[table.path] = merged
        changed[name] = len(rows)
        shown = display_path(path, directory)
        line = first_line
        for row, text in zip(rows, _row_texts([r.cells for r in rows], original), strict=True):
            origin[(shown, line)] = row.row
            line += text.count("\n")

    with tempfile.TemporaryDirectory(prefix="thirdcountry-add-") as temporary:
        staged = Path(temporary) / directory.name  # same name: messages read 'data/events.csv'
        shutil.copytree(directory, staged, ignore=shutil.ignore_patterns(".*"))
        for relative, content in new_bytes.items():
            (staged / relative).write_bytes(content)
        try:
            after = load_facts(staged)
        except FactBaseError as exc:
            raise FactBaseError(
                [_traced(p, origin, additions.shown, directory) for p in exc.problems]
            ) from None
        after.data_dir = directory
    if dry_run or not new_bytes:
        return AppendResult(before, after, changed, written=False)
    _replace_all(directory, new_bytes, replace or os.replace)
    return AppendResult(before, after, changed, written=True)


def _appended(original: bytes, rows: list[dict[str, str]], columns) -> tuple[bytes, int]:
    """The file's bytes with rows appended in its own header's column order, its own line
    ending, and the line the first new row starts on."""
    text = original.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text, newline="")))
    newline = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    for row in rows:
        writer.writerow([row.get(column.strip(), "") for column in header])
    prefix = original
    if prefix and not prefix.endswith(b"\n"):
        prefix += newline.encode()
    first_line = prefix.decode("utf-8-sig").count("\n") + 1
    return prefix + buffer.getvalue().encode("utf-8"), first_line


def _row_texts(rows: list[dict[str, str]], original: bytes) -> list[str]:
    header = next(csv.reader(io.StringIO(original.decode("utf-8-sig"), newline="")))
    texts = []
    for row in rows:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([row.get(c.strip(), "") for c in header])
        texts.append(buffer.getvalue())
    return texts


def _traced(
    problem: Problem, origin: dict[tuple[str, int], int], shown: str, directory: Path
) -> Problem:
    """A problem in an added row is named by the additions file's row, and where it would go
    (the full path of the file in the data folder used)."""
    row = origin.get((problem.file, problem.row or -1))
    if row is None:
        return problem
    relative = problem.file.split("/", 1)[-1]  # 'data/events.csv' -> 'events.csv'
    where = f"{Path(os.path.abspath(directory)) / relative}:{problem.row}"  # noqa: PTH100
    return Problem(shown, row, problem.column, f"{problem.message} (as {where})")


def _replace_all(
    directory: Path, new_bytes: dict[str, bytes], replace: Callable[[Path, Path], None]
) -> None:
    """Replace every changed file, or none: temporary files first, then renames, undone on
    failure from copies of the originals."""
    staged: dict[Path, Path] = {}
    backups: dict[Path, Path] = {}
    done: list[Path] = []
    try:
        for relative, content in new_bytes.items():
            target = directory / relative
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            staged[target] = Path(name)
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            shutil.copymode(target, name)
            backup_handle, backup = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            os.close(backup_handle)
            shutil.copy2(target, backup)
            backups[target] = Path(backup)
        for target, temporary in staged.items():
            replace(temporary, target)
            done.append(target)
    except BaseException:
        for target in done:
            with contextlib.suppress(OSError):
                backups[target].replace(target)
        raise
    finally:
        for path in [*staged.values(), *backups.values()]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
