"""The "Numbers" section of the overview and country reports: people sent, payments, capacities.

Only figures known on the report date count: a figure holds by the last day its date allows.
Every number shown carries its unit, how the source qualifies it, its date at its real precision,
and its source; the generated sentences name the largest and the latest figures with theirs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from functools import cached_property

import pandas as pd

from thirdcountry.analysis.figures import (
    cost_per_person,
    latest_steps,
    running_totals,
    select_figures,
)
from thirdcountry.analysis.short_names import short_names
from thirdcountry.analysis.totals import select_totals
from thirdcountry.facts import FactBase
from thirdcountry.report.charts.cost import money_text, paid_and_sent
from thirdcountry.report.charts.sent import count_text, people_sent
from thirdcountry.report.charts.timeaxis import human_edtf
from thirdcountry.report.citations import Claim, Ref, anchor, unique
from thirdcountry.report.figure_output import FigureOutput
from thirdcountry.report.findings import named
from thirdcountry.report.long_tables import TABLES_DIR, long_table
from thirdcountry.report.safe_html import REFS_COLUMN, Html, internal_link, link, paragraph, table

MEASURE_LABELS = {
    "people_transferred": "people sent",
    "capacity": "capacity (most allowed)",
    "payment": "payment",
    "people_left_onward": "people who left again",
    "people_held": "people held (on the date)",
    "cost": "cost to the sending state",
}
BASIS_LABELS = {
    "cumulative": "total to date",
    "in_period": "total over the period",
    "single_event": "one transfer or payment",
    "stock": "number held on the date",
}
PRECISION_LABELS = {
    "day": "day",
    "month": "month",
    "year": "year",
    "range": "interval",
    "open": "open interval",
}
# The overview shows this many rows of figures, the largest deals first, and the full table as CSV
# beside the report; the country report (a few agreements) lists them all.
OVERVIEW_ROWS = 5
QUALIFIER_MARKS = {
    "exact": "",
    "approximate": "about ",
    "at_least": "at least ",
    "at_most": "at most ",
}


def agreement_labels(facts: FactBase) -> dict[str, str]:
    """What charts and findings call each agreement: its short name (analysis/short_names.py),
    'US–Canada Safe Third Country Agreement', with the year where two would read alike."""
    return short_names(facts.agreements)


def number_text(value: float, unit: str, qualifier: str) -> str:
    """'about 250 people', 'at least 19 people', 'USD 4.76m'."""
    mark = QUALIFIER_MARKS.get(qualifier, "")
    if unit == "people":
        return f"{mark}{value:,.0f} {'person' if value == 1 else 'people'}"
    return mark + money_text(value, unit)


class Numbers:
    """Figures of some agreements as known on a date, and what the report shows of them."""

    def __init__(
        self,
        facts: FactBase,
        agreement_ids: list[str],
        as_of: dt.date,
        source: str,
        scope: str = "",
        max_rows: int | None = None,
        cite: Callable[[Html], Html] | None = None,
    ):
        """cite: called with each table shown, whose refs the report's Evidence appendix holds."""
        self.cite = cite or (lambda html: html)
        self.max_rows = max_rows
        self.facts = facts
        self.agreement_ids = agreement_ids
        self.as_of = as_of
        self.source = source
        self.scope = scope  # e.g. 'involving Guatemala', for empty-selection messages
        # An agreement's page shows its whole record: every figure and total, whatever its date.
        self.every_figure = False

    @property
    def one_agreement(self) -> bool:
        """One agreement's numbers (its page): no agreement column or group to repeat it."""
        return len(self.agreement_ids) == 1

    @cached_property
    def labels(self) -> dict[str, str]:
        return agreement_labels(self.facts)

    @cached_property
    def figures(self) -> pd.DataFrame:
        """The selected agreements' figures known on the report date."""
        figures = select_figures(self.facts, agreement_ids=self.agreement_ids)
        if self.every_figure:
            return figures
        holds_by = figures["latest"].fillna(figures["earliest"])
        return figures[holds_by <= pd.Timestamp(self.as_of)].reset_index(drop=True)

    @cached_property
    def sent_steps(self) -> pd.DataFrame:
        return running_totals(self.figures, "people_transferred")

    @cached_property
    def cost(self) -> pd.DataFrame:
        titles = dict(
            zip(self.facts.agreements["agreement_id"], self.facts.agreements["title"], strict=True)
        )
        return cost_per_person(self.figures, titles)

    def _none(self, what: str) -> Html:
        scope = f" {self.scope}" if self.scope else ""
        return paragraph(f"No {what} on record{scope} by this report's date.", "tc-empty")

    # ---- what the notebooks show -------------------------------------------------------------
    def people_sent_chart(self) -> FigureOutput | Html:
        if self.sent_steps.empty:
            return self._none("counts of people sent")
        title = "People sent, over time" if self.one_agreement else None
        figure = people_sent(
            self.sent_steps, self.labels, self.as_of, source=self.source, title=title
        )
        return FigureOutput(figure, _alt(figure))

    def paid_and_sent_chart(self) -> FigureOutput | Html:
        if self.cost.empty:
            return self._none("payments")
        figure = paid_and_sent(self.cost, self.labels, source=self.source)
        return FigureOutput(figure, _alt(figure))

    def cost_table(self) -> Html:
        if self.cost.empty:
            return Html("", "")
        sources = self.facts.sources.set_index("source_id")
        frame = self.cost.assign(
            agreement=self.cost["agreement_id"].map(self.labels),
            paid=[
                ("pledged " if pledged else "")
                + _range_text(low, high, lambda v, c=c: money_text(v, c))
                for low, high, pledged, c in zip(
                    self.cost["paid_low"],
                    self.cost["paid_high"],
                    self.cost["pledged_only"],
                    self.cost["currency"],
                    strict=True,
                )
            ],
            sent=[
                "none on record" if math.isnan(low) else count_text(low, high, opened, False)
                for low, high, opened in zip(
                    self.cost["people_low"],
                    self.cost["people_high"],
                    self.cost["people_open_above"],
                    strict=True,
                )
            ],
            per_person=[
                _cost_text(low, high, c)
                for low, high, c in zip(
                    self.cost["cost_low"],
                    self.cost["cost_high"],
                    self.cost["currency"],
                    strict=True,
                )
            ],
            cited=[
                ", ".join(str(sources.loc[s, "publisher"]) for s in ids)
                for ids in self.cost["source_ids"]
            ],
        )
        frame[REFS_COLUMN] = [tuple(("figure", f) for f in ids) for ids in frame["figure_ids"]]
        frame["per_person"] = [
            _figure_link(text, ids, f"the cost per person of {label}")
            for text, ids, label in zip(
                frame["per_person"], frame["figure_ids"], frame["agreement"], strict=True
            )
        ]
        columns = {
            "agreement": "Agreement",
            "paid": "Paid",
            "sent": "People sent",
            "per_person": "Cost per person",
            "cited": "Sources",
        }
        caption = "Money paid against people sent (latest totals)"
        if self.max_rows is None:
            return self.cite(table(frame, columns, caption=caption, claim_column="per_person"))
        # The overview: the largest payments first, all of them as CSV beside the report.
        frame = frame.sort_values("paid_high", ascending=False, kind="stable")
        return self.cite(
            long_table(frame, columns, "cost", shown=self.max_rows, what="agreements",
                       caption=caption, claim_column="per_person")
        )  # fmt: skip

    def listed_agreements(self, limit: bool = True) -> tuple[list[str], int]:
        """Agreements with figures, most people sent then most paid first: those whose figures
        fit in `max_rows` (all with limit=False), and how many are left out."""
        sent = latest_steps(self.sent_steps)
        rank = dict(zip(sent["agreement_id"], sent["low"], strict=True))
        paid = (
            self.cost.groupby("agreement_id")["paid_low"].max().to_dict() if len(self.cost) else {}
        )
        per_agreement = self.figures.groupby("agreement_id").size()
        order = sorted(
            per_agreement.index,
            key=lambda a: (-rank.get(a, 0.0), -paid.get(a, 0.0), self.labels.get(a, a)),
        )
        if self.max_rows is None or not limit:
            return order, 0
        listed: list[str] = []
        rows = 0
        for agreement_id in order:
            if rows + per_agreement[agreement_id] > self.max_rows and listed:
                break
            listed.append(agreement_id)
            rows += per_agreement[agreement_id]
        return listed, len(order) - len(listed)

    def figures_table(self) -> Html:
        """Every figure, grouped by agreement, with its date's precision and source."""
        if self.figures.empty:
            return self._none("figures")
        order, _ = self.listed_agreements(limit=False)
        shown = self.figures.assign(
            _order=self.figures["agreement_id"].map({a: i for i, a in enumerate(order)})
        ).sort_values(["_order", "measure", "latest"], kind="stable")
        frame = shown.assign(
            agreement=shown["agreement_id"].map(self.labels),
            what=shown["measure"].map(MEASURE_LABELS),
            number=[
                number_text(v, u, q)
                for v, u, q in zip(
                    shown["value"],
                    shown["unit"],
                    shown["qualifier"],
                    strict=True,
                )
            ],
            basis_text=shown["basis"].map(BASIS_LABELS),
            when=[
                f"{human_edtf(d)} ({PRECISION_LABELS.get(p, p)})"
                for d, p in zip(shown["date"], shown["precision"], strict=True)
            ],
            standing=[
                str(c) + (", disputed" if d else "")
                for c, d in zip(shown["certainty"], shown["disputed"], strict=True)
            ],
            source_link=[
                link(u, p) if isinstance(u, str) else str(p)
                for u, p in zip(shown["url"], shown["publisher"], strict=True)
            ],
            said=shown["quote"].map(lambda q: f"“{q}”"),
        )
        frame[REFS_COLUMN] = [(("figure", f),) for f in frame["figure_id"]]
        frame["number"] = [
            _figure_link(text, (f,), f"{text} ({label})")
            for text, f, label in zip(
                frame["number"], frame["figure_id"], frame["agreement"], strict=True
            )
        ]
        columns = {
            "agreement": "Agreement",
            "what": "Measure",
            "number": "Number",
            "basis_text": "Counts",
            "when": "Date (precision)",
            "standing": "Certainty",
            "source_link": "Source",
            "said": "Source says (verbatim)",
        }
        if self.max_rows is None:
            if self.one_agreement:  # no column to repeat it, no groups
                del columns["agreement"]
            return self.cite(
                table(
                    frame,
                    columns,
                    caption="Every figure on record",
                    group_first=not self.one_agreement,
                    claim_column="number",
                )
            )
        # The overview: the largest deals' figures; all of them as CSV beside the report. Each
        # number links to its entry in the Evidence appendix, which quotes the source.
        csv_columns = dict(columns)
        del columns["said"]
        return self.cite(
            long_table(
                frame,
                columns,
                "figures",
                shown=self.max_rows,
                what="figures (the largest deals first)",
                caption="Figures of the largest deals",
                group_first=True,
                claim_column="number",
                csv_columns=csv_columns,
            )
        )

    @cached_property
    def totals(self) -> pd.DataFrame:
        """Totals a source gives for several agreements at once, naming any selected one."""
        return select_totals(
            self.facts, self.agreement_ids, None if self.every_figure else self.as_of
        )

    def totals_table(self) -> Html:
        """Each total whole, with every agreement it covers: never split between them."""
        if self.totals.empty:
            return self._none("totals across several agreements")
        shown = self.totals
        frame = shown.assign(
            covers=[
                ", ".join(self.labels.get(a, a) for a in ids) for ids in shown["agreement_ids"]
            ],
            what=shown["measure"].map(MEASURE_LABELS),
            number=[
                number_text(v, u, q)
                for v, u, q in zip(shown["value"], shown["unit"], shown["qualifier"], strict=True)
            ],
            when=shown["date"].map(human_edtf),
            source_link=[
                link(u, p) if isinstance(u, str) else str(p)
                for u, p in zip(shown["url"], shown["publisher"], strict=True)
            ],
            said=shown["quote"].map(lambda q: f"“{q}”"),
        )
        columns = {
            "number": "Total",
            "what": "Measure",
            "covers": "For these agreements together",
            "when": "Date",
            "certainty": "Certainty",
            "source_link": "Source",
            "said": "Source says (verbatim)",
        }
        caption = "Totals across several agreements (sources give one number; it is not split)"
        return table(frame, columns, caption=caption)

    # ---- key findings ------------------------------------------------------------------------
    def findings(self) -> list[str]:
        """The largest and the latest figures, with their sources."""
        sentences = []
        sent = latest_steps(self.sent_steps)
        if not sent.empty:
            top = sent.sort_values(["low", "latest"], ascending=False).iloc[0]
            count = count_text(top.low, top.high, bool(top.open_above), bool(top.approximate))
            name = self.labels.get(top.agreement_id, top.agreement_id)
            sentences.append(
                f"The most people sent under one agreement: {count}, under the {name}, by "
                f"{_by(top.date)}."
            )
        paid = self.cost[~self.cost["pledged_only"]] if not self.cost.empty else self.cost
        parts, ties = [], []
        for currency, group in paid.groupby("currency", sort=True):  # never compared across
            most = group["paid_high"].max()
            tops = group[group["paid_high"] == most]
            amount = _range_text(
                tops.iloc[0].paid_low, most, lambda v, c=currency: money_text(v, c)
            ).replace(f"–{currency} ", "–")  # 'EUR 4bn–6bn'
            names = [f"the {self.labels.get(a, a)}" for a in tops["agreement_id"]]
            if len(tops) > 1:  # a tie names several agreements: a sentence of its own
                ties.append(f"The largest in {currency}: {amount}, under each of {named(names)}.")
            else:
                parts.append(f"{amount} under {names[0]}")
        if parts:
            lead = "payment on record" if len(parts) == 1 else "payments on record, by currency"
            sentences.append(f"The largest {lead}: " + "; ".join(parts) + ".")
        sentences += ties
        if not self.figures.empty:
            latest = self.figures.sort_values(["latest", "figure_id"]).iloc[-1]
            sentences.append(
                f"The latest figure: {number_text(latest.value, latest.unit, latest.qualifier)} "
                f"({MEASURE_LABELS[latest.measure]}) for "
                f"{self.labels.get(latest.agreement_id, latest.agreement_id)}, as of "
                f"{human_edtf(latest.date)} ({latest.publisher})."
            )
        disputed = self.figures[self.figures["disputed"]] if not self.figures.empty else None
        if disputed is not None and not disputed.empty:
            count = disputed["agreement_id"].nunique()
            sentences.append(
                f"Sources give different numbers for {count} agreement"
                f"{'s' if count != 1 else ''}; every figure is kept and listed under Conflicts."
            )
        return sentences

    def finding_refs(self) -> tuple[Ref, ...]:
        """The figures behind findings(): the largest count, the largest payments, the latest."""
        refs: list[Ref] = []
        sent = latest_steps(self.sent_steps)
        if not sent.empty:
            top = sent.sort_values(["low", "latest"], ascending=False).iloc[0]
            refs += [("figure", f) for f in top.figure_ids]
        paid = self.cost[~self.cost["pledged_only"]] if not self.cost.empty else self.cost
        for _, group in paid.groupby("currency", sort=True):
            for top in group[group["paid_high"] == group["paid_high"].max()].itertuples():
                refs += [("figure", f) for f in top.figure_ids]
        if not self.figures.empty:
            latest = self.figures.sort_values(["latest", "figure_id"]).iloc[-1]
            refs.append(("figure", str(latest.figure_id)))
        return unique(refs)

    def finding_claim(self) -> Claim:
        """finding() with the figures behind it."""
        text = self.finding()
        claim = Claim(text, self.finding_refs() if text else ())
        # Many agreements tied for the largest payment: the overview cites the first ones.
        return claim if self.max_rows is None else claim.capped(f"{TABLES_DIR}/figures.csv")

    def finding(self) -> str:
        """The figures in one key finding: the largest count, the largest payments, the latest
        figure, each with its sources (the overview keeps to five findings)."""
        wanted = ("The most people", "The largest")  # the latest figure is in the table
        parts = [f for f in self.findings() if f.startswith(wanted)]
        return " ".join(parts)

    def _cited(self, source_ids) -> str:
        sources = self.facts.sources.set_index("source_id")
        names = [str(sources.loc[s, "publisher"]) for s in source_ids if s in sources.index]
        return "; ".join(dict.fromkeys(names))


