"""Rules of the after-tax space calculator (calculators/RULES.md section 2, rules 1 to 7).

Each test name states the rule; each case's comment shows the hand arithmetic.
Figures come from the real limits file: 2024 402(g) 23,000, 415(c) 69,000;
2025 402(g) 23,500, catch-up 7,500 / 11,250 (60-63), 415(c) 70,000;
2026 402(g) 24,500, catch-up 8,000 / 11,250, 415(c) 72,000, 401(a)(17) 360,000.
"""

from __future__ import annotations

import pytest

from calculators import InputError, load_limits, run

NAME = "after-tax-space"


def space(**inputs):
    base = {"employer_contributions": 0}
    return run(NAME, base | inputs)


# --- Worked examples A to E (calculators/RULES.md section 3) --------------------


def test_example_a_room_is_415c_minus_deferrals_minus_employer():
    # 70,000 - 23,500 - 6,000 = 40,500; total 23,500 + 6,000 + 40,500 = 70,000;
    # per check 40,500 / 26 = 1,557.6923 -> 1,557.69
    r = space(year=2025, age=40, compensation=200_000, elective_deferrals=23_500,
              employer_contributions=6_000, pay_periods_remaining=26)
    assert r["after_tax_room"] == 40_500
    assert r["total_contributions"] == 70_000
    assert r["per_paycheck_after_tax"] == 1557.69


def test_example_b_catch_up_does_not_shrink_room():
    # catch-up used min(31,000 - 23,500, 7,500) = 7,500;
    # room 70,000 - (31,000 - 7,500) - 10,000 = 36,500 (not 29,000);
    # total 31,000 + 10,000 + 36,500 = 77,500
    r = space(year=2025, age=55, compensation=250_000, elective_deferrals=31_000,
              employer_contributions=10_000)
    assert r["catch_up_used"] == 7_500
    assert r["after_tax_room"] == 36_500
    assert r["total_contributions"] == 77_500
    # The mistake the guide warns about: 70,000 - 31,000 - 10,000 = 29,000
    assert r["room_if_catch_up_counted"] == 29_000


def test_example_c_age_61_gets_the_larger_catch_up_from_2026_limits():
    # catch-up min(35,750 - 24,500, 11,250) = 11,250;
    # room 72,000 - 24,500 - 15,000 = 32,500; total 35,750 + 15,000 + 32,500 = 83,250
    r = space(year=2026, age=61, compensation=300_000, elective_deferrals=35_750,
              employer_contributions=15_000)
    assert r["catch_up_used"] == 11_250
    assert r["after_tax_room"] == 32_500
    assert r["total_contributions"] == 83_250


def test_example_d_415c_is_capped_at_100_percent_of_pay():
    # limit min(72,000, 40,000) = 40,000; room 40,000 - 24,500 - 10,000 = 5,500
    r = space(year=2026, age=45, compensation=40_000, elective_deferrals=24_500,
              employer_contributions=10_000)
    assert r["annual_additions_limit"] == 40_000
    assert r["after_tax_room"] == 5_500


def test_example_e_plan_percent_cap_binds():
    # IRS room 70,000 - 23,500 - 4,500 = 42,000; plan cap 10% x 150,000 = 15,000 -> 15,000
    r = space(year=2025, age=35, compensation=150_000, elective_deferrals=23_500,
              employer_contributions=4_500, after_tax_cap_percent=10)
    assert r["irs_room"] == 42_000
    assert r["plan_cap"] == 15_000
    assert r["after_tax_room"] == 15_000


# --- Age bands: catch-up by age on Dec 31 (rule 4) -----------------------------

