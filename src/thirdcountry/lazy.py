"""Package attributes imported on first use, so light callers skip heavy imports."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], object]:
    """A module __getattr__ serving each name in exports from the module it maps to."""

    def __getattr__(name: str) -> object:
        if name in exports:
            return getattr(import_module(exports[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
