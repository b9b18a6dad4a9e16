"""Property tests: random input for every calculator.

Any JSON object gives either a result or the field-named validation error, never
another exception; and the rules' invariants hold for every valid input.
"""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculators import (
    CALCULATORS,
    InputError,
    default_inputs,
    display,
    display_rows,
    load_limits,
    run,
    run_json,
)

LIMITS = load_limits()
YEARS = LIMITS.years
EXAMPLES = 300
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Raw JSON values of every kind a link, a form or a script could send.
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", " ", "1e3", "NaN", "-0", "1,000", "2026", "yes", "no", "single",
                     "biweekly", "quarterly", "12.345", "٣", "0x10"]),
)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=5)


def raw_inputs(name: str):
    """Objects with the calculator's own field names (often valid) and stray ones."""
    fields = [f.name for f in CALCULATORS[name].inputs]
    known = st.dictionaries(st.sampled_from(fields), json_values, max_size=len(fields))
    stray = st.dictionaries(st.text(max_size=8), json_values, max_size=2)
    return st.one_of(known, st.builds(lambda a, b: a | b, known, stray))


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_any_json_object_gives_a_result_or_a_field_named_error_and_the_browser_agrees(name):
    @SETTINGS
    @given(raw_inputs(name))
    def check(raw):
        # The browser entry gets the same object as JSON text and must answer the same way.
        answer = json.loads(run_json(name, json.dumps(raw, default=str)))
        try:
            result = run(name, raw)
        except InputError as error:
            assert error.field and error.message
            assert answer == {"ok": False,
                              "error": {"field": error.field, "message": error.message}}
            return
        assert isinstance(result, dict) and "warnings" in result
        assert answer["ok"] is True
        assert answer["result"] == result

    check()


@SETTINGS
@given(st.text(max_size=40))
def test_run_json_never_raises_on_any_text(text):
    for name in (*CALCULATORS, "no-such-calculator"):
        answer = json.loads(run_json(name, text))
        assert answer["ok"] in (True, False)


# --- Each calculator's declaration agrees with its computation -------------------------

@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("name", list(CALCULATORS))
def test_every_calculator_returns_exactly_its_declared_outputs(name, year):
    calculator = CALCULATORS[name]
    result = run(name, default_inputs(name, year))
    assert set(result) == calculator.result_keys
    for output in calculator.outputs:
        if output.unit == "table":
            # each row has exactly the declared columns
            assert result[output.name], f"{name}: table {output.name} is empty"
            assert all(set(row) == {key for key, _, _ in output.columns}
                       for row in result[output.name])
    # and the shown form of it builds (values, tables, charts)
    assert [row["name"] for row in display_rows(calculator, result)] == [o.name for o in calculator.outputs]
    assert display(calculator, result)["outputs"], f"{name}: nothing to show"


def test_every_calculators_example_change_moves_its_headline():
    # The browser test types each calculator's declared example into its page.
    for name, calculator in CALCULATORS.items():
        field, value = calculator.example
        (headline,) = [o.name for o in calculator.outputs if o.headline]
        before = run(name, default_inputs(name, YEARS[-1]))
        after = run(name, default_inputs(name, YEARS[-1]) | {field: value})
        assert before[headline] != after[headline], name


