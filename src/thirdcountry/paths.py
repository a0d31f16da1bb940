"""Every path the project knows, in one place.

thirdcountry runs from a source checkout (`make venv`: an editable install) or from a wheel
installed anywhere. What ships with the package comes through importlib.resources, the same way
in both: the report and index templates (templates/) and the notebooks (notebooks/: in a
checkout a symlink to the top-level notebooks/ folder, in a wheel real files). What belongs to
a project — the fact base (data/), the reports folder (reports/) and the plan (reports.yml) —
is looked up in the checkout when running from one, else in the current folder.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _checkout_root() -> Path | None:
    """The source checkout this package runs from (src/thirdcountry under it), if any."""
    root = PACKAGE_DIR.parent.parent
    if PACKAGE_DIR.parent.name == "src" and (root / "pyproject.toml").is_file():
        return root
    return None


def package_folder(name: str) -> Path:
    """A folder shipped inside the package, as a path on disk (nbconvert and papermill need one)."""
    found = resources.files("thirdcountry") / name
    if not isinstance(found, Path):
        raise RuntimeError(f"thirdcountry must be installed as files on disk: {found} is not")
    return found


CHECKOUT_ROOT = _checkout_root()
# Where a project's data/, reports/ and reports.yml are by default.
PROJECT_ROOT = CHECKOUT_ROOT or Path.cwd()
TEMPLATES_DIR = package_folder("templates")
NOTEBOOKS_DIR = package_folder("notebooks").resolve()  # a checkout: its top-level notebooks/
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
REPORTS_DIR = PROJECT_ROOT / "reports"
DEFAULT_PLAN = PROJECT_ROOT / "reports.yml"
DESCRIPTOR_NAME = "datapackage.json"
# Beside each rendered report: the data package it was made from (the descriptor, its CSVs and
# stored texts, zipped), which the report links.
DATA_PACKAGE_FILE = "facts.zip"
DATA_ENV_VAR = "THIRDCOUNTRY_DATA"
# Handed by a scheduled run to each report's kernel: the previous good run's facts and start.
PREVIOUS_SNAPSHOT_ENV = "THIRDCOUNTRY_PREVIOUS_SNAPSHOT"
PREVIOUS_RUN_ENV = "THIRDCOUNTRY_PREVIOUS_RUN"
# Handed by a render to each report's kernel: the content hash of the fact base it checked in
# full before any kernel started. Loading a fact base with that very hash, a kernel skips the
# checks across rows (facts.validate.domain_problems): they passed; every file is still read and
# typed, and a changed file changes the hash.
CHECKED_DATA_ENV = "THIRDCOUNTRY_CHECKED_DATA"
# Handed by a Dask run to each report's kernel on a worker, which has no checkout: "1" when its
# $THIRDCOUNTRY_DATA is a copy of the project's data/, and the client's git commit and state.
PROJECT_DATA_COPY_ENV = "THIRDCOUNTRY_DATA_IS_PROJECT_DATA"
GIT_COMMIT_ENV = "THIRDCOUNTRY_GIT_COMMIT"
GIT_DIRTY_ENV = "THIRDCOUNTRY_GIT_DIRTY"
# Where the reports folder is published, for the change feeds' absolute links. Unset (the
# default, ""), the feeds link relative to the reports folder, which a feed reader resolves
# against the feed's own address; set it with `render --base-url` or this variable.
BASE_URL_ENV = "THIRDCOUNTRY_BASE_URL"
DEFAULT_BASE_URL = ""


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The fact base: an explicit folder, else $THIRDCOUNTRY_DATA, else the project's data/."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(DATA_ENV_VAR)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return DEFAULT_DATA_DIR


def is_project_data(path: Path) -> bool:
    """Whether a fact base is the project's data/ (or, on a Dask worker, a copy of it)."""
    if path == DEFAULT_DATA_DIR:
        return True
    copy = os.environ.get(DATA_ENV_VAR) or ""
    return (
        os.environ.get(PROJECT_DATA_COPY_ENV) == "1"
        and bool(copy)
        and Path(copy).resolve() == path.resolve()
    )


def display_path(path: Path, data_dir: Path) -> str:
    """A path as users see it in messages: relative to the data folder's parent, never absolute."""
    try:
        # Not resolve(): a symlinked or missing file is still shown under its folder.
        return Path(os.path.abspath(path)).relative_to(data_dir.parent).as_posix()  # noqa: PTH100
    except ValueError:
        return path.name
