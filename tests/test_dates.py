import datetime as dt

import pytest

from thirdcountry.facts.dates import EDTFError, parse_edtf, parse_iso_date

D = dt.date


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision"),
    [
        ("2025-01-23", D(2025, 1, 23), D(2025, 1, 23), "day"),
        ("2025-02", D(2025, 2, 1), D(2025, 2, 28), "month"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "month"),
        ("2025", D(2025, 1, 1), D(2025, 12, 31), "year"),
        ("2025-02-01/2025-02-10", D(2025, 2, 1), D(2025, 2, 10), "range"),
        ("2021-01-20/..", D(2021, 1, 20), None, "open"),
        ("../2025-01-26", None, D(2025, 1, 26), "open"),
        ("2019-07/2021-01", D(2019, 7, 1), D(2021, 1, 31), "range"),
    ],
)
def test_edtf_becomes_an_interval_with_its_precision(text, earliest, latest, precision):
    parsed = parse_edtf(text)
    assert (parsed.earliest, parsed.latest, parsed.precision) == (earliest, latest, precision)


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (parse_edtf, "2025-13-01", "'2025-13-01' is not a valid EDTF date"),
        (parse_edtf, "2023-02-29", "'2023-02-29' is not a valid EDTF date"),
        (parse_edtf, "early February", "'early February' is not a valid EDTF date"),
        (parse_edtf, "2025-02-10/2025-02-01", "'2025-02-10/2025-02-01' ends before it starts"),
        (parse_edtf, "", "is empty; give an EDTF date such as 2025-01-23"),
        # Plain dates in the right form that do not exist: these used to be called "not a date
        # in the form YYYY-MM-DD", though they are in that form.
        (
            parse_iso_date,
            "2025-02-30",
            "'2025-02-30' is not a real date: February 2025 has 28 days",
        ),
        (
            parse_iso_date,
            "2023-02-29",
            "'2023-02-29' is not a real date: February 2023 has 28 days",
        ),
        (parse_iso_date, "2025-04-31", "'2025-04-31' is not a real date: April 2025 has 30 days"),
        (parse_iso_date, "2025-13-01", "'2025-13-01' is not a real date: there is no month 13"),
        (parse_iso_date, "0000-01-01", "'0000-01-01' is not a real date: there is no year 0"),
    ],
)
def test_bad_dates_say_what_is_wrong(parse, text, message):
    with pytest.raises(EDTFError) as caught:
        parse(text)
    assert str(caught.value) == message


def test_approximate_dates_are_flagged():
    assert parse_edtf("2025-10-20?").approximate
    assert not parse_edtf("2025-10-20").approximate


def test_interval_logic():
    open_end = parse_edtf("2021-02-06/..")
    assert open_end.contains(D(2030, 1, 1))
    assert not open_end.contains(D(2021, 2, 5))
    assert open_end.overlaps(parse_edtf("2021-01-20/2025-01-20"))
    assert not parse_edtf("2020-03").overlaps(parse_edtf("2020-12-15"))
    assert parse_edtf("2025-01-23").is_exact
    assert not parse_edtf("2025-01").is_exact


@pytest.mark.parametrize(
    ("text", "human"),
    [
        ("2025-01-23", "23 January 2025"),
        ("2025-02", "February 2025"),
        ("2025-02-01/2025-02-10", "1 February 2025 – 10 February 2025"),
        ("2021-02-06/..", "from 6 February 2021, end open"),
        ("../2025-01-26", "by 26 January 2025"),
    ],
)
def test_human_readable_dates(text, human):
    assert parse_edtf(text).human() == human


def test_plain_iso_dates():
    assert parse_iso_date("2025-01-26") == D(2025, 1, 26)
    assert parse_iso_date("2024-02-29") == D(2024, 2, 29)
    with pytest.raises(EDTFError, match="YYYY-MM-DD"):
        parse_iso_date("26/01/2025")


PLAIN_FORMS = [
    "2025", "1999-12", "2024-02", "2023-02", "2025-01-23", "2024-02-29", "2023-02-29",
    "2025-13", "2025-00", "2025-04-31", "2025-02-01/2025-02-10", "2021-01-20/..", "../2025-01-26",
    "2019-07/2021-01", "2019/2020-06-30", "2025-02-10/2025-02-01", "2025-01/2025-01-15", "2025-21",
    "2025-21/2025-12",
]  # fmt: skip


@pytest.mark.parametrize("text", PLAIN_FORMS)
def test_fast_path_agrees_with_the_edtf_package(text):
    from thirdcountry.facts.dates import _parse_plain, parse_edtf_with_package

    try:
        expected = parse_edtf_with_package(text)
    except EDTFError as exc:
        with pytest.raises(EDTFError) as caught:
            parse_edtf(text)
        assert str(caught.value) == str(exc)
        return
    fast = _parse_plain(text)
    assert fast is None or fast == expected
    assert parse_edtf(text) == expected