def test_a_declaration_that_contradicts_itself_fails_at_import():
    from calculators.calculator import Calculator, ask, calculator_inputs
    from calculators.fields import Output

    with pytest.raises(TypeError, match=r"Form.age: a required age input arrives as <class 'int'>"):
        @calculator_inputs
        class Form:
            age: Decimal = ask("Age", "age", "Age.", 15, 100)

    with pytest.raises(TypeError, match=re.escape(
            "Optional.cap: an optional dollars input arrives as decimal.Decimal | None")):
        @calculator_inputs
        class Optional:
            cap: Decimal = ask("Cap", "dollars", "Cap.", 0, 10, required=False)

    @calculator_inputs
    class Good:
        year: int = ask("Year", "year", "Year.", 2000, 2100)

    def declare(**change):
        return Calculator(**{"name": "x", "title": "X", "form": Good, "compute": run,
                             "outputs": (Output("a", "A", "dollars", headline=True),),
                             "example": ("year", "2025")} | change)

    declare()
    for change, says in [
        ({"example": ("age", "50")}, "example changes 'age', which is not an input"),
        ({"outputs": (Output("a", "A", "dollars"),)}, "exactly one headline"),
        ({"outputs": (Output("a", "A", "dollars", headline=True),
                      Output("c", "C", "chart", source="a"))}, "which is not a table output"),
        ({"extras": ("a",)}, "output names repeat"),
        ({"extras": ("warnings",)}, "clash with"),
    ]:
        with pytest.raises(TypeError, match=re.escape(says)):
            declare(**change)


# --- After-tax space invariants -------------------------------------------------------

money = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False,
                    allow_infinity=False)
space_inputs = st.fixed_dictionaries({
    "year": st.sampled_from(YEARS),
    "age": st.integers(min_value=15, max_value=100),
    "compensation": money,
    "elective_deferrals": st.decimals(min_value=0, max_value=60_000, places=2),
    "employer_contributions": st.decimals(min_value=0, max_value=80_000, places=2),
}, optional={
    "after_tax_cap": money,
    "after_tax_cap_percent": st.decimals(min_value=0, max_value=100, places=2),
    "pay_periods_remaining": st.integers(min_value=1, max_value=366),
})


def space(raw):
    return run("after-tax-space", {k: str(v) for k, v in raw.items()})


@SETTINGS
@given(space_inputs)
def test_after_tax_room_is_never_negative_and_additions_stay_within_415c(raw):
    r = space(raw)
    year = LIMITS.for_year(raw["year"])
    assert r["after_tax_room"] >= 0
    limit = min(Decimal(year.annual_additions_limit), raw["compensation"])
    # Deferrals past the age's limit are refunded by April 15: not annual additions (rule 3).
    kept = min(raw["elective_deferrals"], year.deferral_limit(raw["age"]))
    counted = kept - Decimal(str(r["catch_up_used"]))
    already = counted + raw["employer_contributions"]
    if already <= limit:
        # deferrals (less catch-up) + employer + room never pass the 415(c) limit
        assert already + Decimal(str(r["after_tax_room"])) <= limit


@SETTINGS
@given(space_inputs, st.decimals(min_value=0, max_value=50_000, places=2))
def test_more_employer_money_never_increases_the_room(raw, extra):
    more = raw | {"employer_contributions": raw["employer_contributions"] + extra}
    assert space(more)["after_tax_room"] <= space(raw)["after_tax_room"]


@SETTINGS
@given(space_inputs)
def test_deferrals_beyond_the_ages_limit_are_refunded_and_never_change_the_room(raw):
    # The excess is refunded by April 15 (as the warning advises): not an annual addition.
    allowed = LIMITS.for_year(raw["year"]).deferral_limit(raw["age"])
    kept = raw | {"elective_deferrals": min(raw["elective_deferrals"], allowed)}
    assert space(raw)["after_tax_room"] == space(kept)["after_tax_room"]


@SETTINGS
@given(space_inputs)
def test_catch_up_used_never_exceeds_the_ages_limit(raw):
    r = space(raw)
    assert 0 <= r["catch_up_used"] <= LIMITS.for_year(raw["year"]).catch_up_limit(raw["age"])


@SETTINGS
@given(space_inputs)
def test_additions_pass_415c_only_once_the_whole_catch_up_is_used(raw):
    # Rule 1: deferrals above 402(g), then above 415(c), are catch-up up to the age's limit
    # (Treas. Reg. 1.414(v)-1(b)). So an excess the plan must correct is left only when
    # the catch-up is used up (or all the deferrals are catch-up); and the catch-up is never
    # more than the deferrals above the two limits.
    r = space(raw)
    year = LIMITS.for_year(raw["year"])
    kept = min(raw["elective_deferrals"], year.deferral_limit(raw["age"]))
    limit = min(Decimal(year.annual_additions_limit), raw["compensation"])
    used = Decimal(str(r["catch_up_used"]))
    counted = kept - used + raw["employer_contributions"]
    if counted > limit:
        assert used == min(Decimal(year.catch_up_limit(raw["age"])), kept)
    above_402g = max(Decimal(0), kept - year.elective_deferral_limit)
    assert used <= above_402g + max(Decimal(0), kept + raw["employer_contributions"] - limit)