@pytest.mark.parametrize(
    ("year", "age", "catch_up", "room"),
    [
        # 2026, deferring 402(g) + 11,250 = 35,750, pay 300,000, no employer money.
        # Catch-up sits outside 415(c); a deferral beyond the age's limit is to be refunded
        # by April 15 and, refunded in time, is not an annual addition either (rule 3).
        # So the room is 72,000 - 24,500 = 47,500 at every age.
        (2026, 49, 0, 47_500),       # limit 24,500: 11,250 refunded, 24,500 counts
        (2026, 50, 8_000, 47_500),   # limit 32,500: 3,250 refunded, 32,500 - 8,000 counts
        (2026, 59, 8_000, 47_500),   # still the ordinary catch-up
        (2026, 60, 11_250, 47_500),  # 35,750 - 11,250 = 24,500 counts
        (2026, 63, 11_250, 47_500),  # last year of the larger catch-up
        (2026, 64, 8_000, 47_500),   # back to 8,000
        (2024, 61, 7_500, 69_000 - 23_000),  # 2024: no 60-63 catch-up; 23,000 counts -> 46,000
    ],
)
def test_catch_up_depends_on_age_band_and_year(year, age, catch_up, room):
    r = space(year=year, age=age, compensation=300_000, elective_deferrals=35_750)
    assert r["catch_up_used"] == catch_up
    assert r["after_tax_room"] == room


@pytest.mark.parametrize("age", [40, 49, 50, 55, 59, 60, 61, 63, 64, 70])
def test_max_deferral_leaves_same_room_at_every_age(age, limits):
    # Rule 1 consequence: deferring exactly the age's maximum (402(g) + catch-up)
    # leaves 415(c) - 402(g): 72,000 - 24,500 = 47,500 in 2026 at every age.
    year = limits.for_year(2026)
    r = space(year=2026, age=age, compensation=400_000,
              elective_deferrals=year.deferral_limit(age))
    assert r["after_tax_room"] == 47_500


def test_unused_catch_up_room_never_adds_to_after_tax_room():
    # Age 55 deferring only 20,000 in 2025: no catch-up used; room 70,000 - 20,000 = 50,000,
    # the same as for a 40-year-old deferring 20,000.
    older = space(year=2025, age=55, compensation=300_000, elective_deferrals=20_000)
    younger = space(year=2025, age=40, compensation=300_000, elective_deferrals=20_000)
    assert older["catch_up_used"] == 0
    assert older["after_tax_room"] == younger["after_tax_room"] == 50_000


# --- 100% of pay (rule 2) ---------------------------------------------------------

def test_pay_below_dollar_limit_sets_415c_limit():
    # 2025, pay 60,000: limit min(70,000, 60,000) = 60,000; room 60,000 - 23,500 - 3,000 = 33,500
    r = space(year=2025, age=30, compensation=60_000, elective_deferrals=23_500,
              employer_contributions=3_000)
    assert r["annual_additions_limit"] == 60_000
    assert r["after_tax_room"] == 33_500


def test_room_is_never_negative_when_contributions_exceed_pay():
    # 2026, pay 20,000, deferrals 19,000 + employer 5,000 = 24,000 > 20,000: room max(0, -4,000) = 0
    r = space(year=2026, age=30, compensation=20_000, elective_deferrals=19_000,
              employer_contributions=5_000)
    assert r["after_tax_room"] == 0
    assert any("more than your pay" in w for w in r["warnings"])


def test_catch_up_still_allowed_above_100_percent_of_pay_limit():
    # 2026, age 52, pay 30,000, deferrals 30,000: catch-up min(5,500, 8,000) = 5,500;
    # counted 24,500; limit min(72,000, 30,000) = 30,000; room 30,000 - 24,500 = 5,500
    r = space(year=2026, age=52, compensation=30_000, elective_deferrals=30_000)
    assert r["catch_up_used"] == 5_500
    assert r["after_tax_room"] == 5_500


# --- Catch-up above the 415(c) limit (rule 1, example G) ------------------------------

def test_example_g_deferrals_above_415c_are_catch_up_and_need_no_correction():
    # Treas. Reg. 1.414(v)-1(b)(1)(i), (b)(2)(i): deferrals above any statutory limit are
    # catch-up. 2026, age 55, pay 30,000: 415(c) limit min(72,000, 30,000) = 30,000.
    # Deferrals 24,500 (none above 402(g)) + employer 6,000 = 30,500, 500 over 30,000:
    # that 500 is catch-up (within 8,000). Annual additions 24,000 + 6,000 = 30,000:
    # nothing to correct, no room for after-tax money.
    r = space(year=2026, age=55, compensation=30_000, elective_deferrals=24_500,
              employer_contributions=6_000)
    assert r["catch_up_used"] == 500
    assert r["after_tax_room"] == 0
    assert not any("has to correct" in w for w in r["warnings"])
    assert any(w.startswith("$500 of your deferrals are catch-up") for w in r["warnings"])


