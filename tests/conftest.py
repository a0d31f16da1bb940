"""Shared fixtures: the small valid fact base in fixtures/good, assembled in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from thirdcountry.paths import DEFAULT_DATA_DIR, DESCRIPTOR_NAME

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"


def assemble_fact_base(target: Path, overlay: Path | None = None) -> Path:
    """Copy the good fixture plus the project's descriptor into target, then overlay files."""
    shutil.copytree(GOOD, target)
    shutil.copy(DEFAULT_DATA_DIR / DESCRIPTOR_NAME, target / DESCRIPTOR_NAME)
    if overlay is not None:
        shutil.copytree(overlay, target, dirs_exist_ok=True)
    return target


@pytest.fixture
def good_dir(tmp_path: Path) -> Path:
    return assemble_fact_base(tmp_path / "data")


@pytest.fixture
def good_facts(good_dir: Path):
    from thirdcountry.facts import load_facts

    return load_facts(good_dir)


# ---- the proof suites (browser, accessibility, PDF, shared output): see tests/rendered.py ----


@pytest.fixture(scope="session")
def default_plan(tmp_path_factory):
    """The default plan (reports.yml, the project's data) rendered once, HTML and PDF."""
    import rendered

    return rendered.render_default_plan(tmp_path_factory.mktemp("default-plan"))


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium via Playwright; skipped where missing, a failure when CI is set."""
    import rendered

    with rendered.start_browser() as launched:
        yield launched