# --- Backdoor Roth IRA invariant -------------------------------------------------------

@SETTINGS
@given(st.fixed_dictionaries({
    "nondeductible_contribution": money, "prior_basis": money, "conversion_amount": money,
    "year_end_ira_balance": money, "other_distributions": money,
}))
def test_taxable_plus_nontaxable_equals_the_conversion(raw):
    r = run("backdoor-roth-ira", {k: str(v) for k, v in raw.items()})
    total = Decimal(str(r["taxable_amount"])) + Decimal(str(r["nontaxable_amount"]))
    assert total == raw["conversion_amount"]
    assert r["taxable_amount"] >= 0 and r["nontaxable_amount"] >= 0


# --- Conversion timing invariant -------------------------------------------------------

@SETTINGS
@given(st.fixed_dictionaries({
    "year": st.sampled_from(YEARS),
    "after_tax_per_period": st.decimals(min_value=1, max_value=5_000, places=2),
    "pay_frequency": st.sampled_from(["weekly", "biweekly", "semimonthly", "monthly"]),
    "annual_return": st.decimals(min_value=-50, max_value=50, places=2),
    "conversion_frequency": st.sampled_from(["paycheck", "monthly", "quarterly", "yearly",
                                             "never"]),
    "marginal_rate": st.decimals(min_value=0, max_value=60, places=2),
    "years": st.integers(min_value=1, max_value=5),
}))
def test_tax_saved_is_never_tax_less_the_choices_tax_and_never_saves_nothing(raw):
    r = run("conversion-timing", {k: str(v) for k, v in raw.items()})
    saved = Decimal(str(r["never_tax"])) - Decimal(str(r["total_tax"]))
    assert Decimal(str(r["tax_saved"])) == saved
    if raw["conversion_frequency"] == "never":
        assert r["tax_saved"] == 0 and r["total_tax"] == r["never_tax"]


# --- Paycheck planner invariants -------------------------------------------------------

MOST_PAYCHECKS = {"weekly": 53, "biweekly": 27, "semimonthly": 24, "monthly": 12}
planner_inputs = st.fixed_dictionaries({
    "year": st.sampled_from(YEARS),
    "age": st.integers(min_value=15, max_value=100),
    "pay_frequency": st.sampled_from(list(MOST_PAYCHECKS)),
    "pay_per_period": st.decimals(min_value=1, max_value=40_000, places=2),
    "periods_paid": st.integers(min_value=0, max_value=53),
    "periods_remaining": st.integers(min_value=1, max_value=53),
    "ytd_deferrals": st.decimals(min_value=0, max_value=60_000, places=2),
    "ytd_after_tax": st.decimals(min_value=0, max_value=20_000, places=2),
    "ytd_match": st.decimals(min_value=0, max_value=20_000, places=2),
    "match_rate_1": st.decimals(min_value=0, max_value=200, places=2),
    "match_limit_1": st.decimals(min_value=0, max_value=10, places=2),
    "match_rate_2": st.decimals(min_value=0, max_value=200, places=2),
    "match_limit_2": st.decimals(min_value=0, max_value=10, places=2),
    "true_up": st.booleans(),
    "after_tax_matched": st.booleans(),
}, optional={
    "other_plan_deferrals": st.decimals(min_value=0, max_value=40_000, places=2),
    "take_home_percent": st.decimals(min_value=0, max_value=100, places=2),
})