@pytest.mark.parametrize(
    ("age", "pay", "deferrals", "employer", "catch_up", "to_correct"),
    [
        # Example G with employer 16,000: 24,500 + 16,000 = 40,500, 10,500 over 30,000;
        # 8,000 of it is catch-up, the plan has to correct the other 2,500.
        (55, 30_000, 24_500, 16_000, 8_000, 2_500),
        # Deferrals 30,000: 5,500 above 402(g) is catch-up first; 24,500 + 6,000 = 30,500
        # still passes 30,000 by 500, catch-up too (5,500 + 500 = 6,000, within 8,000).
        (55, 30_000, 30_000, 6_000, 6_000, 0),
        # Deferrals 32,500 use the whole 8,000 above 402(g): 24,500 + 9,000 = 33,500 passes
        # 33,000 by 500, which has to be corrected.
        (55, 33_000, 32_500, 9_000, 8_000, 500),
        # Under 50 there is no catch-up: 24,500 + 6,000 over 30,000 is an excess of 500.
        (45, 30_000, 24_500, 6_000, 0, 500),
    ],
)
def test_deferrals_above_415c_are_catch_up_up_to_what_402g_left(age, pay, deferrals, employer,
                                                                 catch_up, to_correct):
    r = space(year=2026, age=age, compensation=pay, elective_deferrals=deferrals,
              employer_contributions=employer)
    assert r["catch_up_used"] == catch_up
    assert r["after_tax_room"] == 0
    corrections = [w for w in r["warnings"] if "has to correct" in w]
    if to_correct:
        assert f"has to correct the excess (${to_correct:,})" in corrections[0]
    else:
        assert not corrections


def test_employer_contributions_count_every_defined_contribution_plan_of_the_employer():
    # IRC 415(f)(1)(B), 415(h), 414(b)/(c): one 415(c) limit for all of the employer's (and
    # its controlled group's) defined-contribution plans; forfeitures count (415(c)(2)).
    # The help says so, and match 6,000 + ESOP 4,000 leave 72,000 - 24,500 - 10,000 = 37,500.
    from calculators import CALCULATORS
    (field,) = [f for f in CALCULATORS[NAME].inputs if f.name == "employer_contributions"]
    assert "ESOP" in field.help and "one 415(c) limit" in field.help
    assert "forfeitures" in field.help and "common control" in field.help
    r = space(year=2026, age=40, compensation=200_000, elective_deferrals=24_500,
              employer_contributions=6_000 + 4_000)
    assert r["after_tax_room"] == 37_500


# --- Plan caps (rule 3) and 401(a)(17) (rule 5) -------------------------------------

def test_plan_dollar_cap_binds_when_below_irs_room():
    # IRS room 72,000 - 24,500 = 47,500; plan cap 20,000 -> 20,000
    r = space(year=2026, age=40, compensation=200_000, elective_deferrals=24_500,
              after_tax_cap=20_000)
    assert r["after_tax_room"] == 20_000


def test_plan_cap_above_irs_room_does_not_raise_room():
    # IRS room 47,500; plan cap 60,000 -> 47,500
    r = space(year=2026, age=40, compensation=200_000, elective_deferrals=24_500,
              after_tax_cap=60_000)
    assert r["after_tax_room"] == 47_500


def test_smaller_of_two_plan_caps_binds():
    # caps 25,000 and 10% x 200,000 = 20,000 -> 20,000
    r = space(year=2026, age=40, compensation=200_000, elective_deferrals=24_500,
              after_tax_cap=25_000, after_tax_cap_percent=10)
    assert r["after_tax_room"] == 20_000


