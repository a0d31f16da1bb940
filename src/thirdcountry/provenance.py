"""Facts about a run: code version, git commit, dependency versions. Standard library only."""

from __future__ import annotations

import os
import subprocess
from importlib.metadata import PackageNotFoundError, version

from thirdcountry import __version__
from thirdcountry.paths import CHECKOUT_ROOT, GIT_COMMIT_ENV, GIT_DIRTY_ENV

KEY_DEPENDENCIES = (
    "pandas",
    "matplotlib",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "edtf",
    "weasyprint",
)


def dependency_versions() -> dict[str, str]:
    found = {}
    for name in KEY_DEPENDENCIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def installed_distributions() -> list[str]:
    """Every installed distribution as 'name==version', sorted: what the environment is made of."""
    from importlib.metadata import distributions

    found = {f"{(d.metadata['Name'] or '').lower()}=={d.version}" for d in distributions()}
    return sorted(found)


def git_state() -> dict[str, object]:
    """The commit of the project checkout and whether its tree has uncommitted changes (a Dask
    worker, without a checkout, is told the client's in its environment; otherwise an installed
    package has none: the current folder's repository, if any, is not thirdcountry's)."""
    if os.environ.get(GIT_COMMIT_ENV):
        return {"commit": os.environ[GIT_COMMIT_ENV], "dirty": os.environ.get(GIT_DIRTY_ENV) == "1"}
    if CHECKOUT_ROOT is None:
        return {"commit": None, "dirty": None}
    try:
        commit = _git("rev-parse", "HEAD")
        dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": dirty}


def _git(*args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=CHECKOUT_ROOT, capture_output=True, text=True, timeout=10, check=True
    )
    return result.stdout.strip()


def code_version() -> str:
    return __version__
