"""One typed parameter model per report: a notebook's parameters cell declares each parameter's
type, and `list`, the checks before any kernel and the checks inside the kernel follow from it.

Throwaway notebooks prove that nothing is chosen by a parameter's or a notebook's name: a new
notebook gets exactly the checks of the types it declares, under whatever names it likes.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from thirdcountry.cli import main
from thirdcountry.paths import NOTEBOOKS_DIR
from thirdcountry.render.checks import check_parameters
from thirdcountry.render.notebooks import NotebookError, find_notebook, read_notebook
from thirdcountry.render.plan import PlanError, plan_jobs
from thirdcountry.report.parameters import TYPES, ParameterProblems, notebook_parameters


def write_notebook(folder: Path, name: str, declarations: list[str]) -> Path:
    """A report notebook like the shipped ones: the types it declares imported, its parameters
    cell, a setup cell checking them, one output."""
    domain = sorted({line.split(":")[1].split("=")[0].strip() for line in declarations} - BUILTINS)
    imports = new_code_cell(
        f"from thirdcountry.report import {', '.join(domain)}" if domain else ""
    )
    imports.metadata["tags"] = ["setup"]
    parameters = new_code_cell("\n".join(declarations))
    parameters.metadata["tags"] = ["parameters"]
    setup = new_code_cell(
        "from thirdcountry import report\n\nvalues = report.notebook_parameters(globals())"
    )
    setup.metadata["tags"] = ["setup"]
    document = new_notebook(cells=[imports, parameters, setup, new_code_cell("values")])
    document.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    document.metadata["language_info"] = {"name": "python"}
    path = folder / f"{name}.ipynb"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


BUILTINS = {"str", "int", "float", "bool", "list"}


def run_in_kernel_namespace(path: Path, injected: dict) -> dict:
    """Runs the notebook's cells as a kernel does (annotations evaluated, papermill's injected
    values right after the parameters cell) and returns what the setup cell's check gave."""
    namespace: dict = {}
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        code = compile(cell["source"], path.name, "exec", dont_inherit=True)
        exec(code, namespace)
        if "parameters" in cell["metadata"].get("tags", []):
            namespace.update(injected)
    return namespace["values"]


def kernel_problems(path: Path, injected: dict) -> list[str]:
    with pytest.raises(ParameterProblems) as raised:
        run_in_kernel_namespace(path, injected)
    return raised.value.problems


def precheck_problems(path: Path, given: dict) -> list[str]:
    with pytest.raises(ParameterProblems) as raised:
        check_parameters(read_notebook(path), given)
    return raised.value.problems


