"""Snapshots of a fact base: the descriptor, tables and stored texts in one small zip file.

Each successful report run keeps one beside its run.json, so a later run can say exactly what was
added or corrected since.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from thirdcountry.facts.load import FactBase, fact_files, load_facts
from thirdcountry.facts.problems import FactBaseError, Problem


def snapshot_members(facts: FactBase) -> list[Path]:
    """The files a snapshot holds, relative to the data folder: those the content hash covers."""
    return fact_files(facts.schema, facts.text_files)


def write_snapshot(facts: FactBase, target: Path) -> Path:
    """Write the fact base's files into a zip at target (the caller moves it into place)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for member in snapshot_members(facts):
            # A fixed timestamp keeps the snapshot's bytes a function of the data alone.
            info = zipfile.ZipInfo(member.as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, (facts.data_dir / member).read_bytes())
    return target


def load_snapshot(path: Path) -> FactBase:
    """Load a snapshot as a FactBase. Its data_dir is the snapshot file: the files are in memory."""
    with tempfile.TemporaryDirectory(prefix="thirdcountry-snapshot-") as tmp:
        root = extract_snapshot(path, Path(tmp) / "data", shown=path.name)
        facts = load_facts(root, validate=False)
    facts.data_dir = path
    return facts


def extract_snapshot(source: Path | bytes, target: Path, shown: str = "snapshot") -> Path:
    """Unpack a snapshot (a file, or its bytes) into the folder target: a data folder again."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (OSError, zipfile.BadZipFile) as exc:
        message = f"is not a readable snapshot ({exc})"
        raise FactBaseError([Problem(shown, None, None, message)]) from None
    with archive:
        for info in archive.infolist():
            destination = (target / info.filename).resolve()
            if target.resolve() not in destination.parents:
                message = f"member {info.filename!r} points outside the snapshot"
                raise FactBaseError([Problem(shown, None, None, message)])
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(archive.read(info))
    return target