def test_percent_cap_uses_pay_up_to_401a17_limit():
    # 2026, pay 400,000: plan pay min(400,000, 360,000) = 360,000; cap 10% = 36,000
    # (not 40,000); IRS room 72,000 - 24,500 = 47,500 -> 36,000
    r = space(year=2026, age=40, compensation=400_000, elective_deferrals=24_500,
              after_tax_cap_percent=10)
    assert r["plan_cap"] == 36_000
    assert r["after_tax_room"] == 36_000


def test_percent_cap_rounds_down_to_the_cent():
    # 2026, pay 123,456.78 x 7.5% = 9,259.2585 -> 9,259.25
    r = space(year=2026, age=40, compensation="123456.78", elective_deferrals=10_000,
              after_tax_cap_percent="7.5")
    assert r["after_tax_room"] == 9259.25


def test_per_paycheck_rounds_down_so_checks_never_exceed_room():
    # 2026 room 47,500 / 24 = 1,979.1666... -> 1,979.16 (not .17)
    r = space(year=2026, age=40, compensation=200_000, elective_deferrals=24_500,
              pay_periods_remaining=24)
    assert r["per_paycheck_after_tax"] == 1979.16


# --- Warnings (rules 1, 6, 7) --------------------------------------------------------

def test_deferrals_above_the_age_limit_are_refunded_and_not_counted_toward_415c():
    # age 45 in 2026 may defer 24,500; 30,000 is 5,500 too much. The warning advises a
    # refund by April 15, and a timely refund is not an annual addition (Treas. Reg.
    # 1.415(c)-1(b)(2)(ii)), so the room counts 24,500: 72,000 - 24,500 = 47,500
    # (not 72,000 - 30,000 = 42,000); total 24,500 + 47,500 = 72,000.
    r = space(year=2026, age=45, compensation=200_000, elective_deferrals=30_000)
    assert r["after_tax_room"] == 47_500
    assert r["total_contributions"] == 72_000
    assert any("above the $24,500 allowed at age 45" in w and "($5,500)" in w
               and "1.415(c)-1(b)(2)(ii)" in w for w in r["warnings"])
    # At 55 the limit is 24,500 + 8,000 = 32,500: 40,000 is 7,500 too much; kept 32,500,
    # catch-up 8,000 outside 415(c): 72,000 - 24,500 = 47,500 again.
    r = space(year=2026, age=55, compensation=200_000, elective_deferrals=40_000)
    assert (r["after_tax_room"], r["catch_up_used"]) == (47_500, 8_000)


def test_no_deferral_warning_at_exact_limit():
    r = space(year=2026, age=50, compensation=200_000, elective_deferrals=32_500)
    assert not any("allowed at age" in w for w in r["warnings"])


# --- Rule 7: catch-ups made as Roth by higher earners (IRC 414(v)(7); T.D. 10033,
# Treas. Reg. 1.414(v)-2). 2026's threshold in the limits file is 150,000, tested on 2025
# FICA wages (W-2 box 3) from this employer; 2024's and 2025's are `false` (not enforced,
# Notice 2023-62). Age 55 in 2026 deferring 32,500: catch-up 32,500 - 24,500 = 8,000.


def roth_warnings(result):
    return [w for w in result["warnings"] if "Roth" in w]


def test_roth_catch_up_not_required_when_prior_year_wages_are_exactly_the_threshold():
    # 150,000 is not *above* 150,000: the catch-up may stay pre-tax, no warning.
    r = space(year=2026, age=55, compensation=200_000, elective_deferrals=32_500,
              prior_year_fica_wages=150_000)
    assert r["catch_up_used"] == 8_000
    assert roth_warnings(r) == []


def test_roth_catch_up_required_one_dollar_above_the_threshold_naming_amount_and_year():
    # 150,001 > 150,000: the 8,000 catch-up must be Roth; the message names 8,000 and 2025.
    r = space(year=2026, age=55, compensation=200_000, elective_deferrals=32_500,
              prior_year_fica_wages=150_001)
    [warning] = roth_warnings(r)
    assert warning.startswith("Your 2025 FICA wages from this employer were above $150,000")
    assert "your catch-up of $8,000 must be made as Roth contributions" in warning
    assert "1.414(v)-2" in warning and "you cannot make catch-ups at all" in warning
    assert "deemed Roth election" in warning


