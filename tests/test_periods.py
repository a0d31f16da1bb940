"""Dated series in plans (render/periods.py): which days, which folders, which problems."""

import datetime as dt
import itertools

import pytest

from thirdcountry.errors import BadInput
from thirdcountry.render.periods import MAX_PERIODS, bound, count_periods, expand, periods
from thirdcountry.render.plan import PlanError, load_plan, plan_jobs

D = dt.date


def _days(spec, latest=None):
    return [p.day.isoformat() for p in expand(spec, "for_each.as_of", lambda: latest)]


@pytest.mark.parametrize(
    ("spec", "latest", "days"),
    [
        # month ends: 31, 28, 31, 30 days
        (
            {"monthly": {"from": "2019-01", "to": "2019-04"}},
            None,
            ["2019-01-31", "2019-02-28", "2019-03-31", "2019-04-30"],
        ),
        # a leap year's February, and a century that is not a leap year (1900) vs one that is
        ({"monthly": {"from": "2024-02", "to": "2024-02"}}, None, ["2024-02-29"]),
        ({"monthly": {"from": "1900-02", "to": "1900-02"}}, None, ["1900-02-28"]),
        ({"monthly": {"from": "2000-02", "to": "2000-02"}}, None, ["2000-02-29"]),
        # across a year end
        (
            {"monthly": {"from": "2019-11", "to": "2020-01"}},
            None,
            ["2019-11-30", "2019-12-31", "2020-01-31"],
        ),
        # quarter ends; `from` inside a quarter starts with that quarter
        (
            {"quarterly": {"from": "2019-02", "to": "2019-12"}},
            None,
            ["2019-03-31", "2019-06-30", "2019-09-30", "2019-12-31"],
        ),
        (
            {"quarterly": {"from": "2019-Q3", "to": "2020-q1"}},
            None,
            ["2019-09-30", "2019-12-31", "2020-03-31"],
        ),
        # year ends; a year as an integer, as YAML reads 2019
        ({"yearly": {"from": 2019, "to": 2021}}, None, ["2019-12-31", "2020-12-31", "2021-12-31"]),
        # `to: latest` caps the running period at the latest event; left out, it means latest
        (
            {"monthly": {"from": "2025-11", "to": "latest"}},
            D(2026, 1, 22),
            ["2025-11-30", "2025-12-31", "2026-01-22"],
        ),
        ({"quarterly": {"from": "2025-07"}}, D(2025, 12, 31), ["2025-09-30", "2025-12-31"]),
        ({"yearly": {"from": "2024", "to": "latest"}}, D(2025, 3, 3), ["2024-12-31", "2025-03-03"]),
        # a day as `to` caps like latest; a day as `from` starts with its period
        (
            {"monthly": {"from": "2024-02-10", "to": "2024-03-15"}},
            None,
            ["2024-02-29", "2024-03-15"],
        ),
        ({"monthly": {"from": D(2024, 2, 10), "to": D(2024, 2, 10)}}, None, ["2024-02-10"]),
        # from == to in one period: one report
        ({"yearly": {"from": "2020-05", "to": "2020-06"}}, None, ["2020-06-30"]),
    ],
)
def test_each_period_is_reported_as_of_its_last_day_capped_at_to(spec, latest, days):
    assert _days(spec, latest) == days


def test_labels_name_the_period_and_sort_like_the_dates():
    series = {
        "monthly": expand({"monthly": {"from": "2019-09", "to": "2020-02"}}, "k"),
        "quarterly": expand({"quarterly": {"from": "2019", "to": "2020"}}, "k"),
        "yearly": expand({"yearly": {"from": "2009", "to": "2011"}}, "k"),
    }
    assert [p.label for p in series["monthly"]] == [
        "2019-09",
        "2019-10",
        "2019-11",
        "2019-12",
        "2020-01",
        "2020-02",
    ]
    assert [p.label for p in series["quarterly"]][:5] == [
        "2019-Q1",
        "2019-Q2",
        "2019-Q3",
        "2019-Q4",
        "2020-Q1",
    ]
    assert [p.label for p in series["yearly"]] == ["2009", "2010", "2011"]
    for found in series.values():
        labels = [p.label for p in found]
        assert labels == sorted(labels) and len(set(labels)) == len(labels)
        assert [p.day for p in found] == sorted(p.day for p in found)


def test_periods_tile_the_calendar_without_gaps():
    found = periods("monthly", D(2019, 1, 1), D(2026, 1, 22))
    assert len(found) == count_periods("monthly", D(2019, 1, 1), D(2026, 1, 22)) == 85
    for before, after in itertools.pairwise(found):
        assert after.first == before.last + dt.timedelta(days=1)
    assert found[-1].day == D(2026, 1, 22) and found[-1].last == D(2026, 1, 31)


