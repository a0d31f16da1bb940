"""HTML report -> PDF. The engine is swappable: WeasyPrint (default, pip only) or Chromium.

Both print the report's own HTML with its print stylesheet (A4, headings kept with what follows,
table rows never cut), and both take the PDF title from the HTML <title>, the report title.

WeasyPrint writes a tagged PDF/UA-1 document (its `pdf/ua-1` variant): a structure tree of
headings, paragraphs, lists, tables (header cells with their scope) and figures (with the
charts' alt text), the document language from `<html lang>`, the title shown in the viewer's
title bar (DisplayDocTitle), a description on every link annotation and the PDF/UA
identification in the XMP metadata. Chromium's PDF has none of that (see CHROMIUM_UNTAGGED):
it is kept for its rendering, not for readers who use a screen reader.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from thirdcountry.errors import ThirdCountryError
from thirdcountry.render.pdf_structure import add_header_scopes

ENGINES = ("weasyprint", "chromium")
# WeasyPrint's PDF variant: tagged PDF/UA-1 (ISO 14289-1).
PDF_VARIANT = "pdf/ua-1"
# What a Chromium PDF lacks (measured with the pdfua checker), said in `render --help`.
CHROMIUM_UNTAGGED = (
    "chromium's PDF is tagged by Chromium but is not PDF/UA: no PDF/UA identification in its "
    "metadata, no description on its links, chart images tagged without their alt text, and "
    "some page content left untagged"
)
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--disable-extensions",
)


class PdfEngineError(ThirdCountryError):
    """The PDF engine is missing or failed; the message is one line."""


def check_engine(engine: str) -> None:
    """Fail early (before any kernel starts) when the chosen engine cannot run here."""
    if engine not in ENGINES:
        raise PdfEngineError(f"unknown PDF engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine == "chromium" and chromium_executable() is None:
        raise PdfEngineError(
            "--pdf-engine chromium: no chromium found on PATH "
            "(Debian: apt-get install chromium; or set $THIRDCOUNTRY_CHROMIUM)"
        )


def html_to_pdf(
    html: str,
    target: Path,
    engine: str = "weasyprint",
    work_dir: Path | None = None,
    attachments: Mapping[str, str] | None = None,
):
    """Write the PDF of an HTML document (images embedded) to target; `attachments` ({name:
    text}, e.g. a report's full tables as CSV) go inside it, so the PDF stands alone. Chromium
    cannot attach files: its PDF has none."""
    check_engine(engine)
    if engine == "weasyprint":
        _weasyprint(html, target, work_dir, attachments or {})
    else:
        _chromium(html, target, work_dir)


# ---- WeasyPrint ------------------------------------------------------------------------------


def warm_weasyprint() -> None:
    """Import WeasyPrint ahead of time (about 0.5 s), e.g. while a kernel is running."""
    _quiet_weasyprint()
    import weasyprint  # noqa: F401


def _quiet_weasyprint() -> None:
    # WeasyPrint logs every CSS property it does not support as a warning; errors still show.
    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _weasyprint(
    html: str, target: Path, work_dir: Path | None, attachments: Mapping[str, str]
) -> None:
    _quiet_weasyprint()
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=None)
    attached = [
        weasyprint.Attachment(
            string=text.encode("utf-8"),
            name=name.rsplit("/", 1)[-1],
            description=f"{name.rsplit('/', 1)[-1]}: a full table of this report, as CSV",
            relationship="Supplement",
        )
        for name, text in sorted(attachments.items())
    ]
    document.write_pdf(
        target, uncompressed_pdf=False, pdf_variant=PDF_VARIANT, attachments=attached
    )
    add_header_scopes(target)


# ---- Chromium --------------------------------------------------------------------------------


def chromium_executable() -> str | None:
    configured = os.environ.get("THIRDCOUNTRY_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_command(executable: str, html_file: Path, pdf_file: Path, profile: Path) -> list[str]:
    return [
        executable,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf_file}",
        html_file.as_uri(),
    ]


def _chromium(html: str, target: Path, work_dir: Path | None) -> None:
    executable = chromium_executable()
    if executable is None:
        raise PdfEngineError("chromium is not installed")
    with tempfile.TemporaryDirectory(dir=work_dir, prefix="chromium-") as scratch:
        scratch_dir = Path(scratch)
        html_file = scratch_dir / "report.html"
        html_file.write_text(html, encoding="utf-8")
        pdf_file = scratch_dir / "report.pdf"
        profile = scratch_dir / "profile"  # a fresh profile each time: nothing carried over
        command = chromium_command(executable, html_file, pdf_file, profile)
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=120, check=False
            )
        except subprocess.TimeoutExpired:
            raise PdfEngineError("chromium did not finish printing within 120 s") from None
        if result.returncode != 0 or not pdf_file.is_file() or pdf_file.stat().st_size == 0:
            last = (result.stderr.strip().splitlines() or ["no message"])[-1]
            raise PdfEngineError(f"chromium failed (exit {result.returncode}): {last}")
        shutil.move(str(pdf_file), target)
