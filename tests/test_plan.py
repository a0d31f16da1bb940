"""Render plans, parameter checks and report folder names: everything decided before a kernel."""

import datetime as dt
from pathlib import Path

import pytest

from thirdcountry.analysis.parties import party_countries
from thirdcountry.paths import DEFAULT_PLAN
from thirdcountry.render.checks import ParameterProblems, check_parameters, parse_assignments
from thirdcountry.render.notebooks import ReportNotebook, find_notebook
from thirdcountry.render.outputs import slug_for
from thirdcountry.render.plan import PlanError, load_plan, plan_jobs
from thirdcountry.report.parameters import TYPES, Parameter


@pytest.fixture(scope="module")
def overview():
    return find_notebook("overview")


@pytest.fixture(scope="module")
def country():
    return find_notebook("country")


def _typed_notebook() -> ReportNotebook:
    parameters = (
        Parameter("label", TYPES["str"], "", ""),
        Parameter("count", TYPES["int"], 3, ""),
        Parameter("ratio", TYPES["float"], 0.5, ""),
        Parameter("flag", TYPES["bool"], False, ""),
        Parameter("items", TYPES["list"], [], ""),
    )
    return ReportNotebook("sample", Path("sample.ipynb"), parameters)


# ---- parameters ------------------------------------------------------------------------------


def test_command_line_values_take_the_declared_type():
    given = parse_assignments(["count=7", "ratio=2.5", "flag=yes", "items=a, b", "label=x=y"])
    checked = check_parameters(_typed_notebook(), given)
    assert checked == {"label": "x=y", "count": 7, "ratio": 2.5, "flag": True, "items": ["a", "b"]}
    assert check_parameters(_typed_notebook(), {"items": "[1, two]"})["items"] == [1, "two"]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"count": "many"}, "count: expected a whole number, got 'many'"),
        ({"count": 2.5}, "count: expected a whole number"),
        ({"flag": "perhaps"}, "flag: expected true or false"),
        ({"label": 5}, "label: expected text, got 5"),
        ({"items": "[unclosed"}, "items: '[unclosed' is not a list"),
        ({"colour": "red"}, "colour: not a parameter of sample (it has: label, count"),
    ],
)
def test_wrong_types_and_names_are_one_line_each(given, message):
    with pytest.raises(ParameterProblems) as raised:
        check_parameters(_typed_notebook(), given)
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith(message)


def test_every_problem_is_reported_at_once(overview):
    with pytest.raises(ParameterProblems) as raised:
        check_parameters(overview, {"as_of": "2025-13-01", "colour": "red", "data_dir": "/x"})
    problems = raised.value.problems
    assert len(problems) == 3
    assert any(p.startswith("data_dir: set with --data DIR, not as a parameter") for p in problems)


@pytest.mark.parametrize(
    ("name", "given", "message"),
    [
        (
            "overview",
            {"as_of": "2025-02-30"},
            "as_of: '2025-02-30' is not a real date: February 2025 has 28 days",
        ),
        ("overview", {"since": "yesterday"}, "since: 'yesterday' is not a date"),
        ("overview", {"countries": "SLV,XXX"}, "countries: 'XXX' is not an ISO 3166-1 alpha-3"),
        (
            "country",
            {"country": "ZZZ"},
            "country: 'ZZZ' is not an ISO 3166-1 alpha-3 code or a party's code (EU)",
        ),
        ("overview", {"as_of": "2020-01-01", "since": "2021-01-01"}, "since: 2021-01-01 is after"),
    ],
)
def test_values_are_checked_by_the_report_layers_rules(name, given, message):
    with pytest.raises(ParameterProblems) as raised:
        check_parameters(find_notebook(name), given)
    assert raised.value.problems == [raised.value.problems[0]]
    assert raised.value.problems[0].startswith(message)


def test_values_are_normalised(overview, country):
    assert check_parameters(country, {"country": "slv"}) == {"country": "SLV"}
    checked = check_parameters(overview, {"countries": "[slv, gtm]", "as_of": dt.date(2025, 1, 26)})
    assert checked == {"as_of": "2025-01-26", "countries": ["SLV", "GTM"]}


def test_assignments_need_a_name_and_an_equals_sign():
    with pytest.raises(ParameterProblems) as raised:
        parse_assignments(["as_of", "=x", "a=1", "a=2"])
    assert raised.value.problems == [
        "-p 'as_of': expected name=value",
        "-p '=x': expected name=value",
        "a: given more than once",
    ]


