"""The docs site: the data contract page generated from the descriptor, a strict build that
fetches nothing from the network, and a README that stays a short entry linking to the docs."""

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
NAV_PAGES = ("index.md", "getting-started.md", "data-contract.md", "editors-guide.md",
             "reports.md", "scheduling.md", "scale-out.md", "development.md")  # fmt: skip


def _hooks():
    spec = importlib.util.spec_from_file_location("docs_hooks", DOCS / "hooks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hooks = _hooks()


def _descriptor(data_dir: Path = ROOT / "data") -> dict:
    return json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))


def _section(page: str, table: str) -> str:
    start = page.index(f"\n## {table}\n")
    end = page.find("\n## ", start + 1)
    return page[start : end if end != -1 else len(page)]


def test_every_table_and_field_of_the_descriptor_is_on_the_contract_page():
    page = hooks.contract_markdown()
    for resource in _descriptor()["resources"]:
        section = _section(page, resource["name"])
        assert f"`data/{resource['path']}`" in section
        for field in resource["schema"]["fields"]:
            row = next((line for line in section.splitlines()
                        if f"id='{resource['name']}-{field['name']}'" in line), None)  # fmt: skip
            assert row is not None, f"{resource['name']}.{field['name']} is not on the page"
            assert f"`{field['name']}`" in row
            description = " ".join(field.get("description", "").split())
            assert description.replace("|", "&#124;") in row
            for value in field.get("constraints", {}).get("enum", []):
                assert f"<code>{value}</code>" in row, (field["name"], value)
            if field.get("constraints", {}).get("required"):
                assert "required" in row


def test_the_contract_page_follows_the_descriptor(tmp_path):
    """A field added to the descriptor appears on the page without editing any page."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("sources"))
    descriptor = _descriptor(data)
    events = next(r for r in descriptor["resources"] if r["name"] == "events")
    events["schema"]["fields"].append(
        {"name": "reviewed_by", "type": "string", "description": "Who reviewed the row | when."}
    )
    (data / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    page = hooks.contract_markdown(data)
    row = next(line for line in _section(page, "events").splitlines() if "reviewed_by" in line)
    assert "Who reviewed the row &#124; when." in row
    assert row.count(" | ") == 3  # the pipe in the description did not add a column


def test_the_readme_is_a_short_entry_that_links_to_every_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    assert "make report" in readme and "make test" in readme
    for page in NAV_PAGES[1:]:
        if page == hooks.PAGE:  # generated: only in the built site
            assert "site/data-contract.html" in readme and "](data/datapackage.json)" in readme
        else:
            assert f"](docs/{page}" in readme, page
    for image in re.findall(r"!\[[^\]]+\]\(([^)]+)\)", readme):
        assert (ROOT / image).is_file(), image


def test_every_nav_page_is_in_mkdocs_yml_and_written_or_generated():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in NAV_PAGES:
        assert f": {page}" in config, page
        assert page == hooks.PAGE or (DOCS / page).is_file(), page


def _build(project: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Path:
    """The docs, mkdocs.yml and data/ in a folder of their own, plus a page not in the nav,
    as another branch may add one (docs/data-rules.md) before the nav lists it."""
    project = tmp_path_factory.mktemp("docs-project")
    shutil.copytree(DOCS, project / "docs")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "data").mkdir()
    shutil.copy2(ROOT / "data" / "datapackage.json", project / "data" / "datapackage.json")
    (project / "docs" / "data-rules.md").write_text(
        "# Data rules\n\nSee [the data contract](data-contract.md#events-date).\n", encoding="utf-8"
    )
    return project


@pytest.mark.slow
def test_the_site_builds_strictly_offline_and_a_new_page_does_not_break_it(project_copy):
    site = project_copy / "site"
    result = _build(project_copy, site)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (site / "data-contract.html").is_file() and (site / "data-rules.html").is_file()
    contract = (site / "data-contract.html").read_text(encoding="utf-8")
    for resource in _descriptor()["resources"]:
        for field in resource["schema"]["fields"]:
            assert f'id="{resource["name"]}-{field["name"]}"' in contract.replace("'", '"')
    # Nothing the pages load (scripts, styles, fonts, images) comes from the network.
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        fetched = re.findall(r"<(?:script|link|img)\b[^>]*?(?:src|href)=\"(https?:)?//", html)
        assert not fetched, f"{page.name} loads something from the network"
    for css in site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css


@pytest.mark.slow
def test_a_broken_link_fails_the_strict_build(project_copy, tmp_path):
    project = tmp_path / "broken"
    shutil.copytree(project_copy, project, ignore=shutil.ignore_patterns("site"))
    (project / "docs" / "data-rules.md").write_text("[gone](no-such-page.md)\n", encoding="utf-8")
    result = _build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "no-such-page.md" in result.stderr
