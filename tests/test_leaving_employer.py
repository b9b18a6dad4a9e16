"""Rules of the leaving-an-employer calculator (calculators/RULES.md section 2, rules 9, 11
and 13)."""

from __future__ import annotations

import re

import pytest

from calculators import InputError, run

NAME = "leaving-employer"
BASE = {"year": 2026, "pretax_balance": 200000, "roth_balance": 50000, "roth_earnings": 10000,
        "roth_qualified": False, "after_tax_basis": 30000, "after_tax_earnings": 5000,
        "age": 45, "public_safety": "no", "years_of_service": 0, "federal_rate": 24,
        "state_rate": 5}


def options(**change):
    r = run(NAME, BASE | change)
    return r, {o["option"]: o for o in r["options"]}


def test_cash_out_taxes_pretax_money_and_all_earnings():
    # taxable 200,000 + 5,000 + 10,000 (Roth not qualified) = 215,000;
    # tax 29% = 62,350; 10% = 21,500; withheld 20% = 43,000
    r, o = options()
    cash = o["Cash it out"]
    assert (cash["tax_now"], cash["additional_tax"], cash["withholding"]) == (62350, 21500, 43000)
    assert r["cash_out_cost"] == 62350 + 21500


def test_no_withholding_when_the_years_eligible_rollover_distributions_are_under_200():
    # Treas. Reg. 31.3405(c)-1 Q&A-14. A 150 cash-out (all pre-tax): withheld 0, though
    # taxed 29% x 150 = 43.50 and 10% x 150 = 15. At 199.99 still 0; at exactly 200 the
    # floor is reached: 20% x 200 = 40.
    small = {"roth_balance": 0, "roth_earnings": 0, "after_tax_basis": 0,
             "after_tax_earnings": 0}
    _, o = options(pretax_balance=150, **small)
    cash = o["Cash it out"]
    assert (cash["tax_now"], cash["additional_tax"], cash["withholding"]) == (43.5, 15, 0)
    assert options(pretax_balance="199.99", **small)[1]["Cash it out"]["withholding"] == 0
    assert options(pretax_balance=200, **small)[1]["Cash it out"]["withholding"] == 40
    # The floor is on the whole payment, basis included: 150 earnings + 100 basis = 250
    # paid, so 20% of the taxable 150 = 30 is withheld.
    _, o = options(pretax_balance=0, roth_balance=0, roth_earnings=0, after_tax_basis=100,
                   after_tax_earnings=150)
    assert o["Cash it out"]["withholding"] == 30


def test_after_tax_basis_is_not_withheld_on():
    # Only after-tax money: basis 30,000 (not taxable, not withheld on) + earnings 5,000:
    # withheld 20% x 5,000 = 1,000, not 20% x 35,000 = 7,000.
    _, o = options(pretax_balance=0, roth_balance=0, roth_earnings=0)
    assert o["Cash it out"]["withholding"] == 1000
    assert all(o[name]["withholding"] == 0 for name in o if name != "Cash it out")


def test_qualified_roth_earnings_are_not_taxed():
    # taxable 200,000 + 5,000 = 205,000; 29% = 59,450
    _, o = options(roth_qualified=True)
    assert o["Cash it out"]["tax_now"] == 59450


@pytest.mark.parametrize(
    ("age", "public_safety", "service", "additional"),
    [
        # 10% of the taxable 215,000 = 21,500, unless leaving frees this plan's money.
        # Everyone: in or after the year of turning 55 (72(t)(2)(A)(v)).
        (54, "no", 30, 21500),   # 30 years of service count only for public safety
        (55, "no", 0, 0),
        # Public safety (72(t)(10)): the year of turning 50, or 25 years of service under
        # the plan, whichever comes first.
        (49, "governmental", 24, 21500),
        (49, "governmental", 25, 0),
        (45, "governmental", 24, 21500),
        (45, "governmental", 25, 0),
        (50, "governmental", 0, 0),
        (54, "governmental", 0, 0),
        (49, "private_firefighter", 0, 21500),
        (50, "private_firefighter", 0, 0),
        (45, "private_firefighter", 25, 0),
        # 72(t)(10)(B) names federal groups too (federal law-enforcement officers, air
        # traffic controllers, ...): the same 50 or 25 years.
        (49, "federal", 24, 21500),
        (50, "federal", 0, 0),
        (45, "federal", 25, 0),
    ],
)
def test_leaving_at_55_or_public_safety_at_50_or_25_years_exempts_this_plans_money(
        age, public_safety, service, additional):
    r, o = options(age=age, public_safety=public_safety, years_of_service=service)
    assert o["Cash it out"]["additional_tax"] == additional
    assert any("without the 10% additional tax" in w for w in r["warnings"]) == (additional == 0)