def planner(raw):
    return run("paycheck-planner", {k: v if isinstance(v, bool) else str(v)
                                    for k, v in raw.items()})


@SETTINGS
@given(planner_inputs)
def test_planner_accepts_no_more_paychecks_than_the_schedule_can_have(raw):
    total = raw["periods_paid"] + raw["periods_remaining"]
    try:
        planner(raw)
    except InputError as error:
        assert error.field == "periods_remaining"
        assert total > MOST_PAYCHECKS[raw["pay_frequency"]]
    else:
        assert total <= MOST_PAYCHECKS[raw["pay_frequency"]]


@SETTINGS
@given(planner_inputs, st.decimals(min_value=5_000, max_value=40_000, places=2))
def test_planner_reaches_the_415c_limit_to_the_cent_when_paychecks_can_carry_it(raw, pay):
    # No catch-up, no excess and no matched after-tax money, paychecks large enough:
    # deferrals + after-tax + match come to the 415(c) limit exactly (no cents short).
    raw = raw | {"age": 40, "ytd_after_tax": 0, "after_tax_matched": False,
                 "pay_per_period": pay, "other_plan_deferrals": 0}
    raw["periods_paid"] = min(raw["periods_paid"], MOST_PAYCHECKS[raw["pay_frequency"]] - 1)
    raw["periods_remaining"] = min(raw["periods_remaining"],
                                   MOST_PAYCHECKS[raw["pay_frequency"]] - raw["periods_paid"])
    year = LIMITS.for_year(raw["year"])
    raw["ytd_deferrals"] = min(raw["ytd_deferrals"], year.elective_deferral_limit)
    r = planner(raw)
    limit = min(year.annual_additions_limit, pay * (raw["periods_paid"] + raw["periods_remaining"]))
    # Paychecks that can carry it: a dollar or more is left on every check beyond FICA and
    # the take-home pay kept (rule 15).
    keep = pay * raw.get("take_home_percent", 25) / 100
    spare = Decimal(str(r["left_per_check"])) - keep
    if r["after_tax_per_check"] > 0 and spare >= 1:
        assert Decimal(str(r["projected_total"])) == limit


def fica_withheld(year, pay: Decimal, paid_before: Decimal) -> Decimal:
    """The test's own FICA on a paycheck (IRC 3101(a), (b)(1), (b)(2); 3102(f)): 6.2% up to
    the year's wage base, 1.45% on all of it, 0.9% above 200,000 of the year's wages."""
    def cent(x):
        return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    social = min(pay, max(Decimal(0), year.social_security_wage_base - paid_before))
    above = min(pay, max(Decimal(0), paid_before + pay - 200_000))
    return (cent(social * Decimal("0.062")) + cent(pay * Decimal("0.0145"))
            + cent(above * Decimal("0.009")))


@SETTINGS
@given(planner_inputs)
def test_planner_never_plans_more_than_a_paycheck_can_pay_after_fica_and_take_home(raw):
    # Rule 15: on every remaining check, deferral + after-tax + FICA + the take-home pay
    # kept fit in the pay; if even FICA and take-home use it all, nothing is proposed.
    try:
        r = planner(raw)
    except InputError:
        return
    year = LIMITS.for_year(raw["year"])
    pay = raw["pay_per_period"]
    keep = (pay * raw.get("take_home_percent", 25) / 100).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)
    each = Decimal(str(r["deferral_per_check"])) + Decimal(str(r["after_tax_per_check"]))
    fica = [fica_withheld(year, pay, pay * (raw["periods_paid"] + k))
            for k in range(raw["periods_remaining"])]
    if each > 0:
        assert all(each + f + keep <= pay for f in fica)
        assert Decimal(str(r["left_per_check"])) >= keep
    # The least left is what the leanest check pays out, never more.
    assert Decimal(str(r["left_per_check"])) <= min(pay - f for f in fica) - each


def may_keep(raw) -> Decimal:
    """The deferrals the person may keep in this plan this year (the rest is refunded)."""
    year = LIMITS.for_year(raw["year"])
    return max(Decimal(0), year.deferral_limit(raw["age"]) - raw.get("other_plan_deferrals", 0))


