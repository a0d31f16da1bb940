"""The pins in pyproject.toml (the core and every extra), environment.yml and requirements.lock
agree; each install group's part of the lock is complete; so do cffconvert's pins (its own
environment, .venv-cffconvert: tools/cffconvert/requirements.in and .lock)."""

import importlib.metadata
import importlib.util
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = ("dask", "lab", "datasette", "dev")


def _load_lock_subset():
    spec = importlib.util.spec_from_file_location("lock_subset", ROOT / "tools" / "lock_subset.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lock_subset = _load_lock_subset()


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _pyproject_pins() -> dict[str, str]:
    project = _project()
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    return dict(_split(r) for r in requirements)


def _split(requirement: str) -> tuple[str, str]:
    name, _, version = requirement.partition("==")
    assert version, f"{requirement!r} is not pinned with =="
    return _canonical(name), version


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_direct_dependency_is_pinned_exactly():
    assert _pyproject_pins()  # _split asserts the == pin


def test_environment_yml_matches_pyproject():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    conda_pins = dict(_split(r) for r in pip_section if not r.startswith("-e"))
    assert conda_pins == _pyproject_pins()
    python = next(d for d in environment["dependencies"] if str(d).startswith("python="))
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert python.split("=")[1] in requires


def test_every_extra_agrees_with_the_dev_pins_and_the_lock():
    """An extra (e.g. `thirdcountry[datasette]`) pins what dev pins, so the lock covers it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert "datasette" in extras
    pins = _pyproject_pins()
    for extra, requirements in extras.items():
        for name, version in (_split(r) for r in requirements):
            assert pins.get(name) == version, f"[{extra}] pins {name}=={version}, dev or core not"


def test_lock_pins_the_same_versions_with_hashes():
    lock = (ROOT / "requirements.lock").read_text()
    locked = {
        _canonical(m.group(1)): m.group(2)
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", lock, flags=re.M)
    }
    for name, version in _pyproject_pins().items():
        assert locked.get(name) == version, f"{name} is {locked.get(name)} in the lock"
    entries = re.findall(r"^[A-Za-z0-9_.-]+==", lock, flags=re.M)
    assert lock.count("--hash=sha256:") >= len(entries)


CFF_TOOL = ROOT / "tools" / "cffconvert"


def _locked(lock: str) -> dict[str, str]:
    return {
        _canonical(m.group(1)): m.group(2)
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", lock, flags=re.M)
    }


def test_cffconvert_has_its_own_pinned_hashed_lock():
    wanted = dict(
        _split(line.strip())
        for line in (CFF_TOOL / "requirements.in").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    lock = (CFF_TOOL / "requirements.lock").read_text()
    locked = _locked(lock)
    assert wanted == {"cffconvert": "2.0.0"}
    for name, version in wanted.items():
        assert locked.get(name) == version, f"{name} is {locked.get(name)} in the tool's lock"
    assert lock.count("--hash=sha256:") >= len(locked)


def test_the_two_environments_are_apart_for_a_reason():
    """cffconvert stays out of the project's lock, and is apart only while jsonschema must be."""
    main = _locked((ROOT / "requirements.lock").read_text())
    tool = _locked((CFF_TOOL / "requirements.lock").read_text())
    assert "cffconvert" not in main
    assert int(tool["jsonschema"].split(".")[0]) < 4 <= int(main["jsonschema"].split(".")[0])
    makefile = (ROOT / "Makefile").read_text()
    assert "CFF_LOCK := tools/cffconvert/requirements.lock" in makefile
    assert "--require-hashes --no-deps -r $(CFF_LOCK)" in makefile


# ---- extras: the core install is what a scheduled run needs ----------------------------------


def test_the_extras_are_declared_and_dask_and_lab_are_not_core():
    project = _project()
    assert set(project["optional-dependencies"]) == set(EXTRAS)
    core = {_split(r)[0] for r in project["dependencies"]}
    extra = {
        name: {_split(r)[0] for r in project["optional-dependencies"][name]} for name in EXTRAS
    }
    assert {"dask", "distributed"} <= extra["dask"]
    assert {"jupyterlab", "ipywidgets"} <= extra["lab"]
    assert "mkdocs" in extra["dev"]
    assert "datasette" in extra["datasette"]
    assert not core & (extra["dask"] | extra["lab"]), "dask and jupyterlab stay out of the core"
    assert {"papermill", "nbconvert", "ipykernel"} <= core


def _needs(
    name: str, extras: frozenset[str] = frozenset(), seen: set[str] | None = None
) -> set[str]:
    """Every distribution `name` (with extras) needs, from the installed packages' metadata."""
    seen = set() if seen is None else seen
    for text in importlib.metadata.requires(name) or []:
        requirement = Requirement(text)
        wanted = any(requirement.marker.evaluate({"extra": e}) for e in extras or {""}) if (
            requirement.marker) else True  # fmt: skip
        child = lock_subset.canonical(requirement.name)
        if wanted and child not in seen:
            seen.add(child)
            _needs(child, frozenset(requirement.extras), seen)
    return seen


@pytest.mark.parametrize("groups", [("core",), ("core", "lab"), ("core", "dask"),
                                    ("core", "dev")], ids="+".join)  # fmt: skip
def test_each_install_group_gets_all_it_needs_from_the_lock(groups):
    """What `make venv`, `make lab`, `make dask`... install: every package the group's direct
    dependencies require, as this environment's metadata says, and nothing of the other extras."""
    lock = (ROOT / "requirements.lock").read_text()
    selected = lock_subset.select(lock, {n for g in groups for n in lock_subset.groups(
        ROOT / "pyproject.toml")[g]})  # fmt: skip
    extras = frozenset(g for g in groups if g != "core")
    needed = _needs("thirdcountry", extras) - {"thirdcountry"}
    assert needed - set(selected) == set()
    if "dask" not in groups:
        assert "distributed" not in selected and "dask" not in selected
    if "lab" not in groups:
        assert "jupyterlab" not in selected and "ipywidgets" not in selected
    for entry in selected.values():
        assert "--hash=sha256:" in entry


def test_every_lock_entry_says_what_needs_it():
    """tools/lock_subset.py follows the lock's `# via` lines: uv writes one for every entry."""
    entries = lock_subset.entries((ROOT / "requirements.lock").read_text())
    roots = {n for names in lock_subset.groups(ROOT / "pyproject.toml").values() for n in names}
    orphans = [name for name, (_, parents) in entries.items() if not parents and name not in roots]
    assert orphans == []


def test_the_makefile_names_no_package_index():
    makefile = (ROOT / "Makefile").read_text()
    assert "--index-url" not in makefile and "://" not in makefile.replace("tcp://", "")
    assert "--all-extras" in makefile  # the lock covers every extra


def test_make_lock_installs_only_uv_from_the_lock_as_it_is(capsys):
    """`make lock` runs while pyproject.toml names a package the lock lacks yet: it installs uv
    alone (no dependencies), not a group that would need the missing package."""
    assert lock_subset.main(["--package", "uv"]) == 0
    entries = re.findall(r"^([A-Za-z0-9_.-]+)==", capsys.readouterr().out, flags=re.M)
    assert entries == ["uv"]
    makefile = (ROOT / "Makefile").read_text()
    assert "lock: $(BIN)/uv" in makefile


@pytest.mark.parametrize("group", ["core", "lab", "dask", "dev"])
def test_every_install_takes_the_build_backend(group, capsys):
    """`make venv` installs the project with --no-build-isolation: the pinned setuptools of
    [build-system] must come with the core, not only with the dev tools."""
    groups = ["core"] if group == "core" else ["core", group]
    assert lock_subset.main(groups) == 0
    out = capsys.readouterr().out
    for name in lock_subset.build_requirements(ROOT / "pyproject.toml"):
        assert re.search(rf"^{name}==", out, flags=re.M), name