def test_public_safety_service_exception_is_named_in_the_warning():
    r, _ = options(age=45, public_safety="governmental", years_of_service=25)
    assert any("after 25 years of public-safety service under the plan" in w
               for w in r["warnings"])


def test_rollovers_are_not_taxed_and_split_basis_to_roth_ira():
    # Notice 2014-54: basis 30,000 + Roth 50,000 = 80,000 to a Roth IRA;
    # pre-tax 200,000 + earnings 5,000 = 205,000 to a traditional IRA
    _, o = options()
    to_iras = o["Roll it to IRAs"]
    assert (to_iras["tax_now"], to_iras["additional_tax"], to_iras["withholding"]) == (0, 0, 0)
    assert to_iras["lands"] == "$205,000 to a traditional IRA; $80,000 to a Roth IRA"
    assert to_iras["tax_free_later"] == 80000
    assert "$30,000 to a Roth IRA" in o["Roll it to the new employer's plan"]["lands"]


def test_leaving_money_in_the_plan_costs_nothing_now():
    _, o = options()
    stay = o["Leave it in the old plan"]
    assert (stay["tax_now"], stay["additional_tax"], stay["lands"]) == (0, 0, "$285,000 to the old plan")


def test_age_55_warning_mentions_losing_it_in_an_ira():
    r, _ = options(age=57)
    assert any("Rolling it to an IRA first loses that" in w for w in r["warnings"])


def test_qualified_roth_before_59_is_questioned():
    r, _ = options(roth_qualified=True, age=45)
    assert any("qualified only from age 59½" in w for w in r["warnings"])


def test_roth_401k_is_qualified_after_5_taxable_years_counted_from_january_1():
    # 402A(d)(2)(B): the clock counts taxable years from January 1 of the year of the first
    # designated Roth contribution to the plan. First contribution December 2021: taxable
    # years 2021, 2022, 2023, 2024, 2025 are five, so qualified from January 1, 2026 (with
    # age 59½), about four years and one month after the contribution, not five.
    from calculators import CALCULATORS
    (field,) = [f for f in CALCULATORS[NAME].inputs if f.name == "roth_qualified"]
    assert "5 taxable years" in field.help and "January 1 of the year of your first Roth" \
        in field.help and "402A(d)(2)(B)" in field.help
    assert "qualified from January 1, 2026" in field.help


def test_no_calculator_text_counts_the_roth_clock_from_the_contribution_date():
    # "5 years after your first contribution" is wrong: every Roth clock starts on January 1
    # of the year of the first contribution (402A(d)(2)(B), 408A(d)(2)(B)).
    from calculators import CALCULATORS, default_inputs, load_limits
    wrong = re.compile(r"(five|5) years (after|since|ago)|years? ago", re.IGNORECASE)
    texts = [f.help for c in CALCULATORS.values() for f in c.inputs]
    texts += [f.label for c in CALCULATORS.values() for f in c.inputs]
    texts += [w for name in CALCULATORS for year in load_limits().years
              for w in run(name, default_inputs(name, year))["warnings"]]
    assert not [t for t in texts if wrong.search(t)]
    assert any("counted from January 1 of the year of the first contribution or "
               "conversion to any Roth IRA" in t for t in texts)


def test_public_safety_choice_names_who_counts_under_72t10b():
    # IRC 72(t)(10)(B): state and local public safety staff (corrections officers and
    # forensic security employees since SECURE 2.0 sec. 330), the federal groups it lists,
    # and private-sector firefighters (SECURE 2.0 sec. 308).
    from calculators import CALCULATORS
    (field,) = [f for f in CALCULATORS[NAME].inputs if f.name == "public_safety"]
    labels = " ".join(label for _, label in field.choices)
    for who in ("corrections officer", "forensic security employee",
                "federal law-enforcement officer", "federal firefighter",
                "customs and border protection officer", "air traffic controller",
                "nuclear materials courier", "Capitol or Supreme Court Police",
                "diplomatic security special agent", "firefighter in a private-sector plan"):
        assert who in labels, who
    assert "72(t)(10)(B)" in field.help