@SETTINGS
@given(planner_inputs)
def test_planner_counts_no_deferrals_above_the_ones_the_person_may_keep(raw):
    try:
        r = planner(raw)
    except InputError:
        return
    assert Decimal(str(r["projected_deferrals"])) <= may_keep(raw)


@SETTINGS
@given(planner_inputs, st.decimals(min_value=0, max_value=80_000, places=2))
def test_employer_money_in_other_plans_never_raises_the_after_tax_planned(raw, other):
    # It shares the one 415(c) limit (IRC 415(f)(1)(B)): the year's after-tax money can only
    # shrink.
    try:
        without = planner(raw)
    except InputError:
        return
    with_other = planner(raw | {"other_employer_contributions": other})
    assert with_other["projected_after_tax"] <= without["projected_after_tax"]


@SETTINGS
@given(planner_inputs)
def test_deferrals_refunded_as_excess_never_earn_match(raw):
    # Rule 3 and IRC 411(a)(3)(G): the match follows the deferrals kept. With deferrals so
    # far above what may be kept, the year's match is never more than with only the kept
    # deferrals made (and the same match paid so far).
    try:
        r = planner(raw)
    except InputError:
        return
    if raw["ytd_deferrals"] > may_keep(raw):
        kept = planner(raw | {"ytd_deferrals": may_keep(raw)})
        assert r["projected_match"] <= kept["projected_match"]


# --- Leaving an employer invariant -----------------------------------------------------

@SETTINGS
@given(st.fixed_dictionaries({
    "year": st.sampled_from(YEARS),
    "pretax_balance": st.decimals(min_value=0, max_value=500, places=2) | money,
    "roth_balance": st.decimals(min_value=0, max_value=500, places=2) | money,
    "roth_earnings": st.decimals(min_value=0, max_value=500, places=2),
    "roth_qualified": st.booleans(),
    "after_tax_basis": st.decimals(min_value=0, max_value=500, places=2) | money,
    "after_tax_earnings": st.decimals(min_value=0, max_value=500, places=2),
    "age": st.integers(min_value=15, max_value=120),
    "public_safety": st.sampled_from(["no", "governmental", "federal", "private_firefighter"]),
    "years_of_service": st.integers(min_value=0, max_value=70),
    "federal_rate": st.decimals(min_value=0, max_value=60, places=2),
    "state_rate": st.decimals(min_value=0, max_value=20, places=2),
}))
def test_withholding_and_the_10_percent_additional_tax_follow_their_exceptions(raw):
    r = run("leaving-employer", {k: v if isinstance(v, bool) else str(v) for k, v in raw.items()})
    (cash,) = [o for o in r["options"] if o["option"] == "Cash it out"]
    paid = (raw["pretax_balance"] + raw["roth_balance"] + raw["after_tax_basis"]
            + raw["after_tax_earnings"])
    # The after-tax basis and Roth contributions are never withheld on.
    not_withheld_on = raw["after_tax_basis"] + max(0, raw["roth_balance"] - raw["roth_earnings"])
    assert Decimal(str(cash["withholding"])) <= (paid - not_withheld_on) * Decimal("0.2") + Decimal("0.01")
    if paid < 200:
        assert cash["withholding"] == 0
    # Leaving frees this plan's money of the 10%: at 55, or for public safety at 50 or
    # after 25 years of service under the plan.
    public_safety = raw["public_safety"] != "no"
    exempt = raw["age"] >= 55 or (public_safety and (
        raw["age"] >= 50 or raw["years_of_service"] >= 25))
    roth_taxable = 0 if raw["roth_qualified"] else min(raw["roth_earnings"], raw["roth_balance"])
    taxable = raw["pretax_balance"] + raw["after_tax_earnings"] + roth_taxable
    expected = 0 if exempt else (taxable / 10).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(str(cash["additional_tax"])) == expected
    # No recent in-plan conversions entered (402A(c)(4)(D)): nothing added for them.
    assert r["conversion_recapture"] == 0


