"""Charts of statuses and events, as matplotlib Figures (object API, Agg canvas, no pyplot).

One module per chart (`board`, `swimlanes`, `timeline`, `counts`, `map`), each with a pure step that
computes rows, bands, lanes and labels and a drawing step; shared modules for the figure frame
(`frame`), label text (`labels`), the time axis (`timeaxis`), status periods (`periods`),
country shapes and projection (`geography`) and alt text (`alt`).

Every chart:
- takes analysis outputs (or fact base frames) and returns a `matplotlib.figure.Figure`;
- colours and hatches statuses from `report.palette` only, and fades whatever is uncertain;
- has a title, a subtitle that says what is shown, axis labels, a source line and alt text
  (`alt_text(fig)`), and draws dates on a real date axis;
- stays readable from a handful of agreements to hundreds: rows get thinner and labels are thinned,
  never overlapped; the figure is WIDTH inches wide and at most MAX_HEIGHT inches tall;
- returns a figure that says "No ... match" when the input is empty.
"""

from thirdcountry.report.charts.alt import ALT_ATTRIBUTE, alt_text
from thirdcountry.report.charts.board import status_board, status_board_panels
from thirdcountry.report.charts.counts import status_counts
from thirdcountry.report.charts.frame import (
    DEFAULT_SOURCE,
    MAX_HEIGHT,
    STATUS_GID,
    WIDTH,
    source_line,
)
from thirdcountry.report.charts.map import agreement_map, people_sent
from thirdcountry.report.charts.swimlanes import status_swimlanes
from thirdcountry.report.charts.timeline import event_timeline

__all__ = [
    "ALT_ATTRIBUTE",
    "DEFAULT_SOURCE",
    "MAX_HEIGHT",
    "STATUS_GID",
    "WIDTH",
    "agreement_map",
    "alt_text",
    "event_timeline",
    "people_sent",
    "source_line",
    "status_board",
    "status_board_panels",
    "status_counts",
    "status_swimlanes",
]