def test_recent_conversions_are_an_input_and_no_longer_a_warning():
    # IRC 402A(c)(4)(D): the help of the new input names it; the old "leaves out" warning
    # is gone, since the 10% shown now counts it.
    from calculators import CALCULATORS
    (field,) = [f for f in CALCULATORS[NAME].inputs if f.name == "recent_conversions_taxable"]
    assert "402A(c)(4)(D)" in field.help and not field.required
    assert not any("leaves out money converted" in w for w in options()[0]["warnings"])


# --- Partial payouts (rule 9): pro rata, IRC 72(e)(8) ---------------------------------

FAQ = {"pretax_balance": 80000, "after_tax_basis": 20000, "after_tax_earnings": 0,
       "roth_balance": 0, "roth_earnings": 0}


def test_partial_payout_is_pro_rata_across_the_whole_account_as_in_the_irs_faq():
    # IRS FAQ "Rollovers of after-tax contributions": 100,000 = 80,000 pre-tax + 20,000
    # after-tax; a 50,000 payout is 50,000 x 80/100 = 40,000 pre-tax and 10,000 after-tax.
    # Cashed at 45: tax 29% x 40,000 = 11,600; 10% x 40,000 = 4,000; withheld 20% x 40,000
    # = 8,000 (not on the 10,000 basis). 50,000 stays in the plan.
    r, o = options(**FAQ, payout=50000)
    parts = {p["part"]: p for p in r["payout_parts"]}
    assert parts["Pre-tax money"]["paid_out"] == 40000
    assert parts["After-tax contributions (basis)"]["paid_out"] == 10000
    assert (r["paid_out"], r["stays_in_plan"]) == (50000, 50000)
    cash = o["Cash it out"]
    assert (cash["tax_now"], cash["additional_tax"], cash["withholding"]) == (11600, 4000, 8000)
    assert cash["lands"] == "$50,000 to you, in cash, before tax; $50,000 stays in the old plan"
    # Notice 2014-54: the pre-tax 40,000 to the traditional IRA, the 10,000 basis to a Roth IRA
    assert o["Roll it to IRAs"]["lands"] == (
        "$40,000 to a traditional IRA; $10,000 to a Roth IRA; $50,000 stays in the old plan")
    assert o["Roll it to the new employer's plan"]["lands"] == (
        "$40,000 to the new plan, pre-tax; $10,000 to a Roth IRA (after-tax basis, "
        "Notice 2014-54); $50,000 stays in the old plan")
    assert o["Leave it in the old plan"]["lands"] == "$100,000 to the old plan"
    # The pro-rata reading inside the Roth money is said to be an assumption.
    assert any("carries its share of each kind of money" in w and "an assumption" in w
               for w in r["warnings"])
    assert not any("carries its share" in w for w in options(**FAQ)[0]["warnings"])


def test_payout_from_a_separate_after_tax_contract_is_pro_rata_within_it():
    # IRC 72(d)(2): after-tax 30,000 basis + 5,000 earnings = 35,000; a 7,000 payout is
    # 7,000 x 5/35 = 1,000 earnings and 6,000 basis; no pre-tax or Roth money.
    # Cashed at 45: tax 29% x 1,000 = 290; 10% = 100; withheld 20% x 1,000 = 200.
    # 285,000 - 7,000 = 278,000 stays.
    r, o = options(payout=7000, payout_source="after_tax")
    cash = o["Cash it out"]
    assert (cash["tax_now"], cash["additional_tax"], cash["withholding"]) == (290, 100, 200)
    assert o["Roll it to IRAs"]["lands"] == (
        "$1,000 to a traditional IRA; $6,000 to a Roth IRA; $278,000 stays in the old plan")
    assert r["stays_in_plan"] == 278000
    # Left empty, it is all the after-tax money: 35,000 (tax 29% x 5,000 = 1,450).
    r, o = options(payout_source="after_tax")
    assert r["paid_out"] == 35000 and o["Cash it out"]["tax_now"] == 1450


def test_payout_equal_to_the_balance_is_the_whole_balance():
    # 285,000 entered = empty: the same result, nothing stays.
    assert options(payout=285000)[0] == options()[0]
    assert options(payout=285000)[0]["stays_in_plan"] == 0