# Each type: its declaration, a good value given as text, what that becomes (injected by papermill,
# typed in the kernel), a bad value, and the start of the one line it gives ({} is the name).
CASES = {
    "Date": (
        'Date = "2025-01-26"',
        "2025-03-01",
        "2025-03-01",
        dt.date(2025, 3, 1),
        "2025-02-30",
        "{}: '2025-02-30' is not a real date: February 2025 has 28 days",
    ),
    "OptionalDate": (
        'OptionalDate = ""',
        "2021-03-01",
        "2021-03-01",
        dt.date(2021, 3, 1),
        "yesterday",
        "{}: 'yesterday' is not a date in the form YYYY-MM-DD",
    ),
    "Party": (
        'Party = "SLV"',
        "gtm",
        "GTM",
        "GTM",
        "ZZZ",
        "{}: 'ZZZ' is not an ISO 3166-1 alpha-3 code or a party's code (EU)",
    ),
    "Parties": (
        "Parties = []",
        "slv, eu",
        ["SLV", "EU"],
        ("SLV", "EU"),
        "SLV,XXX",
        "{}: 'XXX' is not an ISO 3166-1 alpha-3 code or a party's code (EU)",
    ),
    "SendingParties": (
        "SendingParties = []",
        "usa",
        ["USA"],
        ("USA",),
        "[usa, 12x]",
        "{}: '12x' is not an ISO 3166-1 alpha-3 code or a party's code (EU)",
    ),
    "Text": (
        'Text = "A title"',
        "Central America",
        "Central America",
        "Central America",
        "two\nlines",
        "{}: must be one line without control characters",
    ),
    "int": ("int = 3", "7", 7, 7, "many", "{}: expected a whole number, got 'many'"),
    "bool": (
        "bool = False",
        "yes",
        True,
        True,
        "perhaps",
        "{}: expected true or false, got 'perhaps'",
    ),
}
# Names that once chose checks (as_of, country, ...) and names that never did.
NAMES = ["as_of", "country", "sending", "title", "when", "x"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", list(CASES))
def test_a_new_notebook_gets_the_checks_of_the_types_it_declares(tmp_path, kind, name):
    declared, good, injected, typed, bad, problem = CASES[kind]
    path = write_notebook(tmp_path, "throwaway", [f"{name}: {declared}  # help"])
    # list
    notebook = read_notebook(path)
    assert [(p.name, p.type.name) for p in notebook.parameters] == [(name, kind)]
    # before any kernel
    assert check_parameters(notebook, {name: good}) == {name: injected}
    assert precheck_problems(path, {name: bad}) == [problem.format(name)]
    # inside the kernel: the value papermill injected (good), or one that never met the pre-check
    assert run_in_kernel_namespace(path, {name: injected}) == {name: typed}
    assert kernel_problems(path, {name: bad}) == [problem.format(name)]


@pytest.mark.parametrize("kind", list(CASES))
def test_renaming_a_parameter_keeps_its_checks(tmp_path, kind):
    declared, _, _, _, bad, _ = CASES[kind]
    found = {}
    for name in NAMES:
        path = write_notebook(tmp_path, f"nb_{name}", [f"{name}: {declared}  # help"])
        found[name] = precheck_problems(path, {name: bad})[0].replace(name, "NAME", 1)
    assert len(set(found.values())) == 1, found


@pytest.mark.parametrize(
    ("declaration", "value"),
    [
        ('as_of: str = ""', "2025-13-01"),  # the name 'as_of' checked dates: now its type decides
        ('country: str = "SLV"', "Salvador"),
        ("countries: list = []", "not, codes"),
        ('title: str = ""', "two\nlines"),
    ],
)
def test_a_name_alone_brings_no_checks(tmp_path, declaration, value):
    name = declaration.split(":")[0]
    path = write_notebook(tmp_path, "plain", [f"{declaration}  # help"])
    checked = check_parameters(read_notebook(path), {name: value})
    assert run_in_kernel_namespace(path, checked) == checked


def test_list_shows_exactly_what_a_new_notebook_declares(tmp_path, monkeypatch, capsys):
    write_notebook(
        tmp_path,
        "throwaway",
        [
            'start: Date = "2025-01-01"  # first day',
            'end: OptionalDate = ""  # last day',
            "where: Parties = []  # places",
            'folder: DataFolder = ""  # facts',
        ],
    )
    monkeypatch.setattr("thirdcountry.render.notebooks.NOTEBOOKS_DIR", tmp_path)
    assert main(["list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    shown = [(r["notebook"], r["parameter"], r["type"], r["default"], r["help"]) for r in rows]
    assert shown == [
        ("throwaway", "start", "Date", "2025-01-01", "first day"),
        ("throwaway", "end", "OptionalDate", None, "last day"),  # JSON: null
        ("throwaway", "where", "Parties", [], "places"),
        ("throwaway", "folder", "DataFolder", None, "facts"),
    ]
    values = [r["values"] for r in rows]
    assert values[0] == TYPES["Date"].description
    assert values[1] == TYPES["OptionalDate"].description
    assert "set with --data DIR" in values[3]


@pytest.mark.parametrize(("start", "end"), [("since", "as_of"), ("first", "last")])
def test_a_window_start_after_the_report_date_is_refused_everywhere(tmp_path, start, end):
    path = write_notebook(
        tmp_path, "window", [f'{start}: SinceDate = ""  # from', f'{end}: AsOfDate = ""  # to']
    )
    given = {start: "2021-01-01", end: "2020-01-01"}
    problem = f"{start}: 2021-01-01 is after {end} 2020-01-01"
    assert precheck_problems(path, given) == [problem]
    assert kernel_problems(path, given) == [problem]
    assert check_parameters(read_notebook(path), {start: "2019-01-01", end: "2020-01-01"})
    # two plain optional dates in the same order are not related: no name makes them so
    plain = write_notebook(
        tmp_path, "plain", [f'{start}: OptionalDate = ""  # a', f'{end}: OptionalDate = ""  # b']
    )
    assert check_parameters(read_notebook(plain), given) == given


@pytest.mark.parametrize(
    ("declarations", "message"),
    [
        (['since: SinceDate = ""  # a'], "since: a SinceDate needs an AsOfDate parameter"),
        (
            ['a: AsOfDate = ""  # a', 'b: AsOfDate = ""  # b'],
            "b: a second AsOfDate parameter",
        ),
    ],
)
def test_a_wrong_declaration_is_one_line_naming_the_notebook(tmp_path, declarations, message):
    path = write_notebook(tmp_path, "wrong", declarations)
    with pytest.raises(NotebookError, match=f"wrong.ipynb: parameters cell: {message}"):
        read_notebook(path)
    with pytest.raises(ParameterProblems, match=message):
        run_in_kernel_namespace(path, {})


def test_every_problem_is_one_line_and_exit_2(tmp_path, capsys):
    path = write_notebook(
        tmp_path,
        "throwaway",
        ['day: Date = ""  # a day', 'who: Party = ""  # a party', "n: int = 1  # n"],
    )
    code = main(
        ["render", str(path), "-p", "day=2025-13-01", "-p", "who=XXX", "-p", "n=x",
         "-p", "nope=1", "--to", "html", "--out", str(tmp_path / "out")]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[:4] == [
        "thirdcountry render: nope: not a parameter of throwaway (it has: day, who, n)",
        "thirdcountry render: day: '2025-13-01' is not a real date: there is no month 13",
        "thirdcountry render: who: 'XXX' is not an ISO 3166-1 alpha-3 code or a party's code (EU)",
        "thirdcountry render: n: expected a whole number, got 'x'",
    ]
    assert "render stopped: 4 problems" in lines[-1] and len(lines) == 5
    assert not (tmp_path / "out" / "throwaway").exists()


def test_a_required_value_left_out_is_caught_before_the_kernel(tmp_path):
    path = write_notebook(tmp_path, "required", ['day: Date = ""  # a day'])
    assert precheck_problems(path, {}) == ["day: expected a date as 'YYYY-MM-DD', got ''"]


# ---- from-data: what a plan expands to is the type's -------------------------------------------


@pytest.mark.parametrize("name", ["country", "place", "sending"])
def test_from_data_follows_the_declared_type(tmp_path, good_facts, name):
    write_notebook(tmp_path, "parties", [f'{name}: Party = "SLV"  # p'])
    write_notebook(tmp_path, "senders", [f'{name}: SendingParty = "USA"  # p'])
    write_notebook(tmp_path, "texts", [f'{name}: Text = ""  # p'])

    def expand(notebook, entry):
        document = {"reports": [{"notebook": notebook, **entry}]}
        jobs = plan_jobs(document, "plan.yml", good_facts, tmp_path)
        return [job.parameters[name] for job in jobs]

    every_party = ["CAN", "GTM", "USA"]  # the good fixture's countries party to an agreement
    assert expand("parties", {"for_each": {name: "from-data"}}) == every_party
    assert expand("parties", {"countries": "from-data"}) == every_party  # its one Party parameter
    with pytest.raises(PlanError, match="expected a non-empty list"):
        expand("senders", {"for_each": {name: "from-data"}})  # no sender has 3 agreements here
    with pytest.raises(PlanError, match="'from-data' needs a parameter whose type lists values"):
        expand("texts", {"for_each": {name: "from-data"}})
    with pytest.raises(PlanError, match="needs exactly one parameter of type Party"):
        expand("texts", {"countries": "from-data"})


@pytest.mark.parametrize(
    ("declared", "dated"), [("Date", True), ("AsOfDate", True), ("str", False)]
)
@pytest.mark.parametrize("name", ["as_of", "day"])
def test_a_dated_series_fills_any_parameter_whose_type_is_a_date(
    tmp_path, good_facts, declared, dated, name
):
    write_notebook(tmp_path, "series", [f'{name}: {declared} = "2025-01-26"  # a day'])
    series = {"yearly": {"from": "2020", "to": "2021"}}
    document = {"reports": [{"notebook": "series", "for_each": {name: series}}]}
    if dated:
        jobs = plan_jobs(document, "plan.yml", good_facts, tmp_path)
        assert [job.parameters[name] for job in jobs] == ["2020-12-31", "2021-12-31"]
    else:
        with pytest.raises(PlanError, match=f"for_each.{name}: a dated series needs a date"):
            plan_jobs(document, "plan.yml", good_facts, tmp_path)


@pytest.mark.parametrize(
    ("declarations", "expected"),
    [(['facts: DataFolder = ""  # f'], "facts"), (['data_dir: str = ""  # d'], None)],
)
def test_run_json_names_the_data_folder_under_the_data_folder_parameter(
    tmp_path, declarations, expected
):
    write_notebook(tmp_path, "folder", declarations)
    (job,) = plan_jobs({"reports": ["folder"]}, "plan.yml", None, tmp_path)
    assert job.data_parameter == expected


# ---- the shipped notebooks: the kernel and the pre-check say the same ---------------------------


@pytest.mark.parametrize(
    ("notebook", "given", "message"),
    [
        ("overview", {"as_of": "2025-13-01"}, "as_of: '2025-13-01' is not a real date"),
        ("overview", {"as_of": "2025-1-30"}, "as_of: '2025-1-30' is not a date in the form"),
        ("overview", {"as_of": 20250101}, "as_of: expected a date as 'YYYY-MM-DD', got 20250101"),
        ("overview", {"countries": ["XYZ"]}, "countries: 'XYZ' is not an ISO 3166-1 alpha-3"),
        ("overview", {"since": "2025-02-01", "as_of": "2025-01-01"}, "since: 2025-02-01 is after"),
        ("overview", {"title": "two\nlines"}, "title: must be one line without control"),
        ("overview", {"sending": ["XX"]}, "sending: 'XX' is not an ISO 3166-1 alpha-3 code"),
        ("country", {"country": "Salvador"}, "country: 'Salvador' is not an ISO 3166-1"),
    ],
)
def test_shipped_notebooks_check_the_same_before_and_inside_the_kernel(notebook, given, message):
    path = NOTEBOOKS_DIR / f"{notebook}.ipynb"
    before = precheck_problems(path, given)
    assert len(before) == 1 and before[0].startswith(message)
    # the shipped setup cell builds the report from the checked values; stop before it loads data
    namespace: dict = {}
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    index = next(i for i, c in enumerate(cells) if "parameters" in c["metadata"].get("tags", []))
    for cell in cells[: index + 1]:
        exec(compile("".join(cell["source"]), path.name, "exec", dont_inherit=True), namespace)
    namespace.update(given)
    with pytest.raises(ParameterProblems) as raised:
        notebook_parameters(namespace)
    assert raised.value.problems == before


def test_shipped_notebooks_declare_domain_types():
    declared = {
        name: {p.name: p.type.name for p in find_notebook(name).parameters}
        for name in ("overview", "country")
    }
    assert declared == {
        "overview": {
            "as_of": "AsOfDate",
            "since": "SinceDate",
            "countries": "Parties",
            "sending": "SendingParties",
            "title": "Text",
            "data_dir": "DataFolder",
        },
        "country": {"country": "Party", "as_of": "AsOfDate", "data_dir": "DataFolder"},
    }


# ---- a real kernel ---------------------------------------------------------------------------


@pytest.mark.slow
def test_a_real_kernel_checks_what_papermill_injects(tmp_path, caplog):
    """papermill alone (no `thirdcountry render`, so no check before the kernel): the notebook's
    own setup cell refuses a bad value with the pre-check's line, and types a good one."""
    import papermill

    path = write_notebook(
        tmp_path, "kernel", ['day: Date = "2025-01-26"  # a day', "n: int = 1  # n"]
    )
    with pytest.raises(papermill.PapermillExecutionError) as raised:
        papermill.execute_notebook(
            path, tmp_path / "bad.ipynb", parameters={"day": "2025-13-01"}, progress_bar=False
        )
    assert raised.value.ename == "ParameterProblems"
    assert raised.value.evalue == precheck_problems(path, {"day": "2025-13-01"})[0]
    papermill.execute_notebook(
        path, tmp_path / "good.ipynb", parameters={"day": "2025-03-01", "n": 2}, progress_bar=False
    )
    cells = json.loads((tmp_path / "good.ipynb").read_text(encoding="utf-8"))["cells"]
    shown = "".join(cells[-1]["outputs"][0]["data"]["text/plain"])
    assert shown == "{'day': datetime.date(2025, 3, 1), 'n': 2}"
    # papermill reads the same declarations: it knows every parameter (no 'unknown parameter')
    assert "unknown parameter" not in caplog.text