def _figure_link(text: str, figure_ids, what: str) -> Html | str:
    """A number linked to the entry of the (first) figure behind it."""
    if not len(figure_ids):
        return text
    return internal_link(anchor("figure", figure_ids[0]), text, f"Evidence for {what}")


def _by(edtf_text: str) -> str:
    """'August 2025': the last month an EDTF date (or the last of 'a|b') may fall in."""
    from thirdcountry.facts import parse_edtf

    text = edtf_text.split("|")[-1]
    try:
        parsed = parse_edtf(text)
    except Exception:
        return human_edtf(text)
    day = parsed.latest or parsed.earliest
    return day.strftime("%B %Y") if day is not None else human_edtf(text)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _range_text(low: float, high: float, fmt) -> str:
    if math.isnan(high) or math.isclose(low, high, rel_tol=0.005):
        return fmt(low)
    return f"{fmt(low)}–{fmt(high)}"


def _cost_text(low: float, high: float, currency: str) -> str:
    if math.isnan(low) and math.isnan(high):
        return "–"
    if math.isnan(low):
        return f"at most {money_text(high, currency)}"
    return _range_text(low, high, lambda v: money_text(v, currency))


def _alt(figure) -> str:
    from thirdcountry.report.charts import alt_text

    return alt_text(figure)