# ---- folder names ----------------------------------------------------------------------------


def test_slugs_are_readable_and_stable(overview, country):
    assert slug_for(overview, {}) == "default"
    assert slug_for(overview, {"as_of": ""}) == "default"
    assert slug_for(overview, {"as_of": "2025-01-26"}) == "as-of-2025-01-26"
    assert slug_for(country, {"country": "SLV"}) == "country-slv"
    both = slug_for(overview, {"countries": ["SLV", "GTM"], "as_of": "2025-01-26"})
    assert both == "as-of-2025-01-26_countries-slv-gtm"
    title = "Safe third country agreements: Central America, as the sources of 2025 tell it"
    long = slug_for(overview, {"title": title})
    assert len(long) <= 80 and long.startswith("title-safe-third-country")
    assert long != slug_for(overview, {"title": title + "!"})


# ---- plans -----------------------------------------------------------------------------------


def test_the_default_plan_renders_overviews_by_sender_every_party_country_and_agreement():
    from thirdcountry.facts import load_facts

    facts = load_facts()
    jobs = load_plan(DEFAULT_PLAN, facts)
    labels = [job.label for job in jobs]
    assert labels[:2] == ["overview/default", "overview/as-of-2025-01-26"]
    countries = party_countries(facts)
    assert {"SLV", "GTM", "HND", "CAN", "USA"} <= set(countries)
    # One overview per sending state with at least three agreements (issue 17).
    senders = ["overview/sending-aus", "overview/sending-gbr", "overview/sending-usa"]
    assert labels[2:5] == senders
    countries_end = 5 + len(countries)
    assert labels[5:countries_end] == [f"country/country-{code.lower()}" for code in countries]
    # One page per agreement, named by its id (issue 27).
    pages = [f"agreement/agreement-{key}" for key in facts.agreements["agreement_id"]]
    assert labels[countries_end:] == pages


def test_from_data_uses_the_given_fact_base(good_facts):
    assert party_countries(good_facts) == ["CAN", "GTM", "USA"]
    document = {"reports": [{"notebook": "country", "countries": "from-data"}]}
    jobs = plan_jobs(document, "plan.yml", good_facts)
    assert [job.parameters for job in jobs] == [
        {"country": "CAN"},
        {"country": "GTM"},
        {"country": "USA"},
    ]


def test_for_each_makes_every_combination_and_duplicates_render_once():
    document = {
        "reports": [
            "overview",
            {"notebook": "overview", "parameters": {}},
            {
                "notebook": "overview",
                "parameters": {"countries": ["SLV"]},
                "for_each": {"as_of": ["2021-03-01", dt.date(2025, 1, 26)]},
            },
        ]
    }
    labels = [job.label for job in plan_jobs(document, "plan.yml")]
    assert labels == [
        "overview/default",
        "overview/as-of-2021-03-01_countries-slv",
        "overview/as-of-2025-01-26_countries-slv",
    ]


def test_plan_problems_name_the_entry_and_are_all_reported(tmp_path):
    plan = tmp_path / "plan.yml"
    plan.write_text(
        "reports:\n"
        "  - notebook: overview\n"
        "    parameters: {as_of: 2025-13-01}\n"
        "  - notebook: nowhere\n"
        "  - notebook: country\n"
        "    for_each: {country: [SLV, XYZ]}\n"
        "  - notebook: country\n"
        "    colour: red\n"
    )
    with pytest.raises(PlanError) as raised:
        load_plan(plan)
    assert raised.value.problems == [
        "plan.yml: reports[1]: as_of: '2025-13-01' is not a real date: there is no month 13",
        "plan.yml: reports[2]: 'nowhere' is neither a report name (agreement, country, overview) "
        "nor a notebook file",
        "plan.yml: reports[3]: country: 'XYZ' is not an ISO 3166-1 alpha-3 code "
        "or a party's code (EU)",
        "plan.yml: reports[4]: unknown key(s): colour",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("reports: [\n", "plan.yml:2: expected"),
        ("- overview\n", "plan.yml: expected a mapping with a 'reports' list"),
        ("reports: []\nextra: 1\n", "plan.yml: unknown top-level key(s): extra"),
    ],
)
def test_unreadable_plans_are_one_line(tmp_path, text, message):
    plan = tmp_path / "plan.yml"
    plan.write_text(text)
    with pytest.raises(PlanError) as raised:
        load_plan(plan)
    assert raised.value.problems[0].startswith(message)
