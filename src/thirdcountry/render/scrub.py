"""Keeping machine facts out of shared output: absolute paths, home, user and host names.

Reports, executed notebooks and run.json files are shared. Tracebacks and warnings name files
by absolute path (/home/alice/...). A Scrubber replaces the places this process knows about
(project, data folder, reports folder, Python installation, home, temp) with short neutral names,
and in tracebacks and streams also shortens any other absolute path to its last part.
"""

from __future__ import annotations

import contextlib
import getpass
import re
import socket
import sys
import sysconfig
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from thirdcountry.paths import PROJECT_ROOT

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# An absolute POSIX path not inside a URL or a longer word: '/usr/lib/x.py', '/home/a/b'
_PART = r"[^\s/'\"<>:,;()\[\]{}|]+"
ABSOLUTE_PATH = re.compile(rf"(?<![\w.:/~>\-])/(?:{_PART}/)*{_PART}")
# Text mime types that may carry paths; images and other binary data are never touched.
TEXT_MIMETYPES = ("text/plain", "text/html", "text/markdown", "text/latex", "application/json")


@dataclass(frozen=True)
class Scrubber:
    replacements: tuple[tuple[str, str], ...]  # (absolute path, shown as), longest first
    words: tuple[str, ...] = ()  # user and host names, replaced as whole words in errors

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.replacements:
            return None
        alternatives = "|".join(re.escape(old) for old, _ in self.replacements)
        # A place counts where a path starts (not inside a URL such as https://x.org/root/a, nor
        # in a longer name such as /rootfs); file:// URLs count.
        return re.compile(rf"(?:(?<=file://)|(?<![\w.:/~\-]))(?:{alternatives})(?![\w.\-])")

    def text(self, text: str) -> str:
        """Replace the known places where a path starts; safe for report content."""
        if self._pattern is None:
            return text
        shown = dict(self.replacements)
        return self._pattern.sub(lambda match: shown[match.group(0)], text)

    def diagnostic(self, text: str) -> str:
        """A traceback or stream: known places, then any other absolute path, user and host."""
        pieces = ANSI.split(text)
        codes = ANSI.findall(text)
        cleaned = [self._diagnostic_piece(self.text(piece)) for piece in pieces]
        out = cleaned[0]
        for code, piece in zip(codes, cleaned[1:], strict=True):
            out += code + piece
        return out

    def _diagnostic_piece(self, text: str) -> str:
        text = ABSOLUTE_PATH.sub(_short_path, text)
        for word in self.words:
            text = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", "[hidden]", text)
        return text

    def notebook(self, nb) -> None:
        """Scrub an nbformat notebook in place: outputs, sources and papermill's metadata."""
        for cell in nb.cells:
            if isinstance(cell.get("source"), str):
                cell["source"] = self.text(cell["source"])
            for output in cell.get("outputs", []):
                kind = output.get("output_type")
                if kind == "stream":
                    output["text"] = self.diagnostic(_joined(output.get("text", "")))
                elif kind == "error":
                    output["ename"] = self.diagnostic(str(output.get("ename", "")))
                    output["evalue"] = self.diagnostic(str(output.get("evalue", "")))
                    output["traceback"] = [self.diagnostic(line) for line in output["traceback"]]
                elif kind in ("display_data", "execute_result"):
                    data = output.get("data", {})
                    for mimetype in TEXT_MIMETYPES:
                        if isinstance(data.get(mimetype), str | list):
                            data[mimetype] = self.text(_joined(data[mimetype]))
            papermill = cell.get("metadata", {}).get("papermill", {})
            if "exception" in papermill and isinstance(papermill["exception"], str):
                papermill["exception"] = self.diagnostic(papermill["exception"])


def _joined(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def _short_path(match: re.Match[str]) -> str:
    path = match.group(0)
    if path.count("/") < 2:
        return path  # '/', '/x': a fraction, an option or a short name, not worth hiding
    packages = re.search(r"/(?:site|dist)-packages/(.+)", path)
    if packages:
        return "site-packages/" + packages.group(1)
    stdlib = re.search(r"/lib/python\d[\d.]*/(.+)", path)
    if stdlib:
        return "[python]/lib/" + stdlib.group(1)
    return ".../" + path.rsplit("/", 1)[1]


def scrubber_for(*places: tuple[Path | str | None, str]) -> Scrubber:
    """A scrubber for the given (path, shown as) places plus this machine's usual suspects."""
    candidates: list[tuple[Path | str | None, str]] = [
        *places,
        (PROJECT_ROOT, "."),
        (sys.prefix, "[python]"),
        (sys.base_prefix, "[python]"),
        (sys.exec_prefix, "[python]"),
        (sysconfig.get_paths().get("purelib"), "site-packages"),
        (tempfile.gettempdir(), "[tmp]"),
        (Path.home(), "~"),
    ]
    replacements: dict[str, str] = {}
    for path, shown in candidates:
        if not path:
            continue
        for variant in _variants(Path(path)):
            if variant not in ("/", "") and variant not in replacements:
                replacements[variant] = shown
    ordered = sorted(replacements.items(), key=lambda item: -len(item[0]))
    return Scrubber(tuple(ordered), tuple(_identity_words()))


def _variants(path: Path) -> Iterable[str]:
    """The path as given, resolved, and as IPython shows paths under home ('~/...')."""
    forms = [str(path)]
    with contextlib.suppress(OSError):
        forms.append(str(path.resolve()))
    home = str(Path.home())
    for form in list(forms):
        if home not in ("/", "") and form.startswith(home + "/"):
            forms.append("~" + form[len(home) :])
    yield from dict.fromkeys(forms)


def _identity_words() -> list[str]:
    words = []
    for getter in (getpass.getuser, socket.gethostname):
        try:
            word = getter()
        except (OSError, KeyError):
            continue
        # Short or everyday names ('data', 'root') would mangle ordinary words in messages.
        if word and len(word) >= 6 and word.lower() not in {"ubuntu", "debian", "runner"}:
            words.append(word)
    home_user = Path.home().name
    if len(home_user) >= 6 and home_user not in words:
        words.append(home_user)
    return words