@pytest.mark.parametrize(("change", "allowed"), [
    ({"payout": 0}, "at most the whole balance, $285,000"),
    ({"payout": "285000.01"}, "at most the whole balance, $285,000"),
    ({"payout": "35000.01", "payout_source": "after_tax"},
     "at most the after-tax money (contributions and their earnings), $35,000"),
])
def test_payout_of_0_or_over_the_money_it_is_drawn_from_is_refused(change, allowed):
    with pytest.raises(InputError) as error:
        run(NAME, BASE | change)
    assert error.value.field == "payout" and allowed in error.value.message


def test_partial_payout_under_200_has_nothing_withheld():
    # Treas. Reg. 31.3405(c)-1 Q&A-14, on the payout: 199.99 of the FAQ account -> 0.
    # 200 -> 160 pre-tax + 40 basis: 20% x 160 = 32.
    assert options(**FAQ, payout="199.99")[1]["Cash it out"]["withholding"] == 0
    assert options(**FAQ, payout=200)[1]["Cash it out"]["withholding"] == 32


# --- Recent in-plan conversions (rule 11): IRC 402A(c)(4)(D) ---------------------------

@pytest.mark.parametrize(("age", "public_safety", "qualified", "recapture"), [
    # 10% x 20,000 taxable when converted = 2,000, cashed out before 59½ with no exception
    (45, "no", False, 2000),
    (54, "no", False, 2000),
    (55, "no", False, 0),               # left in the year of turning 55: 72(t)(2)(A)(v)
    (50, "governmental", False, 0),     # 72(t)(10)
    (59, "no", False, 0),               # past 55, the separation rule already frees it
    (60, "no", True, 0),                # 59½ and qualified
])
def test_taxable_part_of_recent_in_plan_conversions_takes_the_10_percent_when_cashed_early(
        age, public_safety, qualified, recapture):
    # Whole balance cashed at 45: 10% on the taxable 215,000 = 21,500, plus 2,000 = 23,500.
    r, o = options(recent_conversions_taxable=20000, age=age, public_safety=public_safety,
                   roth_qualified=qualified)
    assert r["conversion_recapture"] == recapture
    base = 0 if recapture == 0 else 21500
    assert o["Cash it out"]["additional_tax"] == base + recapture
    # Rolled over, nothing: a rollover is not a payout to the reader.
    assert o["Roll it to IRAs"]["additional_tax"] == 0


def test_partial_payout_carries_a_pro_rata_share_of_recent_conversions():
    # A 28,500 payout is 10% of 285,000: Roth 5,000 of which earnings 1,000 and recent
    # taxable 2,000 (20,000 x 5,000 / 50,000). Taxable 20,000 + 500 + 1,000 = 21,500:
    # tax 29% = 6,235; 10% = 2,150 + 10% x 2,000 = 200 -> 2,350.
    r, o = options(recent_conversions_taxable=20000, payout=28500)
    assert r["conversion_recapture"] == 200
    assert (o["Cash it out"]["tax_now"], o["Cash it out"]["additional_tax"]) == (6235, 2350)


def test_recent_conversions_cannot_exceed_the_roth_balance_less_its_earnings():
    # Roth 50,000 - earnings 10,000 = 40,000 at most; 40,000 is fine, 40,000.01 refused.
    assert options(recent_conversions_taxable=40000)[0]["conversion_recapture"] == 4000
    with pytest.raises(InputError) as error:
        run(NAME, BASE | {"recent_conversions_taxable": "40000.01"})
    assert error.value.field == "recent_conversions_taxable"
    assert "$40,000" in error.value.message


# --- Employer stock, NUA (rule 13): IRC 402(e)(4) --------------------------------------

NUA = "Take the employer stock out in kind (NUA), roll the rest to IRAs"
STOCK = {"employer_stock_value": 100000, "employer_stock_basis": 20000}


