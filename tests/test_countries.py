"""Country codes: ISO 3166-1 stays strict; Kosovo's XKX is accepted only as a listed exception."""

import pytest

from thirdcountry.facts.countries import CODE_EXCEPTIONS, country_name, is_country_code, is_iso3


def test_xkx_is_a_listed_exception_not_an_iso_code():
    assert not is_iso3("XKX")
    assert "XKX" in CODE_EXCEPTIONS
    assert is_country_code("XKX")
    assert country_name("XKX") == "Kosovo"


@pytest.mark.parametrize("code", ["XKA", "XXK", "KOS", "xkx", "XK", ""])
def test_only_the_listed_exceptions_pass(code):
    assert not is_country_code(code)


def test_every_exception_is_documented_and_outside_iso():
    for code, (name, why) in CODE_EXCEPTIONS.items():
        assert len(code) == 3 and code.isupper()
        assert not is_iso3(code), f"{code} is an ISO code now: drop the exception"
        assert name and why