def test_the_calendar_end_does_not_crash():
    assert bound("9999-12") == (D(9999, 12, 1), D(9999, 12, 31))
    assert _days({"yearly": {"from": 9998, "to": 9999}}) == ["9998-12-31", "9999-12-31"]


@pytest.mark.parametrize(
    ("spec", "latest", "problems"),
    [
        (
            {"weekly": {"from": "2019-01"}},
            None,
            ["for_each.as_of: 'weekly' is not a period (use monthly, quarterly or yearly)"],
        ),
        (
            {"montly": {"from": "2019-01"}},
            None,
            [
                "for_each.as_of: 'montly' is not a period (use monthly, quarterly or yearly); "
                "did you mean 'monthly'?"
            ],
        ),
        (
            {"monthly": {"from": "2019-01"}, "yearly": {"from": 2019}},
            None,
            [
                "for_each.as_of: expected one of monthly, quarterly or yearly with from/to, e.g. "
                "{monthly: {from: 2019-01, to: latest}}"
            ],
        ),
        (
            {"monthly": "2019-01"},
            None,
            ["for_each.as_of.monthly: expected from (and to), e.g. {from: 2019-01, to: latest}"],
        ),
        (
            {"monthly": {"to": "2020-01", "until": "x"}},
            None,
            [
                "for_each.as_of.monthly.until: unknown key (a series has from and to)",
                "for_each.as_of.monthly: 'from' is missing: the first period, a year (2019), a "
                "month (2019-01), a quarter (2019-Q1) or a day (2019-01-15)",
            ],
        ),
        (
            {"monthly": {"from": "2019-13", "to": "2019-Q5"}},
            None,
            [
                "for_each.as_of.monthly.from: '2019-13' is not a month: there is no month 13",
                "for_each.as_of.monthly.to: '2019-Q5' is not a quarter: there is no Q5",
            ],
        ),
        (
            {"monthly": {"from": "2023-02-29", "to": "soon"}},
            None,
            [
                "for_each.as_of.monthly.from: '2023-02-29' is not a real date: February 2023 "
                "has 28 days",
                "for_each.as_of.monthly.to: 'soon' is not a year (2019), a month (2019-01), a "
                "quarter (2019-Q1) or a day (2019-01-15), or 'latest'",
            ],
        ),
        (
            {"monthly": {"from": "2020-03", "to": "2020-02"}},
            None,
            ["for_each.as_of.monthly: from '2020-03' is after to ('2020-02')"],
        ),
        (
            {"monthly": {"from": "2026-02", "to": "latest"}},
            D(2026, 1, 22),
            ["for_each.as_of.monthly: from '2026-02' is after to (2026-01-22, the latest event)"],
        ),
        (
            {"quarterly": {"from": "2019"}},
            None,
            ["for_each.as_of.quarterly.to: 'latest': the data has no event with a known date"],
        ),
        (
            {"monthly": {"from": "1019-01", "to": "2019-01"}},
            None,
            [
                f"for_each.as_of.monthly: 12001 periods from '1019-01', more than {MAX_PERIODS} in "
                "one series: is 'from' mistyped?"
            ],
        ),
        (
            {"yearly": {"from": True, "to": 2020}},
            None,
            [
                "for_each.as_of.yearly.from: True is not a year (2019), a month (2019-01), a "
                "quarter (2019-Q1) or a day (2019-01-15)"
            ],
        ),
        (
            {"yearly": {"from": "0000", "to": 2020}},
            None,
            ["for_each.as_of.yearly.from: '0000': there is no year 0"],
        ),
    ],
)
def test_bad_series_are_one_line_per_problem(spec, latest, problems):
    with pytest.raises(BadInput) as raised:
        expand(spec, "for_each.as_of", lambda: latest)
    assert raised.value.problems == problems


# ---- in plans --------------------------------------------------------------------------------


def test_a_series_combines_with_other_names_and_names_folders_by_period(good_facts):
    document = {
        "reports": [
            {
                "notebook": "overview",
                "for_each": {
                    "sending": ["USA", "CAN"],
                    "as_of": {"quarterly": {"from": "2024-Q4", "to": "2025-02-10"}},
                },
            }
        ]
    }
    jobs = plan_jobs(document, "plan.yml", good_facts)
    assert [(job.slug, job.parameters["as_of"]) for job in jobs] == [
        ("as-of-2024-q4_sending-usa", "2024-12-31"),
        ("as-of-2025-q1_sending-usa", "2025-02-10"),
        ("as-of-2024-q4_sending-can", "2024-12-31"),
        ("as-of-2025-q1_sending-can", "2025-02-10"),
    ]
    assert jobs[1].series == {
        "parameter": "as_of",
        "every": "quarterly",
        "period": "2025-Q1",
        "group": "overview/sending-usa",
    }


