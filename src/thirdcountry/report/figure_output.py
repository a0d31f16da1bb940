"""Figures as report output: a PNG with its alt text, so the HTML report can carry both."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from markupsafe import escape
from matplotlib.figure import Figure

PNG_DPI = 110


class FigureOutput:
    """Shows a matplotlib Figure as a PNG whose output metadata carries the alt text."""

    def __init__(self, figure: Figure, alt: str):
        self.figure = figure
        self.alt = alt
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        self.png = buffer.getvalue()
        width, height = figure.get_size_inches()
        self.width_px = round(width * PNG_DPI)
        self.height_px = round(height * PNG_DPI)

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}
        metadata = {"image/png": {"alt": self.alt, "width": self.width_px}}
        return data, metadata

    def html(self) -> str:
        """The chart as an <img> carrying its PNG and alt text, for HTML built in Python."""
        data = base64.b64encode(self.png).decode("ascii")
        alt = escape(self.alt)
        return (
            f'<img src="data:image/png;base64,{data}" alt="{alt}" width="{self.width_px}" '
            'style="max-width: 100%; height: auto">'
        )

    def save(self, path: Path) -> None:
        Path(path).write_bytes(self.png)