def test_roth_catch_up_changes_the_tax_character_never_the_room():
    # Same inputs either side of the threshold: room 72,000 - (32,500 - 8,000) = 47,500
    # both times; only the warning differs.
    at = space(year=2026, age=55, compensation=200_000, elective_deferrals=32_500,
               prior_year_fica_wages=150_000)
    above = space(year=2026, age=55, compensation=200_000, elective_deferrals=32_500,
                  prior_year_fica_wages=150_001)
    for key in ("after_tax_room", "catch_up_used", "total_contributions"):
        assert at[key] == above[key]
    assert at["after_tax_room"] == 47_500


def test_roth_catch_up_uses_the_60_to_63_amount_in_the_message():
    # Example C: 2026, age 61, deferrals 35,750 = 24,500 + 11,250; catch-up 11,250;
    # room 72,000 - 24,500 - 15,000 = 32,500. 2025 wages 300,000 > 150,000: Roth.
    r = space(year=2026, age=61, compensation=300_000, elective_deferrals=35_750,
              employer_contributions=15_000, prior_year_fica_wages=300_000)
    assert (r["catch_up_used"], r["after_tax_room"]) == (11_250, 32_500)
    [warning] = roth_warnings(r)
    assert "your catch-up of $11,250 must be made as Roth" in warning


@pytest.mark.parametrize("year", [2024, 2025])
def test_roth_catch_up_not_enforced_in_a_year_whose_threshold_is_false(year):
    # 2024 and 2025: roth_catch_up_wage_threshold = false (Notice 2023-62's transition),
    # so no warning whatever the wages: 400,000 is far above any threshold.
    assert load_limits().for_year(year).roth_catch_up_wage_threshold is None
    r = space(year=year, age=55, compensation=400_000,
              elective_deferrals=load_limits().for_year(year).deferral_limit(55),
              prior_year_fica_wages=400_000)
    assert r["catch_up_used"] == 7_500  # 2024: 30,500 - 23,000; 2025: 31,000 - 23,500
    assert roth_warnings(r) == []


def test_roth_catch_up_rule_does_not_apply_without_fica_wages_from_this_employer():
    # A partner paid only a share of profits, or a new hire, had 0 FICA wages from this
    # employer in 2025: 0 is not above 150,000, and the regulations leave such a person
    # outside the rule. The 8,000 catch-up may be pre-tax: no warning.
    r = space(year=2026, age=55, compensation=200_000, elective_deferrals=32_500,
              prior_year_fica_wages=0)
    assert r["catch_up_used"] == 8_000
    assert roth_warnings(r) == []


@pytest.mark.parametrize(("age", "deferrals"), [(55, 24_500), (45, 24_500)])
def test_no_roth_catch_up_warning_when_no_catch_up_is_used(age, deferrals):
    # 24,500 is not above 2026's 402(g) limit of 24,500 and, with no employer money, not
    # above 415(c): catch-up 0, so nothing must be Roth even with 2025 wages of 400,000.
    r = space(year=2026, age=age, compensation=400_000, elective_deferrals=deferrals,
              prior_year_fica_wages=400_000)
    assert r["catch_up_used"] == 0
    assert roth_warnings(r) == []


def test_roth_catch_up_warning_is_conditional_when_wages_unknown():
    # Wages left empty: the rule is stated for 2025 wages above 150,000, with the 8,000
    # catch-up, and the case with no FICA wages from this employer is named.
    r = space(year=2026, age=55, compensation=200_000, elective_deferrals=32_500)
    [warning] = roth_warnings(r)
    assert warning.startswith("If your 2025 FICA wages from this employer (W-2 box 3) were "
                              "above $150,000, your catch-up of $8,000 must be made as Roth")
    assert "no FICA wages in 2025" in warning and "does not apply to you" in warning


