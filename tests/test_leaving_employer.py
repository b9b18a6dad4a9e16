"""Rules of the leaving-an-employer calculator (calculators/RULES.md section 2, rules 9, 11
and 13)."""

from __future__ import annotations

import re

import pytest

from calculators import run

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


def test_cash_out_says_how_it_treats_conversions_still_inside_their_five_years():
    # IRC 402A(c)(4)(D): before 59½ the taxable part of an in-plan conversion made in the
    # last five tax years takes the 10% if paid out. The inputs do not separate it: the
    # help and the result say the 10% shown leaves it out. Not said when the 10% cannot
    # apply (leaving at 55) or the Roth account is qualified.
    from calculators import CALCULATORS
    (field,) = [f for f in CALCULATORS[NAME].inputs if f.name == "roth_balance"]
    assert "402A(c)(4)(D)" in field.help and "does not add that" in field.help
    says = "The 10% additional tax shown leaves out money converted to Roth"
    assert any(says in w for w in options()[0]["warnings"])
    assert not any(says in w for w in options(age=55)[0]["warnings"])
    assert not any(says in w for w in options(roth_balance=0, roth_earnings=0)[0]["warnings"])
