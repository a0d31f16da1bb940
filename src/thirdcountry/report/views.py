"""Live views for JupyterLab: controls wired to the report functions the notebooks call.

A view keeps no logic of its own. Its `draw` function passes the controls' values to report
functions (Overview, AgreementHistory, the Explorer's tables and charts) and gets back pieces
(an Html table or a chart); each piece is shown in an HTML pane, redrawn whenever a control
changes. Where no widget frontend runs (nbconvert, papermill, a console), the same output
carries the view's state as ordinary HTML: its charts and tables as they were drawn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pandas as pd

from thirdcountry.errors import missing_extra
from thirdcountry.report.figure_output import FigureOutput
from thirdcountry.report.safe_html import Html, esc

try:
    import ipywidgets as widgets
except ImportError:
    raise missing_extra("lab", "the live views of explore.ipynb", "lab") from None

Piece = Html | FigureOutput
Draw = Callable[..., Sequence[Piece]]

# Lab's own styles for rendered HTML (tables, links) inside a widget; text columns read left.
PANE_CLASS = "jp-RenderedHTMLCommon"
STYLE = (
    "<style>.tc-view .jp-RenderedHTMLCommon td, .tc-view .jp-RenderedHTMLCommon th "
    "{text-align: left; vertical-align: top} "
    ".tc-view .widget-readout {max-width: none; min-width: 6em; overflow: visible}</style>"
)
WIDE = widgets.Layout(width="100%")
LABELS = {"description_width": "initial"}


def markup(piece: Piece) -> str:
    """A piece as HTML: a chart becomes an <img> with its alt text."""
    if isinstance(piece, FigureOutput):
        return piece.html()
    return piece.markup


class View:
    """Controls above panes; every change of a control redraws every pane.

    `view.controls[name].value = ...` does from Python what a reader does in the browser, and
    `view.panes[i].value` is the HTML then shown, which is how the tests drive a view.
    """

    def __init__(self, name: str, title: str, controls: dict[str, widgets.ValueWidget], draw: Draw):
        self.name = name
        self.controls = controls
        self._draw = draw
        self.status = widgets.HTML()
        self.status.add_class("tc-view-busy")
        pieces = draw(**self.values)
        self.panes = [widgets.HTML(layout=WIDE) for _ in pieces]
        for index, pane in enumerate(self.panes):
            pane.add_class(PANE_CLASS)
            pane.add_class(f"tc-pane-{index}")
        self._show(pieces)
        for control in controls.values():
            control.observe(self._changed, names="value")
        bar = widgets.HBox(
            list(controls.values()),
            layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start", width="100%"),
        )
        self.heading = widgets.HTML(f"{STYLE}<h3>{esc(title)}</h3>")
        self.widget = widgets.VBox([self.heading, bar, self.status, *self.panes], layout=WIDE)
        self.widget.add_class("tc-view")
        self.widget.add_class(f"tc-view-{name}")

    @property
    def values(self) -> dict[str, object]:
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self) -> None:
        self.status.value = "<em>drawing…</em>"
        try:
            pieces = self._draw(**self.values)
        except Exception as exc:  # shown beside the controls, and in Lab's log with its traceback
            self.status.value = f"Could not draw this selection: {esc(exc)}"
            raise
        self._show(pieces)
        self.status.value = ""

    def _show(self, pieces: Sequence[Piece]) -> None:
        for pane, piece in zip(self.panes, pieces, strict=True):
            pane.value = markup(piece)

    def _changed(self, change) -> None:
        self.redraw()

    def static_html(self) -> str:
        """The view as it is now, as plain HTML: what a static render shows."""
        return "".join(f'<div class="tc-view-pane">{pane.value}</div>' for pane in self.panes)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_()
        bundle["text/html"] = self.static_html()
        return bundle


# ---- the controls ------------------------------------------------------------------------------


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """first, the first day of every month after it up to last, and last."""
    months = pd.date_range(pd.Timestamp(first), pd.Timestamp(last), freq="MS")
    return sorted({first, last, *(m.date() for m in months)})


def date_slider(days: Sequence[dt.date], value: dt.date, description: str) -> widgets.Widget:
    """A slider over the given days, labelled YYYY-MM-DD; it reports once released."""
    slider = widgets.SelectionSlider(
        options=[(day.isoformat(), day) for day in days],
        value=min(days, key=lambda day: abs((day - value).days)),
        description=description,
        continuous_update=False,
        layout=widgets.Layout(width="640px"),
        style=LABELS,
    )
    slider.add_class("tc-date-slider")
    return slider


def date_range_slider(days: Sequence[dt.date], description: str) -> widgets.Widget:
    slider = widgets.SelectionRangeSlider(
        options=[(day.isoformat(), day) for day in days],
        index=(0, len(days) - 1),
        description=description,
        continuous_update=False,
        layout=widgets.Layout(width="760px"),
        style=LABELS,
    )
    slider.add_class("tc-date-range")
    return slider


def picker(options: Sequence[tuple[str, str]], description: str, rows: int = 5) -> widgets.Widget:
    """Pick any number; none picked means all."""
    return widgets.SelectMultiple(
        options=list(options),
        value=(),
        rows=min(rows, max(len(options), 1)),
        description=description,
        style=LABELS,
        layout=widgets.Layout(width="300px"),
    )


def dropdown(options: Sequence[tuple[str, str]], value: str, description: str) -> widgets.Widget:
    return widgets.Dropdown(
        options=list(options),
        value=value,
        description=description,
        style=LABELS,
        layout=widgets.Layout(width="420px"),
    )


def search_box(description: str, placeholder: str) -> widgets.Widget:
    return widgets.Text(
        value="",
        description=description,
        placeholder=placeholder,
        continuous_update=False,
        style=LABELS,
        layout=widgets.Layout(width="420px"),
    )