def test_acp_warning_uses_last_years_hce_threshold():
    # 2026 room > 0; HCE looks back to 2025 pay against the 2025 threshold (160,000)
    r = space(year=2026, age=40, compensation=200_000, elective_deferrals=24_500,
              prior_year_fica_wages=170_000)
    assert any("2025 pay was above $160,000, so you likely are one" in w for w in r["warnings"])


def test_acp_warning_for_2025_uses_2024_threshold():
    # 2025 looks back to 2024's threshold, 155,000
    r = space(year=2025, age=40, compensation=200_000, elective_deferrals=23_500)
    assert any("2024 pay was above $155,000" in w for w in r["warnings"])


def test_no_acp_warning_when_there_is_no_room():
    # pay 24,500, deferrals 24,500: room 0, nothing to test
    r = space(year=2026, age=40, compensation=24_500, elective_deferrals=24_500)
    assert r["after_tax_room"] == 0
    assert not any("ACP" in w for w in r["warnings"])


def test_60_to_63_catch_up_warns_plan_may_not_offer_it():
    r = space(year=2026, age=62, compensation=300_000, elective_deferrals=35_750)
    assert any("Plans do not have to offer it" in w for w in r["warnings"])


# --- Input validation ----------------------------------------------------------------

VALID = {"year": 2026, "age": 40, "compensation": 100_000, "elective_deferrals": 10_000,
         "employer_contributions": 0}


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"bogus": 1}, "bogus", "unknown field"),
        ({"age": None}, "age", "whole number from 15 to 100"),
        ({"age": 49.5}, "age", "whole number"),
        ({"age": 14}, "age", "from 15 to 100"),
        ({"age": 101}, "age", "from 15 to 100"),
        ({"age": "4e1"}, "age", "got '4e1'"),
        ({"age": True}, "age", "got true"),
        ({"compensation": -1}, "compensation", "from 0 to"),
        ({"compensation": "NaN"}, "compensation", "got 'NaN'"),
        ({"compensation": float("inf")}, "compensation", "got inf"),
        ({"compensation": "1,000"}, "compensation", "got '1,000'"),
        ({"compensation": "100.001"}, "compensation", "at most 2 decimals"),
        ({"compensation": [1]}, "compensation", "got [1]"),
        ({"compensation": ""}, "compensation", "is required"),
        # 2099: a year no limits file will have; the message lists the file's own years.
        ({"year": 2099}, "year",
         "this copy has the IRS figures for: " + load_limits().years_listed()),
        ({"year": 1999}, "year", "from 2000 to 2100"),
        ({"after_tax_cap_percent": 101}, "after_tax_cap_percent", "from 0 to 100 percent"),
        ({"pay_periods_remaining": 0}, "pay_periods_remaining", "from 1 to 366"),
    ],
)
def test_bad_input_names_the_field_and_what_is_allowed(change, field, says):
    with pytest.raises(InputError) as caught:
        run(NAME, VALID | change)
    assert caught.value.field == field
    assert says in caught.value.message


def test_missing_field_is_named():
    raw = dict(VALID)
    del raw["employer_contributions"]
    with pytest.raises(InputError) as caught:
        run(NAME, raw)
    assert caught.value.field == "employer_contributions"
    assert "is required" in caught.value.message


def test_empty_optional_field_is_the_same_as_leaving_it_out():
    assert run(NAME, VALID | {"after_tax_cap": "", "pay_periods_remaining": " "}) == run(NAME, VALID)


def test_typed_strings_and_json_numbers_give_the_same_result():
    typed = {k: str(v) for k, v in VALID.items()}
    assert run(NAME, typed) == run(NAME, VALID)


def test_warns_when_deferrals_and_employer_money_pass_the_415c_dollar_limit():
    # 2026: 24,500 + 50,000 = 74,500 > 72,000 (pay 300,000 does not bind): room 0
    r = space(year=2026, age=40, compensation=300_000, elective_deferrals=24_500,
              employer_contributions=50_000)
    assert r["after_tax_room"] == 0
    assert any("more than the 2026 dollar limit ($72,000)" in w for w in r["warnings"])
