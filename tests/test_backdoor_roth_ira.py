"""Rules of the backdoor Roth IRA calculator: Form 8606 pro-rata and the Roth IRA phase-out.

2026 figures from the limits file: IRA limit 7,500, catch-up 1,100; single phase-out
153,000 to 168,000; married filing separately 0 to 10,000. 2025: 7,000; 150,000 to 165,000.
"""

from __future__ import annotations

import pytest

from calculators import InputError, run

NAME = "backdoor-roth-ira"


def ira(**inputs):
    base = {"prior_basis": 0, "year_end_ira_balance": 0, "other_distributions": 0}
    return run(NAME, base | inputs)


def test_example_f_pro_rata_counts_all_traditional_ira_money():
    # 7,000 x 7,000 / (63,000 + 7,000) = 700 tax-free; 7,000 - 700 = 6,300 taxable
    r = ira(nondeductible_contribution=7000, conversion_amount=7000, year_end_ira_balance=63000)
    assert r["nontaxable_amount"] == 700
    assert r["taxable_amount"] == 6300
    assert r["nontaxable_percent"] == 10
    # basis 7,000 - 700 used = 6,300 carries forward
    assert r["basis_carried_forward"] == 6300


def test_clean_backdoor_with_no_other_ira_money_is_tax_free():
    # 7,500 / (0 + 7,500) = 1 -> all 7,500 tax-free
    r = ira(nondeductible_contribution=7500, conversion_amount=7500)
    assert (r["nontaxable_amount"], r["taxable_amount"]) == (7500, 0)


def test_prior_basis_adds_to_this_years_contribution():
    # basis 3,000 + 7,000 = 10,000; total 5,000 + 5,000 = 10,000 -> share 1;
    # 5,000 tax-free, 10,000 - 5,000 = 5,000 carried
    r = ira(nondeductible_contribution=7000, prior_basis=3000, conversion_amount=5000,
            year_end_ira_balance=5000)
    assert r["nontaxable_amount"] == 5000
    assert r["basis_carried_forward"] == 5000


def test_tax_free_share_is_at_most_one():
    # basis 10,000 over total 7,000 -> capped at 1: 7,000 tax-free, 3,000 carried
    r = ira(nondeductible_contribution=7000, prior_basis=3000, conversion_amount=7000)
    assert r["nontaxable_amount"] == 7000 and r["taxable_amount"] == 0
    assert r["basis_carried_forward"] == 3000


def test_other_distributions_take_their_share_of_basis():
    # total 56,000 + 7,000 + 7,000 = 70,000; share 0.1: conversion 700, other 700;
    # carried 7,000 - 1,400 = 5,600
    r = ira(nondeductible_contribution=7000, conversion_amount=7000, year_end_ira_balance=56000,
            other_distributions=7000)
    assert r["nontaxable_amount"] == 700
    assert r["basis_carried_forward"] == 5600


def test_amounts_round_to_the_cent():
    # share 7,000 / 21,000 = 1/3: 7,000 / 3 = 2,333.33 tax-free; 4,666.67 taxable
    r = ira(nondeductible_contribution=7000, conversion_amount=7000, year_end_ira_balance=14000)
    assert r["nontaxable_amount"] == 2333.33
    assert r["taxable_amount"] == 4666.67
    assert r["nontaxable_percent"] == 33.33


def test_no_conversion_no_tax():
    r = ira(nondeductible_contribution=7000, conversion_amount=0, year_end_ira_balance=7000)
    assert (r["nontaxable_amount"], r["taxable_amount"], r["basis_carried_forward"]) == (0, 0, 7000)


def test_pro_rata_warning_when_other_ira_money_exists():
    r = ira(nondeductible_contribution=7000, conversion_amount=7000, year_end_ira_balance=63000)
    assert any("pro-rata rule" in w for w in r["warnings"])


ROTH = {"nondeductible_contribution": 0, "conversion_amount": 0, "year_end_ira_balance": 0}


@pytest.mark.parametrize(
    ("year", "status", "age", "magi", "allowed"),
    [
        (2026, "single", 40, 153000, 7500),   # at the start of the range: full 7,500
        (2026, "single", 40, 100000, 7500),   # below the range
        (2026, "single", 40, 168000, 0),      # at the end: nothing
        (2026, "single", 40, 160500, 3750),   # halfway: 7,500 x 7,500 / 15,000 = 3,750
        (2026, "single", 40, 160001, 4000),   # 7,500 x 7,999 / 15,000 = 3,999.50 -> up to 4,000
        (2026, "single", 40, 167900, 200),    # 7,500 x 100 / 15,000 = 50 -> minimum 200
        (2026, "single", 50, 160500, 4300),   # (7,500 + 1,100) x 0.5 = 4,300
        (2026, "single", 49, 160500, 3750),   # no catch-up at 49
        (2026, "head_of_household", 40, 160500, 3750),  # same range as single
        (2026, "married_joint", 40, 247000, 3750),      # 242,000-252,000: 7,500 x 5,000 / 10,000
        (2026, "married_separate", 40, 5000, 3750),     # 0-10,000: 7,500 x 5,000 / 10,000
        (2026, "married_separate", 40, 0, 7500),        # zero income: the start of the range
        (2025, "single", 40, 157500, 3500),   # 2025: 7,000 x 7,500 / 15,000 = 3,500
        (2026, "qualifying_surviving_spouse", 40, 247000, 3750),  # the joint range
        (2026, "married_separate_apart", 40, 160500, 3750),      # apart all year: single range
    ],
)
def test_direct_roth_ira_limit_phases_out_rounding_up_to_ten_with_200_minimum(
        year, status, age, magi, allowed):
    r = run(NAME, ROTH | {"year": year, "filing_status": status, "age": age, "magi": magi})
    assert r["roth_ira_allowed"] == allowed