@SETTINGS
@given(st.fixed_dictionaries({
    "year": st.sampled_from(YEARS),
    "pretax_balance": money, "roth_balance": money,
    "roth_earnings": st.decimals(min_value=0, max_value=50_000, places=2),
    "roth_qualified": st.booleans(),
    "after_tax_basis": money, "after_tax_earnings": money,
    "age": st.integers(min_value=15, max_value=120),
    "public_safety": st.just("no"),
    "federal_rate": st.decimals(min_value=0, max_value=60, places=2),
    "state_rate": st.decimals(min_value=0, max_value=20, places=2),
}), st.fractions(min_value=0, max_value=1), st.sampled_from(["whole_account", "after_tax"]))
def test_a_payout_is_made_of_its_parts_and_the_rest_stays_in_the_plan(raw, share, source):
    # IRC 72(e)(8): the parts of a payout add up to it, each kind's share is at most what
    # the account holds, and paid out + stays = the balance. Nothing is ever taxed more
    # than a payout of everything, and withholding is at most 20% of the taxable part.
    total = sum(raw[k] for k in ("pretax_balance", "roth_balance", "after_tax_basis",
                                 "after_tax_earnings"))
    base = raw["after_tax_basis"] + raw["after_tax_earnings"] if source == "after_tax" else total
    payout = (base * Decimal(share.numerator) / Decimal(share.denominator)).quantize(
        Decimal("0.01"), rounding="ROUND_DOWN")
    if payout <= 0:
        return
    plain = {k: v if isinstance(v, bool) else str(v) for k, v in raw.items()}
    r = run("leaving-employer", plain | {"payout": str(payout), "payout_source": source})
    paid = {row["part"]: Decimal(str(row["paid_out"])) for row in r["payout_parts"]}
    kinds = ("Pre-tax money", "After-tax contributions (basis)",
             "Earnings on after-tax contributions", "Roth 401(k) money")
    assert sum(paid[k] for k in kinds) == payout == Decimal(str(r["paid_out"]))
    assert Decimal(str(r["stays_in_plan"])) == total - payout
    for row in r["payout_parts"]:
        assert row["paid_out"] >= 0 and row["stays"] >= 0
    (cash,) = [o for o in r["options"] if o["option"] == "Cash it out"]
    (whole,) = [o for o in run("leaving-employer", plain)["options"]
                if o["option"] == "Cash it out"]
    assert cash["tax_now"] <= whole["tax_now"] + 0.01
    taxable = paid["Pre-tax money"] + paid["Earnings on after-tax contributions"] + (
        0 if raw["roth_qualified"] else paid["of which Roth earnings"])
    assert Decimal(str(cash["withholding"])) <= taxable * Decimal("0.2") + Decimal("0.01")


# --- The rules reference the code cites ------------------------------------------------

def test_every_rule_the_code_cites_is_in_calculators_rules_md():
    from .helpers import ROOT

    rules_md = (ROOT / "calculators/RULES.md").read_text(encoding="utf-8")
    headings = {int(n) for n in re.findall(r"^### Rule (\d+)\. ", rules_md, flags=re.M)}
    assert headings == set(range(1, 16))
    assert all(f"**{letter}.**" in rules_md for letter in "ABCDEFGH")
    cited: set[int] = set()
    sources = [*(ROOT / "calculators").glob("*.py"), *(ROOT / "tests").glob("test_*.py")]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        # every mention of the file is of this one, by its path
        assert not re.search(r"(?<!calculators/)RULES\.md", text), path.name
        for found in re.finditer(r"calculators/RULES\.md section 2, rules? ([\d ,toand]+)", text):
            spec = found.group(1)
            for low, high in re.findall(r"(\d+) to (\d+)", spec):
                cited |= set(range(int(low), int(high) + 1))
            cited |= {int(n) for n in re.findall(r"\d+", spec)}
    assert cited and cited <= headings
