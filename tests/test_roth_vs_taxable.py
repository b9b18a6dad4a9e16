"""Rules of the Roth vs taxable calculator: no tax in the Roth, dividend and gains tax outside."""

from __future__ import annotations

from calculators import run

NAME = "roth-vs-taxable"
BASE = {"year": 2026, "annual_contribution": 10000, "years": 1, "annual_return": 10,
        "dividend_yield": 2, "dividend_tax_rate": 20, "capital_gains_rate": 20}


def compare(**change):
    return run(NAME, BASE | change)


def test_one_year_by_hand():
    # Roth: 10,000 x 1.10 = 11,000.
    # Taxable: price 10,000 x 1.08 = 10,800; dividends 200 taxed 20% -> 160 reinvested:
    # 10,960, basis 10,160; gain 800 taxed 20% = 160 -> 10,800 after tax. Difference 200.
    r = compare()
    assert r["roth_value"] == 11000
    assert r["by_year"][0]["taxable_value"] == 10960
    assert r["taxable_after_tax_value"] == 10800
    assert r["difference"] == 200


def test_with_no_taxes_both_accounts_end_equal():
    r = compare(years=30, dividend_tax_rate=0, capital_gains_rate=0)
    assert r["difference"] == 0


def test_taxes_make_roth_better_every_year():
    r = compare(years=25)
    assert all(row["roth_value"] >= row["taxable_after_tax_value"] for row in r["by_year"])
    assert len(r["by_year"]) == 25 and r["total_contributed"] == 250000


def test_default_contribution_is_the_years_most_after_tax_room():
    # 2026: 415(c) 72,000 - 402(g) 24,500 = 47,500 after tax, with no employer money.
    from calculators import default_inputs, load_limits
    year = load_limits().for_year(2026)
    assert (year.annual_additions_limit, year.elective_deferral_limit) == (72000, 24500)
    assert default_inputs(NAME, 2026)["annual_contribution"] == 47500


def test_negative_return_alone_does_not_blame_the_dividend_yield():
    r = compare(annual_return=-10, dividend_yield=0, years=3)
    assert not any("dividend yield is above" in w for w in r["warnings"])
    assert any("contribution or conversion" in w for w in r["warnings"])