def test_nua_choice_taxes_the_basis_now_and_the_appreciation_only_when_sold():
    # 402(e)(4)(B), Notice 98-24: basis 20,000 taxed now at 29% = 5,800; 10% at 45 = 2,000.
    # NUA = 100,000 - 20,000 = 80,000, taxed when sold at 15% + 5% state = 16,000.
    # Withholding: 20% x 20,000 = 4,000, but only the cash and other property paid to the
    # reader can be withheld from (3405(e)(8)), and there is none: 0.
    # Lands: 100,000 shares to the reader; 200,000 - 100,000 + 5,000 = 105,000 to a
    # traditional IRA; 30,000 + 50,000 = 80,000 to a Roth IRA.
    r, o = options(**STOCK)
    nua = o[NUA]
    assert (nua["tax_now"], nua["additional_tax"], nua["withholding"]) == (5800, 2000, 0)
    assert nua["lands"] == ("$100,000 to you, as employer shares in a taxable account; "
                            "$105,000 to a traditional IRA; $80,000 to a Roth IRA")
    assert (r["nua"], r["nua_tax_when_sold"]) == (80000, 16000)
    assert [x["option"] for x in r["options"]][-1] == NUA
    assert any("402(e)(4)(A)" in w and "lump-sum distribution" in w for w in r["warnings"])
    # At 55 the separation rule frees the basis of the 10% too.
    assert options(**STOCK, age=55)[1][NUA]["additional_tax"] == 0


def test_no_employer_stock_no_nua_choice():
    r, o = options()
    assert list(o) == ["Leave it in the old plan", "Roll it to the new employer's plan",
                       "Roll it to IRAs", "Cash it out"]
    assert (r["nua"], r["nua_tax_when_sold"], r["nua_compare"]) == (None, None, None)


def test_nua_with_basis_0_and_stock_the_whole_pretax_balance():
    # Basis 0: nothing taxed now, no 10%; NUA = the whole 200,000 (29% would be 58,000
    # rolled over; 20% x 200,000 = 40,000 as gain: saves 18,000).
    r, o = options(employer_stock_value=200000, employer_stock_basis=0)
    assert (o[NUA]["tax_now"], o[NUA]["additional_tax"]) == (0, 0)
    assert o[NUA]["lands"] == ("$200,000 to you, as employer shares in a taxable account; "
                               "$5,000 to a traditional IRA; $80,000 to a Roth IRA")
    assert r["nua"] == 200000 and "the NUA route saves $18,000" in r["nua_compare"]


@pytest.mark.parametrize(("change", "rates", "verdict"), [
    # basis 90,000, value 100,000, NUA 10,000. At 45: 29% x 90,000 = 26,100 + 10% 9,000 +
    # 20% x 10,000 = 2,000 -> 37,100 against 29% x 100,000 = 29,000: loses by 8,100.
    ({"age": 45}, {}, "the NUA route loses by $8,100"),
    # At 55, no 10%: 26,100 + 2,000 = 28,100: saves 900.
    ({"age": 55}, {}, "the NUA route saves $900"),
    # Gains rate 24% + 5% = the income rate 29%: 26,100 + 2,900 = 29,000: the same.
    ({"age": 55}, {"capital_gains_rate": 24}, "the two cost the same"),
])
def test_nua_loses_when_the_10_percent_on_the_basis_outweighs_the_rate_saved_on_the_nua(
        change, rates, verdict):
    r, _ = options(employer_stock_value=100000, employer_stock_basis=90000, **change, **rates)
    assert verdict in r["nua_compare"] and "today's value and your rates" in r["nua_compare"]


@pytest.mark.parametrize(("change", "field", "says"), [
    ({"employer_stock_value": 100000, "employer_stock_basis": "100000.01"},
     "employer_stock_basis", "at most the employer stock's value, $100,000"),
    ({"employer_stock_value": "200000.01", "employer_stock_basis": 0},
     "employer_stock_value", "at most the pre-tax balance it is part of, $200,000"),
    ({"employer_stock_basis": 10}, "employer_stock_basis", "at most the employer stock's value"),
    ({"employer_stock_value": 1000}, "employer_stock_basis", "is required when"),
    ({"capital_gains_rate": 31}, "capital_gains_rate", "from 0 to 30 percent"),
])
def test_employer_stock_inputs_are_refused_naming_the_field(change, field, says):
    with pytest.raises(InputError) as error:
        run(NAME, BASE | change)
    assert error.value.field == field and says in error.value.message


def test_basis_equal_to_value_and_stock_equal_to_balance_are_allowed():
    _, o = options(employer_stock_value=200000, employer_stock_basis=200000)
    assert o[NUA]["tax_now"] == 58000  # 29% x 200,000: no NUA at all
