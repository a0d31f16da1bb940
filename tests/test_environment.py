"""The pins in pyproject.toml, environment.yml and requirements.lock agree; so do cffconvert's
(its own environment, .venv-cffconvert: tools/cffconvert/requirements.in and .lock)."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["dev"]
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
