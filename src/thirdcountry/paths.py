"""Every path the project knows, in one place."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
DEFAULT_PLAN = PROJECT_ROOT / "reports.yml"
DESCRIPTOR_NAME = "datapackage.json"
DATA_ENV_VAR = "THIRDCOUNTRY_DATA"
# Handed by a scheduled run to each report's kernel: the previous good run's facts and start.
PREVIOUS_SNAPSHOT_ENV = "THIRDCOUNTRY_PREVIOUS_SNAPSHOT"
PREVIOUS_RUN_ENV = "THIRDCOUNTRY_PREVIOUS_RUN"
# Handed by a Dask run to each report's kernel on a worker, which has no checkout: "1" when its
# $THIRDCOUNTRY_DATA is a copy of the project's data/, and the client's git commit and state.
PROJECT_DATA_COPY_ENV = "THIRDCOUNTRY_DATA_IS_PROJECT_DATA"
GIT_COMMIT_ENV = "THIRDCOUNTRY_GIT_COMMIT"
GIT_DIRTY_ENV = "THIRDCOUNTRY_GIT_DIRTY"
# Where the reports folder is published: the change feeds need absolute links and ids.
# The default is a placeholder (example.org is reserved for documentation); set the real address
# with `render --base-url` or this variable.
BASE_URL_ENV = "THIRDCOUNTRY_BASE_URL"
DEFAULT_BASE_URL = "https://example.org/thirdcountry/"


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
