"""The private APIs of other packages (render/compat.py) are there, in the versions written for."""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import version

import pytest

from thirdcountry.render import compat


@pytest.mark.parametrize("package", sorted(compat.WRITTEN_FOR))
def test_installed_version_is_the_one_compat_was_written_for(package):
    # An upgrade fails here first: re-check every entry of render/compat.py, then the pin.
    assert version(package) == compat.WRITTEN_FOR[package]


@pytest.mark.parametrize(("module", "path"), compat.PRIVATE_NAMES)
def test_every_private_name_still_exists(module, path):
    found = import_module(module)
    for part in path.split("."):
        found = getattr(found, part)
    assert found is not None


def test_no_private_api_is_used_outside_compat():
    import re
    from pathlib import Path

    render = Path(compat.__file__).parent
    private = re.compile(
        r"\._handle_kernel_info_reply|\._async_cleanup_kernel|\._init_resources|\._nb_metadata"
        r"|\._processes\b|_processes\"|ERROR_MARKER_TAG|PapermillNotebookClient|sys\.modules"
    )
    users = [
        path.name
        for path in render.glob("*.py")
        if path.name != "compat.py" and private.search(path.read_text(encoding="utf-8"))
    ]
    assert users == []
