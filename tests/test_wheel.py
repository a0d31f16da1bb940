"""The wheel is the whole product: built from this checkout, installed into a fresh virtual
environment outside it, it lists its reports, validates a fact base and renders a report.

Nothing of the checkout may help the installed package: the wheel is built offline from a copy
of the project's sources (the pinned setuptools, `--no-build-isolation`), the new environment
gets thirdcountry only from the wheel, and every command runs in a folder outside the checkout.
The dependencies are the checkout environment's, the versions requirements.lock pins, put on
the new environment's path through a folder of links that leaves out everything of
thirdcountry (its editable-install hook and metadata), with their data files (share/, etc/:
nbconvert's base templates, the kernel spec), so a file missing from the wheel fails here
instead of being found in the checkout. No network: pip runs with --no-index.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from thirdcountry.paths import CHECKOUT_ROOT, DEFAULT_DATA_DIR
from thirdcountry.render.history import code_fingerprint

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [
    "thirdcountry/notebooks/overview.ipynb",
    "thirdcountry/notebooks/country.ipynb",
    "thirdcountry/notebooks/explore.ipynb",
    "thirdcountry/templates/thirdcountry/index.html.j2",
    "thirdcountry/templates/thirdcountry/report.css",
    "thirdcountry/templates/reports_index/index.html.j2",
    "thirdcountry/report/charts/countries-110m.json",
]


def _run(command: list, cwd: Path, env: dict[str, str], timeout: float = 600):
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _sources(target: Path) -> Path:
    """What the build needs, copied as a clean clone has it (no caches, no build leftovers)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints", "build")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, target / name)
    for name in ("src", "notebooks"):
        shutil.copytree(ROOT / name, target / name, symlinks=True, ignore=ignore)
    return target


def _dependencies_only(target: Path) -> Path:
    """Links to every installed distribution of this environment except thirdcountry's own."""
    target.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for entry in site.iterdir():
        if "thirdcountry" in entry.name.lower() or entry.suffix == ".pth":
            continue
        (target / entry.name).symlink_to(entry)
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("wheel")
    assert ROOT not in base.parents
    sources = _sources(_mkdir(base / "sources"))
    dist = base / "dist"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "THIRDCOUNTRY"))}
    env["PIP_NO_INDEX"] = "1"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            dist,
            sources,
        ],
        base,
        env,
    )
    wheel = next(dist.glob("thirdcountry-*.whl"))
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], base, env)
    python = venv / "bin" / "python"
    site = Path(
        _run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base, env
        ).stdout.strip()
    )
    deps = _dependencies_only(base / "dependencies")
    (site / "dependencies.pth").write_text(f"{deps}\n")
    # The dependencies' data files outside site-packages (nbconvert's base templates, the
    # kernel spec): none is thirdcountry's.
    for name in ("share", "etc"):
        (venv / name).symlink_to(Path(sys.prefix) / name)
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--no-deps",
            "--no-index",
            wheel,
        ],
        base,
        env,
    )
    work = _mkdir(base / "elsewhere")
    shutil.copytree(DEFAULT_DATA_DIR, work / "facts")
    return {
        "wheel": wheel,
        "venv": venv,
        "python": python,
        "work": work,
        "env": env,
        "thirdcountry": venv / "bin" / "thirdcountry",
    }


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_the_wheel_carries_notebooks_templates_and_data_files(installed):
    names = zipfile.ZipFile(installed["wheel"]).namelist()
    assert not [name for name in SHIPPED if name not in names]
    assert not [name for name in names if "__pycache__" in name or ".ipynb_checkpoints" in name]


def test_the_installed_package_is_the_wheel_not_the_checkout(installed):
    probe = (
        "import json, thirdcountry, thirdcountry.paths as p; "
        "print(json.dumps([thirdcountry.__file__, str(p.NOTEBOOKS_DIR), str(p.TEMPLATES_DIR),"
        " str(p.CHECKOUT_ROOT), str(p.PROJECT_ROOT)]))"
    )
    found = json.loads(
        _run([installed["python"], "-c", probe], installed["work"], installed["env"]).stdout
    )
    venv = str(installed["venv"])
    assert found[0].startswith(venv) and found[1].startswith(venv) and found[2].startswith(venv)
    assert found[3] == "None" and found[4] == str(installed["work"])
    assert CHECKOUT_ROOT is not None and str(CHECKOUT_ROOT) not in json.dumps(found)


def test_the_wheel_holds_every_file_of_the_package(installed):
    """Same code hash installed as here: no module, template or data file was left behind."""
    probe = "from thirdcountry.render.history import code_fingerprint as f; print(f()['code'])"
    hashed = _run([installed["python"], "-c", probe], installed["work"], installed["env"])
    assert hashed.stdout.strip() == code_fingerprint()["code"]


def test_installed_thirdcountry_lists_validates_and_renders(installed):
    command, work, env = installed["thirdcountry"], installed["work"], installed["env"]
    listed = _run([command, "list"], work, env).stdout
    assert "overview" in listed and "country" in listed and "explore" not in listed
    _run([command, "validate", "--data", "facts"], work, env)
    out = work / "reports"
    _run(
        [
            command,
            "render",
            "overview",
            "--data",
            "facts",
            "--out",
            out,
            "--to",
            "html,pdf",
            "--jobs",
            "1",
            "--quiet",
        ],
        work,
        env,
        timeout=900,
    )
    folder = out / "overview" / "default"
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "<h1" in html and "Key findings" in html and '<table class="tc-table' in html
    assert (folder / "report.pdf").read_bytes().startswith(b"%PDF")
    record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert record["outcome"] == "ok"
    notebook = json.loads((folder / "report.ipynb").read_text(encoding="utf-8"))
    assert notebook["metadata"]["papermill"]["input_path"] == "overview.ipynb"
    assert "thirdcountry reports" in (out / "index.html").read_text(encoding="utf-8")
    for text in (html, json.dumps(record)):
        assert str(ROOT) not in text and str(installed["venv"]) not in text
