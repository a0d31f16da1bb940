"""The Explorer's live views, driven from Python as a reader drives them in JupyterLab: set a
control, read the HTML its panes then show. The views must show exactly the report pieces."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from thirdcountry import report
from thirdcountry.report import views

# The live views redraw whole report pieces on every control change (make test only).
pytestmark = pytest.mark.slow

ACA_2019 = ["us-gtm-aca-2019", "us-hnd-aca-2019", "us-slv-aca-2019"]


@pytest.fixture(scope="module")
def explorer():
    return report.Explorer()


def rows(pane_html: str) -> list[list[str]]:
    """The cells of each body row of the (first) table in a pane, as plain text."""
    body = pane_html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", r)
        ]
        for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    ]


def alt(pane_html: str) -> str:
    return unescape(re.search(r'alt="([^"]*)"', pane_html).group(1))


def titles(explorer, ids) -> list[str]:
    agreements = explorer.agreements.set_index("agreement_id")
    return [agreements.loc[i, "title"] for i in ids]


# ---- status on a date ------------------------------------------------------------------------


def test_status_slider_spans_the_data_a_month_at_a_time(explorer):
    view = explorer.status_view()
    days = [value for _, value in view.controls["day"].options]
    first, last = explorer.span
    assert days[0] == first and days[-1] == last
    assert view.controls["day"].value == last
    assert all(day.day == 1 for day in days[1:-1])
    assert dt.date(2021, 3, 1) in days


def test_moving_the_date_redraws_the_board_and_table(explorer):
    view = explorer.status_view()
    before = [pane.value for pane in view.panes]
    view.controls["day"].value = dt.date(2021, 3, 1)
    board, table = (pane.value for pane in view.panes)
    assert board != before[0] and table != before[1]
    assert "1 Mar 2021" in alt(board)
    shown = {row[0]: row for row in rows(table)}
    for title in titles(explorer, ACA_2019):
        assert shown[title][2] == "termination noticed or terminated"
        assert shown[title][3] == "6 February 2021"
    assert "Not yet on record on 1 March 2021" in table
    # Exactly the overview report's pieces for that day: the view adds nothing of its own.
    overview = explorer.overview(dt.date(2021, 3, 1))
    assert table == overview.status_table().markup
    assert board == views.markup(overview.status_board())


def test_a_month_before_the_2019_agreements_were_still_running(explorer):
    view = explorer.status_view(day="2021-02-01")
    shown = {row[0]: row[2] for row in rows(view.panes[1].value)}
    gtm, hnd, slv = titles(explorer, ACA_2019)
    assert shown[gtm] == "paused"
    assert shown[hnd] == shown[slv] == "in force"


def test_sending_state_and_country_pickers_narrow_the_agreements(explorer):
    view = explorer.status_view()
    view.controls["sending"].value = ("CAN",)
    shown = [row[1] for row in rows(view.panes[1].value)]
    assert shown and all(parties.startswith("Canada →") for parties in shown)
    view.controls["sending"].value = ()
    view.controls["countries"].value = ("GTM",)
    shown = [row[1] for row in rows(view.panes[1].value)]
    assert shown and all("Guatemala" in parties for parties in shown)
    view.controls["sending"].value = ("CAN",)  # Canada sends to no one in Guatemala
    assert 'class="tc-empty"' in view.panes[0].value
    empty = explorer.overview(view.controls["day"].value, countries=("GTM",), sending=("CAN",))
    assert view.panes[0].value == views.markup(empty.status_board())


# ---- events ----------------------------------------------------------------------------------


def test_events_view_searches_summaries_and_quotes(explorer):
    view = explorer.events_view()
    view.controls["text"].value = "bukele"
    found = rows(view.panes[1].value)
    assert found
    for row in found:
        assert "bukele" in (row[3] + row[4]).casefold()  # summary, quote
    assert "bukele" in alt(view.panes[0].value).casefold() or "event" in alt(view.panes[0].value)


def test_events_view_shows_verbatim_quotes_with_source_links(explorer):
    view = explorer.events_view()
    view.controls["agreement_ids"].value = ("us-gtm-aca-2019",)
    view.controls["kinds"].value = ("suspended",)
    table = view.panes[1].value
    selected = explorer.select_events(agreement_ids=["us-gtm-aca-2019"], kinds=["suspended"])
    assert len(rows(table)) == len(selected) > 0
    for quote in selected["quote"]:
        assert f"“{quote}”" in unescape(re.sub(r"<[^>]+>", "", table))
    assert re.search(r'<a href="https?://[^"]+" rel="noopener noreferrer">', table)
    assert table == explorer.events_table(selected).markup


def test_events_view_date_range_and_countries(explorer):
    view = explorer.events_view()
    options = [value for _, value in view.controls["window"].options]
    start, end = dt.date(2021, 1, 1), dt.date(2021, 3, 1)
    view.controls["window"].value = (start, end)
    view.controls["countries"].value = ("HND",)
    expected = explorer.select_events(countries=["HND"], since=start, until=end)
    assert len(rows(view.panes[1].value)) == len(expected) > 0
    assert start in options and end in options
    view.controls["text"].value = "no such words anywhere"
    assert "No events match" in view.panes[0].value and "No events match" in view.panes[1].value


# ---- an agreement's history ------------------------------------------------------------------


def test_agreement_view_shows_swimlane_evidence_and_conflicts(explorer):
    view = explorer.agreement_view()
    first = view.panes[0].value
    view.controls["agreement_id"].value = "us-hnd-aca-2019"
    swimlane, evidence, conflicts = (pane.value for pane in view.panes)
    assert swimlane != first
    assert "status history of one agreement" in alt(swimlane)
    steps = rows(evidence)
    assert {"sets the date"} <= {row[2] for row in steps}
    assert any(row[4].startswith("“") for row in steps)
    assert "hnd-aca-in-force-seed-vs-dhs" in conflicts
    history = explorer.agreement("us-hnd-aca-2019")
    assert conflicts == history.conflicts_section().markup
    assert evidence == history.evidence_table().markup


def test_agreement_view_of_an_unknown_agreement_is_refused(explorer):
    with pytest.raises(KeyError, match="no agreement 'nope'"):
        explorer.agreement("nope")


# ---- without a widget frontend ---------------------------------------------------------------


def test_static_output_is_the_views_charts_and_tables(explorer):
    view = explorer.status_view(day="2021-03-01")
    data = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    html = data["text/html"]
    assert html.count("<img") == 1 and "<table" in html
    assert 'alt="' in html and "data:image/png;base64," in html
    assert "termination noticed or terminated" in html


# ---- figures ---------------------------------------------------------------------------------


def test_figures_view_shows_the_reports_numbers(explorer):
    view = explorer.figures_view()
    sent, paid, _, listing = (pane.value for pane in view.panes)
    assert "<img" in sent and "<img" in paid
    assert listing == explorer.numbers().figures_table().markup
    view.controls["countries"].value = ("SLV",)
    listing = view.panes[3].value
    assert listing == explorer.numbers(countries=("SLV",)).figures_table().markup
    shown = rows(listing)
    assert shown and all(row[-1].startswith("“") for row in shown)  # the source's words
    assert re.search(r'<a href="https?://[^"]+"', listing)
    view.controls["as_of"].value = view.controls["as_of"].options[0][1]  # before any figure
    assert 'class="tc-empty"' in view.panes[3].value


def test_views_work_on_a_fact_base_without_figures(tmp_path):
    from conftest import assemble_fact_base

    data = assemble_fact_base(tmp_path / "data")
    figures_csv = data / "figures.csv"
    figures_csv.write_text(figures_csv.read_text(encoding="utf-8").splitlines()[0] + "\n")
    conflicts = data / "conflicts.csv"  # and the one conflict about figures
    lines = conflicts.read_text(encoding="utf-8").splitlines()
    conflicts.write_text("\n".join(line for line in lines if "gtm-sent-" not in line) + "\n")
    small = report.Explorer(str(data))
    assert small.facts.figures.empty
    figures = small.figures_view()
    assert 'class="tc-empty"' in figures.panes[0].value
    assert 'class="tc-empty"' in figures.panes[3].value
    for view in (small.status_view(), small.events_view(), small.agreement_view()):
        assert all(pane.value for pane in view.panes)


def test_a_failing_draw_says_so_beside_the_controls(explorer):
    def draw(day):
        if day.year < 2010:
            raise ValueError("too early")
        return [explorer.overview(day).status_table()]

    slider = views.date_slider(views.month_starts(*explorer.span), explorer.span[1], "Date")
    view = views.View("test", "Test", {"day": slider}, draw)
    before = view.panes[0].value
    with pytest.raises(ValueError, match="too early"):
        slider.value = slider.options[0][1]
    assert "Could not draw this selection: too early" in view.status.value
    assert view.panes[0].value == before
