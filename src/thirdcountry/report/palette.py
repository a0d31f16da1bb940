"""The one status → style mapping every chart uses: colour, hatch pattern and readable label.

Colours come in families, so that a reader scanning for one kind of status finds all of it:
signing (proposed, negotiating, signed) in yellows, in force and implemented in greens, stopped
in reds (paused, suspended) and purples (termination noticed, terminated), denied in grey, and a
light grey for 'no record'. Within a family the shade deepens as the lifecycle goes on. The
shades are ColorBrewer's (colorbrewer2.org: YlOrBr, Greens, RdBu and PRGn ends), chosen so
that neighbouring families differ in lightness as well as hue. Every status also has its own
hatch pattern (in force alone is solid), so a status can be told apart in greyscale print or
without colour vision, and every chart writes the status in words where there is room.

A status may be uncertain, e.g. 'signed or in_force' (the date falls inside the uncertain interval
of the further step); `split_status`, `status_label` and `styles_for` handle both forms.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.colors import to_rgb
from matplotlib.patches import Patch

from thirdcountry.facts.schema import LIFECYCLE

NO_STATUS = "no record"  # as in thirdcountry.analysis.NO_STATUS: nothing on record yet
UNCERTAIN_JOIN = " or "  # how analysis.status_as_of names an uncertain status
STATUSES: tuple[str, ...] = (NO_STATUS, *LIFECYCLE)

# Faded colours mean "uncertain" in every chart; this is how much of the colour is kept.
UNCERTAIN_ALPHA = 0.42
# Events that are not lifecycle steps (statements, visits, ...) are drawn in this neutral grey.
CONTEXT_COLOR = "#4D4D4D"
# Marks for disputed dates and for the 'as of' line.
DISPUTED_COLOR = "#000000"
AS_OF_COLOR = "#000000"
INK = "#1A1A1A"  # text
MUTED_INK = "#595959"  # secondary text: subtitles, source lines (7:1 contrast on white)


@dataclass(frozen=True)
class StatusStyle:
    status: str
    label: str  # readable: 'in force', 'termination noticed'
    color: str  # fill, as #rrggbb
    hatch: str  # matplotlib hatch pattern; '' = solid
    hatch_color: str  # hatch lines: the fill, lightened or darkened so the pattern shows
    text_color: str  # text written on the fill: black or white, whichever contrasts more

    def patch(self, **kwargs) -> Patch:
        """A legend handle for this status."""
        return Patch(
            facecolor=self.color,
            hatch=self.hatch,
            edgecolor=self.hatch_color,
            label=self.label,
            **kwargs,
        )


# Families, in lifecycle order: what a reader scans for.
FAMILIES: dict[str, tuple[str, ...]] = {
    "no record": (NO_STATUS,),
    "signing": ("proposed", "negotiating", "signed"),
    "in force": ("in_force", "implemented"),
    "stopped": ("paused", "suspended", "termination_noticed", "terminated"),
    "denied": ("denied",),
}

_DEFINITIONS: tuple[tuple[str, str, str, str], ...] = (
    # status, label, colour, hatch
    (NO_STATUS, "no record", "#DDDDDD", ""),
    ("proposed", "proposed", "#FFF0A8", ".."),  # pale yellow
    ("negotiating", "negotiating", "#FED55C", "oo"),  # yellow
    ("signed", "signed", "#E3A21A", "//"),  # amber
    ("in_force", "in force", "#41AB5D", ""),  # green, solid
    ("implemented", "implemented", "#00642D", "++"),  # dark green
    ("paused", "paused", "#F4A582", "||"),  # salmon
    ("suspended", "suspended", "#C8443A", "--"),  # red
    ("termination_noticed", "termination noticed", "#B98FCB", "\\\\"),  # lilac
    ("terminated", "terminated", "#5E2A78", "xx"),  # purple
    ("denied", "denied", "#7A7A7A", "**"),  # grey
)


def _luminance(color: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _mix(color: str, other: str, share: float) -> str:
    a, b = to_rgb(color), to_rgb(other)
    mixed = [(1 - share) * x + share * y for x, y in zip(a, b, strict=True)]
    return "#" + "".join(f"{round(c * 255):02x}" for c in mixed)


def _style(status: str, label: str, color: str, hatch: str) -> StatusStyle:
    dark = _luminance(color) < 0.18
    return StatusStyle(
        status=status,
        label=label,
        color=color,
        hatch=hatch,
        hatch_color=_mix(color, "#FFFFFF", 0.3) if dark else _mix(color, "#000000", 0.3),
        text_color="#FFFFFF" if dark else INK,
    )


STYLES: dict[str, StatusStyle] = {
    status: _style(status, label, color, hatch) for status, label, color, hatch in _DEFINITIONS
}
_UNKNOWN = _style("unknown", "unknown", "#BBBBBB", "")


def split_status(status: str) -> tuple[str, ...]:
    """'signed or in_force' → ('signed', 'in_force'); a certain status → a 1-tuple."""
    return tuple(part.strip() for part in str(status).split(UNCERTAIN_JOIN) if part.strip())


def is_uncertain(status: str) -> bool:
    return len(split_status(status)) > 1


def style(status: str) -> StatusStyle:
    """The style of one status (not an 'a or b' one: see styles_for). Unknown names get grey."""
    return STYLES.get(str(status), _UNKNOWN)


def styles_for(status: str) -> tuple[StatusStyle, ...]:
    """One style per status an (uncertain) status may be, in lifecycle order."""
    return tuple(style(part) for part in split_status(status))


def status_label(status: str) -> str:
    """Readable label: 'in_force' → 'in force', 'signed or in_force' → 'signed or in force'."""
    parts = split_status(status)
    if not parts:
        return STYLES[NO_STATUS].label
    return UNCERTAIN_JOIN.join(
        STYLES[p].label if p in STYLES else p.replace("_", " ") for p in parts
    )


def color(status: str) -> str:
    return style(status).color


def family(status: str) -> str:
    """The family of a status: signing, in force, stopped...; of an uncertain one, its first."""
    parts = split_status(status) or (NO_STATUS,)
    for name, members in FAMILIES.items():
        if parts[0] in members:
            return name
    return "unknown"


def status_rank(status: str) -> int:
    """Position in the lifecycle (no record first); an uncertain status ranks by its first part."""
    parts = split_status(status)
    return STATUSES.index(parts[0]) if parts and parts[0] in STATUSES else len(STATUSES)


def legend_handles(statuses, **kwargs) -> list[Patch]:
    """Legend handles for the given statuses (uncertain ones split), in lifecycle order."""
    present = {part for status in statuses for part in split_status(status)}
    return [STYLES[s].patch(**kwargs) for s in STATUSES if s in present]