def test_to_latest_is_the_fact_base_s_latest_event(good_facts):
    from thirdcountry.analysis import latest_event_date

    latest = latest_event_date(good_facts)
    series = {"as_of": {"yearly": {"from": latest.year - 1}}}
    document = {"reports": [{"notebook": "overview", "for_each": series}]}
    jobs = plan_jobs(document, "plan.yml", good_facts)
    assert [job.parameters["as_of"] for job in jobs] == [
        f"{latest.year - 1}-12-31",
        latest.isoformat(),
    ]
    assert [job.slug for job in jobs] == [f"as-of-{latest.year - 1}", f"as-of-{latest.year}"]


def test_the_monthly_archive_plan_is_an_overview_per_month_since_2019():
    from thirdcountry.analysis import latest_event_date
    from thirdcountry.facts import load_facts
    from thirdcountry.paths import PROJECT_ROOT

    facts = load_facts()
    latest = latest_event_date(facts)
    jobs = load_plan(PROJECT_ROOT / "plans" / "monthly-archive.yml", facts)
    months = (latest.year - 2019) * 12 + latest.month
    assert len(jobs) == months >= 85
    assert jobs[0].slug == "as-of-2019-01" and jobs[0].parameters == {"as_of": "2019-01-31"}
    assert jobs[-1].parameters == {"as_of": latest.isoformat()}
    assert [job.slug for job in jobs] == sorted(job.slug for job in jobs)
    assert {job.series["group"] for job in jobs} == {"overview/default"}


def test_plan_problems_name_the_file_entry_and_key(tmp_path, good_facts):
    plan = tmp_path / "archive.yml"
    plan.write_text(
        "reports:\n"
        "  - notebook: overview\n"
        "    for_each:\n"
        "      as_of: {weekly: {from: 2019-01}}\n"
        "  - notebook: overview\n"
        "    for_each:\n"
        "      as_of: {monthly: {from: 2019-14, to: 2018}}\n"
        "  - notebook: overview\n"
        "    for_each:\n"
        "      as_of: {monthly: {from: 2019-01}}\n"
        "      since: {yearly: {from: 2019}}\n"
        "  - notebook: country\n"
        "    for_each:\n"
        "      country: {monthly: {from: 2019-01}}\n"
        "  - notebook: overview\n"
        "    for_each:\n"
        "      sending: []\n"
        "      as_of: {yearly: {from: 2030}}\n"
    )
    with pytest.raises(PlanError) as raised:
        load_plan(plan, good_facts)
    assert raised.value.problems == [
        "archive.yml: reports[1]: for_each.as_of: 'weekly' is not a period (use monthly, "
        "quarterly or yearly)",
        "archive.yml: reports[2]: for_each.as_of.monthly.from: '2019-14' is not a month: there "
        "is no month 14",
        "archive.yml: reports[3]: for_each: as_of, since: one dated series per entry (make "
        "another entry for the other)",
        "archive.yml: reports[4]: for_each.country: a dated series needs a date parameter "
        "(a date type: Date, OptionalDate, AsOfDate, SinceDate); country is not one",
        "archive.yml: reports[5]: for_each.sending: expected a non-empty list, 'from-data' or a "
        "dated series such as {monthly: {from: 2019-01, to: latest}}",
        f"archive.yml: reports[5]: for_each.as_of.yearly: from 2030 is after to "
        f"({_latest(good_facts)}, the latest event)",
    ]


def _latest(facts):
    from thirdcountry.analysis import latest_event_date

    return latest_event_date(facts).isoformat()


# ---- the command line ------------------------------------------------------------------------


