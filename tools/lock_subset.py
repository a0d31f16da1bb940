"""The part of requirements.lock that the core install and some extras need, hashes included.

requirements.lock is one resolution of everything (core, and the extras dask, lab and dev), so
every install takes the same pins. `make` installs only what a target uses: the core for
`make report`, the core and `lab` for `make lab`, everything for `make test`. This script picks
those entries out of the lock: the direct dependencies of the chosen groups in pyproject.toml
and the build backend (the project is installed without build isolation), then every entry
that one of them needs, following the lock's own `# via` annotations (uv writes
them for each entry). It needs only the standard library: it runs before .venv exists.

    python3 tools/lock_subset.py core lab > .venv/lab.txt
    .venv/bin/pip install --require-hashes --no-deps -r .venv/lab.txt
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)==")
PROJECT_ROOT_NOTE = "(pyproject.toml)"  # how uv names the project as a parent


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def groups(pyproject: Path) -> dict[str, list[str]]:
    """Each install group's direct dependencies, by canonical name: 'core' and every extra."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    found = {"core": project["dependencies"], **project.get("optional-dependencies", {})}
    return {
        group: [canonical(re.split(r"[\s;=<>!~\[]", requirement, maxsplit=1)[0])
                for requirement in requirements]
        for group, requirements in found.items()
    }  # fmt: skip


def build_requirements(pyproject: Path) -> list[str]:
    """The build backend (setuptools), by canonical name: `pip install --no-build-isolation -e .`
    builds this project with what the environment has, so every install group takes it."""
    system = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("build-system", {})
    return [canonical(re.split(r"[\s;=<>!~\[]", requirement, maxsplit=1)[0])
            for requirement in system.get("requires", [])]  # fmt: skip


def entries(lock_text: str) -> dict[str, tuple[str, set[str]]]:
    """Each locked package: its lines (pin and hashes, annotations left out) and its parents."""
    found: dict[str, tuple[str, set[str]]] = {}
    name = ""
    for line in lock_text.splitlines():
        match = ENTRY.match(line)
        if match:
            name = canonical(match.group(1))
            found[name] = (line + "\n", set())
        elif name and line.startswith("    --hash"):
            text, parents = found[name]
            found[name] = (text + line + "\n", parents)
        elif name and line.startswith("    #"):
            parent = line.strip().lstrip("#").strip()
            parent = parent.removeprefix("via").strip()
            if parent and PROJECT_ROOT_NOTE not in parent and not parent.startswith("-r "):
                found[name][1].add(canonical(parent.split()[0]))
    return found


def select(lock_text: str, roots: set[str]) -> dict[str, str]:
    """The entries the roots need: the roots, and all that a selected entry is a parent of."""
    locked = entries(lock_text)
    missing = sorted(roots - locked.keys())
    if missing:
        raise SystemExit(f"lock_subset: not in the lock: {', '.join(missing)} (run `make lock`)")
    chosen = set(roots)
    grew = True
    while grew:
        grew = False
        for name, (_, parents) in locked.items():
            if name not in chosen and parents & chosen:
                chosen.add(name)
                grew = True
    return {name: locked[name][0] for name in sorted(chosen)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("group", nargs="*", help="core, or an extra of pyproject.toml")
    parser.add_argument("--package", action="append", default=[],
                        help="a locked package (and what it needs) instead of a group, e.g. uv "
                        "for `make lock`, whatever pyproject.toml says now")  # fmt: skip
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml")
    args = parser.parse_args(argv)
    if not args.group and not args.package:
        parser.error("name a group (core, dask, lab, dev) or a --package")
    known = groups(args.pyproject)
    unknown = [group for group in args.group if group not in known]
    if unknown:
        parser.error(f"unknown group {', '.join(unknown)} (one of: {', '.join(known)})")
    roots = {name for group in args.group for name in known[group]}
    if args.group:
        roots |= set(build_requirements(args.pyproject))
    roots |= {canonical(name) for name in args.package}
    selected = select(args.lock.read_text(encoding="utf-8"), roots)
    chosen = " + ".join([*args.group, *args.package])
    sys.stdout.write(f"# {chosen}: from {args.lock.name} by tools/lock_subset.py\n")
    sys.stdout.write("".join(selected.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