def test_empty_prior_basis_and_other_distributions_count_as_zero():
    r = run(NAME, {"nondeductible_contribution": 7000, "conversion_amount": 7000,
                   "year_end_ira_balance": 63000, "prior_basis": "", "other_distributions": ""})
    assert r["nontaxable_amount"] == 700


def test_no_income_questions_no_roth_ira_answer():
    assert ira(nondeductible_contribution=1, conversion_amount=1)["roth_ira_allowed"] is None


def test_magi_without_filing_status_names_the_missing_field():
    with pytest.raises(InputError) as caught:
        run(NAME, ROTH | {"year": 2026, "age": 40, "magi": 1000})
    assert caught.value.field == "filing_status"


def test_unknown_filing_status_lists_the_choices():
    with pytest.raises(InputError) as caught:
        run(NAME, ROTH | {"filing_status": "widowed"})
    assert ("one of single, head_of_household, married_joint, qualifying_surviving_spouse, "
            "married_separate, married_separate_apart") in str(caught.value)


def test_contribution_above_ira_limit_warns():
    # 2026, age 45: limit 7,500; 8,000 is 500 over
    r = run(NAME, ROTH | {"year": 2026, "age": 45, "nondeductible_contribution": 8000,
                          "conversion_amount": 8000})
    assert any("excess of $500" in w for w in r["warnings"])


def test_ira_catch_up_at_50_raises_the_limit_the_warning_uses():
    # 2026, age 50: 7,500 + 1,100 = 8,600. 8,600 is within it; 9,000 is 400 over.
    def warnings(amount):
        return run(NAME, ROTH | {"year": 2026, "age": 50, "nondeductible_contribution": amount,
                                 "conversion_amount": amount})["warnings"]
    assert not any("excess of" in w for w in warnings(8600))
    assert any("limit at age 50 in 2026 is $8,600" in w and "excess of $400" in w
               for w in warnings(9000))


@pytest.mark.parametrize(
    ("traditional", "magi", "allowed"),
    [
        # 2025, single, IRA limit 7,000 shared by traditional and Roth IRAs (408A(c)(2)).
        (7000, 157500, 0),      # phase-out gives 3,500, but 7,000 - 7,000 leaves nothing
        (2000, 157500, 3500),   # min(3,500, 7,000 - 2,000 = 5,000)
        (5000, 157500, 2000),   # min(3,500, 2,000)
        (2000, 100000, 5000),   # below the range: 7,000 - 2,000
    ],
)
def test_roth_ira_limit_is_shared_with_this_years_traditional_contribution(
        traditional, magi, allowed):
    r = run(NAME, {"year": 2025, "filing_status": "single", "age": 40, "magi": magi,
                   "nondeductible_contribution": traditional, "conversion_amount": 0,
                   "year_end_ira_balance": 0})
    assert r["roth_ira_allowed"] == allowed


def test_help_counts_outstanding_rollovers_and_places_contributions_made_after_year_end():
    # Form 8606, line 6: the December 31 value includes outstanding rollovers. A contribution
    # for last year made January 1 to April 15 is last year's (its Form 8606 line 1, in its
    # line 14 basis): this year it is basis from earlier years; one for this year made after
    # December 31 is left out of this year's conversion (line 4).
    from calculators import CALCULATORS
    help_of = {f.name: f.help for f in CALCULATORS["backdoor-roth-ira"].inputs}
    assert "rollover still on its way on December 31" in help_of["year_end_ira_balance"]
    assert "Form 8606, line 6" in help_of["year_end_ira_balance"]
    assert "between January 1 and April 15" in help_of["prior_basis"]
    assert "converted at once counts here" in help_of["prior_basis"]
    assert "enter it under basis left from earlier years" in help_of[
        "nondeductible_contribution"]
    # Entered that way: last year's 7,000 made in February and converted at once, nothing
    # else in IRAs: basis 0 + 7,000 from earlier years, conversion 7,000, all tax-free.
    r = run("backdoor-roth-ira", {"year": 2026, "nondeductible_contribution": 0,
                                  "prior_basis": 7000, "conversion_amount": 7000,
                                  "year_end_ira_balance": 0})
    assert (r["taxable_amount"], r["nontaxable_amount"]) == (0, 7000)