def test_dry_run_lists_what_a_plan_expands_to_and_renders_nothing(tmp_path, good_dir, capsys):
    from thirdcountry.cli.main import main

    plan = tmp_path / "archive.yml"
    plan.write_text(
        "reports:\n"
        "  - notebook: overview\n"
        "    for_each:\n"
        "      sending: [USA, CAN]\n"
        "      as_of: {yearly: {from: 2023, to: 2025-06}}\n"
    )
    out = tmp_path / "reports"
    code = main(
        ["render", "--plan", str(plan), "--dry-run", "--data", str(good_dir), "--out", str(out)]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "overview/as-of-2025_sending-can  as_of=2025-06-30, sending=CAN  2025" in printed
    assert printed.rstrip().endswith(
        f"6 reports (overview 6) into {out}; nothing rendered (--dry-run)"
    )
    assert not out.exists()
    main(["render", "--plan", str(plan), "--dry-run", "--format", "json", "--data", str(good_dir)])
    import json

    rows = json.loads(capsys.readouterr().out)
    assert [row["report"] for row in rows][:3] == [
        "overview/as-of-2023_sending-usa",
        "overview/as-of-2024_sending-usa",
        "overview/as-of-2025_sending-usa",
    ]


def test_a_bad_series_is_exit_2_with_one_line_per_problem(tmp_path, good_dir, capsys):
    from thirdcountry.cli.main import main

    plan = tmp_path / "archive.yml"
    plan.write_text(
        "reports:\n"
        "  - notebook: overview\n"
        "    for_each: {as_of: {quarterly: {from: 2019-Q0, to: 2018}}}\n"
        "  - notebook: overview\n"
        "    for_each: {as_of: {daily: {from: 2019-01}}}\n"
    )
    code = main(["render", "--plan", str(plan), "--dry-run", "--data", str(good_dir)])
    lines = capsys.readouterr().err.splitlines()
    assert code == 2
    assert lines[:2] == [
        "thirdcountry render: archive.yml: reports[1]: for_each.as_of.quarterly.from: '2019-Q0' "
        "is not a quarter: there is no Q0",
        "thirdcountry render: archive.yml: reports[2]: for_each.as_of: 'daily' is not a period "
        "(use monthly, quarterly or yearly)",
    ]
    assert "Traceback" not in "\n".join(lines)


# ---- the index groups an archive -------------------------------------------------------------


def _run(slug_period, every, group, failed=False, started="2026-03-04T10:00:00Z", **parameters):
    record = {
        "title": "Overview",
        "started": started,
        "duration_s": 3.0,
        "parameters": parameters,
        "files": {"html": "report.html"},
        "data": {"latest_event": "2026-03-03", "folder": "data", "content_hash": "h1"},
        "series": {"parameter": "as_of", "every": every, "period": slug_period, "group": group},
    }
    if failed:
        record = {**record, "outcome": "failed", "files": {"ipynb": "report.ipynb"}}
    return record


def test_the_index_shows_each_archive_as_one_row_with_a_link_per_period():
    from thirdcountry.render.index import Entry, archive_rows, index_html

    months = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    entries = [Entry("overview", "default", {"title": "Overview", "parameters": {}}, None)]
    for month in months:
        slug = f"as-of-{month}"
        entries.append(
            Entry(
                "overview",
                slug,
                _run(month, "monthly", "overview/default", as_of=f"{month}-28"),
                None,
            )
        )
    # its last run failed: the link goes to the failed run, marked
    entries[2] = Entry(
        "overview",
        "as-of-2025-12",
        None,
        _run("2025-12", "monthly", "overview/default", failed=True, as_of="2025-12-31"),
    )
    for quarter in ["2025-Q4", "2026-Q1"]:
        slug = f"as-of-{quarter.lower()}_sending-usa"
        record = _run(quarter, "quarterly", "overview/sending-usa", as_of="x", sending=["USA"])
        entries.append(Entry("overview", slug, record, None))

    archives = archive_rows(entries)
    assert [(a.group, a.every, a.count, a.failed, a.span) for a in archives] == [
        ("overview/default", "monthly", 5, 1, "2025-11 to 2026-03"),
        ("overview/sending-usa", "quarterly", 2, 0, "2025-Q4 to 2026-Q1"),
    ]
    monthly, quarterly = archives
    assert [(y.year, [p.label for p in y.periods]) for y in monthly.years] == [
        ("2025", ["Nov", "Dec"]),
        ("2026", ["Jan", "Feb", "Mar"]),
    ]
    assert monthly.years[0].periods[1].failed
    assert monthly.years[0].periods[1].href == "_failed/overview/as-of-2025-12/report.ipynb"
    assert quarterly.parameters == ["sending = USA"]
    assert [p.label for y in quarterly.years for p in y.periods] == ["Q4", "Q1"]

    html = index_html(entries)
    assert "8 reports (7 of them in 2 archives), 1 whose last run failed." in html
    table, archive_part = html.split('<h2 id="archives">')
    # the single report stays in the main table; the dated ones are only in the archives
    assert "as-of-2026-01" not in table and "overview / default" in table
    assert archive_part.count('<tr><td data-label="Archive"><strong>') == 2
    assert '<a href="overview/as-of-2026-01/report.html" title="2026-01">Jan</a>' in archive_part
    assert 'title="2025-12 (last run failed)" class="failed">Dec</a>' in archive_part
    assert '<span class="failed">1 of 5 failed</span>' in archive_part
    assert "Overview: quarterly archive" in archive_part


def test_an_index_without_archives_has_no_archive_section():
    from thirdcountry.render.index import Entry, index_html

    html = index_html([Entry("overview", "default", {"title": "Overview"}, None)])
    assert "Archives" not in html and "1 report." in html
