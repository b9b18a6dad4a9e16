"""Rules of the conversion timing calculator: only earnings are taxed at conversion
(calculators/RULES.md section 2, rule 8)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from calculators import run

NAME = "conversion-timing"
BASE = {"year": 2026, "after_tax_per_period": 1000, "pay_frequency": "monthly",
        "annual_return": 12, "conversion_frequency": "yearly", "marginal_rate": 30, "years": 1}


def timing(**change):
    return run(NAME, BASE | change)


def test_no_return_means_nothing_taxable_however_often_you_convert():
    for frequency in ("paycheck", "monthly", "quarterly", "yearly", "never"):
        r = timing(annual_return=0, conversion_frequency=frequency, years=3)
        assert r["total_tax"] == 0 and r["never_tax"] == 0


def test_converting_each_paycheck_taxes_one_period_of_growth():
    # Monthly pay, converted at the end of each month: each 1,000 grows one month:
    # 1,000 x (1.12 ** (1/12) - 1) = 9.4888; x 12 = 113.87; tax 30% of each month's
    # earnings (2.85 rounded per year: 113.87 x 0.3 = 34.16)
    r = timing(conversion_frequency="paycheck")
    assert r["by_year"][0]["taxable_earnings"] == 113.87
    assert r["total_tax"] == 34.16


def test_yearly_conversion_taxes_the_years_growth_on_each_contribution():
    # Contribution k (k = 0..11) at k/12 of the year grows (1.12 ** ((12 - k) / 12) - 1):
    # sum over k of 1,000 x that = 766.50 (checked in floating point too); tax 30% = 229.95
    expected = sum(Decimal(1000) * (Decimal("1.12") ** (Decimal(12 - k) / 12) - 1)
                   for k in range(12))
    assert round(expected, 2) == Decimal("766.50")
    r = timing()
    assert r["by_year"][0]["taxable_earnings"] == 766.50
    assert r["total_tax"] == 229.95


def test_one_year_of_never_converting_equals_a_year_end_conversion():
    r = timing()
    assert r["never_tax"] == r["total_tax"]
    assert r["tax_saved"] == 0


def test_more_frequent_conversion_never_costs_more_tax():
    taxes = [timing(conversion_frequency=f, years=5)["total_tax"]
             for f in ("paycheck", "monthly", "quarterly", "yearly")]
    assert taxes == sorted(taxes)
    assert timing(years=5)["never_tax"] > taxes[-1]


def test_never_converting_compounds_taxable_earnings():
    # Two years, never converting: year-1 money keeps growing through year 2, so the
    # untaxed earnings at the end exceed two separate years of year-end conversions.
    r = timing(conversion_frequency="never", years=2)
    assert r["by_year"][1]["never_earnings"] > 2 * 766.50
    assert all(row["taxable_earnings"] == 0 for row in r["by_year"])


def test_choosing_never_saves_nothing_and_shows_the_earnings_taxed_later():
    # One year, never converted: the 12 contributions grow 766.50 by Dec 31 (as in the
    # yearly test above). That is not avoided but taxed later: 30% x 766.50 = 229.95.
    # Against itself, never converting saves 229.95 - 229.95 = 0 (it used to show tax 0
    # and "saved" 229.95).
    r = timing(conversion_frequency="never")
    assert (r["total_tax"], r["never_tax"], r["tax_saved"]) == (229.95, 229.95, 0)
    assert r["by_year"][0]["never_earnings"] == 766.50
    assert any("only taxed later" in w for w in r["warnings"])
    assert not any("only taxed later" in w for w in timing()["warnings"])


def test_monthly_conversion_with_biweekly_pay_counts_every_contribution():
    r = timing(pay_frequency="biweekly", conversion_frequency="monthly", years=2)
    assert r["total_contributed"] == 1000 * 26 * 2
    assert [row["year"] for row in r["by_year"]] == [2026, 2027]


def test_negative_return_has_no_taxable_earnings_and_warns():
    r = timing(annual_return=-10, conversion_frequency="quarterly")
    assert r["total_tax"] == 0
    assert any("negative return" in w for w in r["warnings"])


def test_contributions_above_the_years_after_tax_room_warn():
    # 2026: 72,000 - 24,500 = 47,500; 4,000 x 12 = 48,000 is above it
    assert any("more after-tax money" in w for w in timing(after_tax_per_period=4000)["warnings"])
    assert not any("more after-tax" in w for w in timing(after_tax_per_period=3958)["warnings"])


@pytest.mark.parametrize("field", ["pay_frequency", "conversion_frequency"])
def test_unknown_choice_is_refused(field):
    from calculators import InputError
    with pytest.raises(InputError) as caught:
        timing(**{field: "daily"})
    assert caught.value.field == field
