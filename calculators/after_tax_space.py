"""After-tax space: how much a participant can add after tax (the Mega Backdoor room).

Rules (see calculators/RULES.md section 2, rules 1 to 7):
- 415(c) caps annual additions at the lesser of the year's dollar limit and 100%
  of compensation; catch-up contributions are not annual additions
  (IRC 414(v)(3)(A)), so they never shrink the after-tax room, and unused
  catch-up room never adds to it. Deferrals above 402(g), and then above 415(c), are
  catch-up, up to the age's catch-up limit (Treas. Reg. 1.414(v)-1(b)).
- The 415(c) limit covers every defined-contribution plan of the employer and of its
  controlled group (IRC 415(f)(1)(B), 415(h), 414(b) and (c)), and reallocated
  forfeitures count toward it (415(c)(2)): the employer contributions are all of these.
- The room is then capped by any plan limit on after-tax contributions; a
  percent-of-pay cap applies to pay up to the 401(a)(17) limit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from .calculator import Calculator, ask, calculator_inputs
from .fields import Output
from .limits import Limits, YearLimits
from .money import cents, cents_down, dollars


@calculator_inputs
class Inputs:
    year: int = ask("Tax year", "year", "The tax year whose IRS limits apply.", 2000, 2100)
    age: int = ask(
        "Age on December 31", "age",
        "Your age at the end of the tax year. Catch-up contributions start at 50; "
        "a larger one applies at 60 to 63 in the years the law provides it.",
        15, 100, default=40)
    compensation: Decimal = ask(
        "Pay from this employer", "dollars",
        "Your yearly pay from this employer, before any 401(k) deferrals.",
        0, 100_000_000, default=200_000)
    elective_deferrals: Decimal = ask(
        "Elective deferrals (pre-tax + Roth)", "dollars",
        "What you defer from pay as pre-tax or Roth 401(k) contributions in the tax year, "
        "including any catch-up.",
        0, 10_000_000, default=lambda limits: limits.elective_deferral_limit)
    employer_contributions: Decimal = ask(
        "Employer contributions", "dollars",
        "Everything your employer puts in for you for the year: match, true-up, profit "
        "sharing, contributions made for all staff and forfeitures given to you. Count every "
        "defined-contribution plan of this employer and of companies under common control "
        "with it, such as a separate profit-sharing, money-purchase or ESOP plan: they all "
        "share one 415(c) limit.",
        0, 10_000_000, default=6_000)
    after_tax_cap: Decimal | None = ask(
        "Plan cap on after-tax contributions, in dollars", "dollars",
        "Leave empty if your plan sets no dollar cap.", 0, 10_000_000, required=False)
    after_tax_cap_percent: Decimal | None = ask(
        "Plan cap on after-tax contributions, as % of pay", "percent",
        "Leave empty if your plan sets no percent-of-pay cap.", 0, 100, required=False)
    prior_year_fica_wages: Decimal | None = ask(
        "FICA wages from this employer in the year before", "dollars",
        "Box 3 of the W-2 from this employer for the year before the tax year; 0 if it paid "
        "you no wages that year (a partner paid only a share of profits, or a new hire). "
        "Decides whether catch-ups must be Roth and hints whether you are a highly "
        "compensated employee. Leave empty if unsure.",
        0, 100_000_000, required=False)
    pay_periods_remaining: int | None = ask(
        "Paychecks left in the tax year", "count",
        "Fill in to see the after-tax amount to contribute from each paycheck.",
        1, 366, required=False)


@dataclass(frozen=True)
class Result:
    after_tax_room: Decimal
    annual_additions_limit: Decimal
    catch_up_used: Decimal
    total_contributions: Decimal
    per_paycheck_after_tax: Decimal | None
    irs_room: Decimal
    plan_cap: Decimal | None
    room_if_catch_up_counted: Decimal
    warnings: tuple[str, ...]


def calculate(
    inputs: Inputs, limits: YearLimits, prior_year_hce_threshold: int | None = None
) -> Result:
    # Rules 1 to 3: the deferrals that stay, the 415(c) limit, the catch-up (see _catch_up).
    deferrals, additions_limit, above_402g, above_415c = _catch_up(inputs, limits)
    catch_up_used = above_402g + above_415c
    # Catch-up is not an annual addition (414(v)(3)(A)); the rest already uses 415(c) room.
    counted_additions = deferrals - catch_up_used + inputs.employer_contributions
    irs_room = max(Decimal(0), additions_limit - counted_additions)
    # The common mistake, kept only so the guide can show it beside the right answer:
    # subtracting all deferrals, catch-up included, from the 415(c) limit.
    mistaken_room = max(
        Decimal(0), additions_limit - deferrals - inputs.employer_contributions
    )
    plan_cap = _plan_cap(inputs, limits)
    room = irs_room if plan_cap is None else min(irs_room, plan_cap)
    per_paycheck = None
    if inputs.pay_periods_remaining:
        # Rounded down so the paychecks never add up to more than the room.
        per_paycheck = cents_down(room / inputs.pay_periods_remaining)
    return Result(
        after_tax_room=cents(room),
        annual_additions_limit=cents(additions_limit),
        catch_up_used=cents(catch_up_used),
        total_contributions=cents(deferrals + inputs.employer_contributions + room),
        per_paycheck_after_tax=per_paycheck,
        irs_room=cents(irs_room),
        plan_cap=plan_cap,
        room_if_catch_up_counted=cents(mistaken_room),
        warnings=tuple(_warnings(inputs, limits, catch_up_used, counted_additions,
                                 additions_limit, room, prior_year_hce_threshold)),
    )


def _catch_up(inputs: Inputs, limits: YearLimits) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """The deferrals kept, the 415(c) limit, and the catch-up above 402(g) and above 415(c).

    Rule 3: deferrals above the age's limit are refunded by April 15 (the warning says
    so), and a timely refund is not an annual addition (Treas. Reg. 1.415(c)-1(b)(2)(ii)):
    only the deferrals that stay count. Rule 2: 415(c) is the lesser of the dollar limit
    and 100% of compensation. Rule 1: for someone old enough, deferrals above any
    statutory limit are catch-up (Treas. Reg. 1.414(v)-1(b)(1)(i)): first those above
    402(g); then, if the deferrals left and the employer's money still pass the 415(c)
    limit, the deferrals above it (1.414(v)-1(b)(2)(i)), up to the catch-up not yet used.
    """
    deferrals = min(inputs.elective_deferrals, Decimal(limits.deferral_limit(inputs.age)))
    additions_limit = min(Decimal(limits.annual_additions_limit), inputs.compensation)
    allowed = Decimal(limits.catch_up_limit(inputs.age))
    above_402g = min(max(Decimal(0), deferrals - limits.elective_deferral_limit), allowed)
    over_415c = deferrals - above_402g + inputs.employer_contributions - additions_limit
    above_415c = min(max(Decimal(0), over_415c), allowed - above_402g, deferrals - above_402g)
    return deferrals, additions_limit, above_402g, above_415c


def _plan_cap(inputs: Inputs, limits: YearLimits) -> Decimal | None:
    caps = []
    if inputs.after_tax_cap is not None:
        caps.append(inputs.after_tax_cap)
    if inputs.after_tax_cap_percent is not None:
        # Rule 5: plan formulas use at most the 401(a)(17) compensation limit.
        plan_pay = min(inputs.compensation, Decimal(limits.compensation_limit))
        caps.append(cents_down(plan_pay * inputs.after_tax_cap_percent / 100))
    return min(caps) if caps else None


def _warnings(
    inputs: Inputs,
    limits: YearLimits,
    catch_up_used: Decimal,
    counted_additions: Decimal,
    additions_limit: Decimal,
    room: Decimal,
    prior_year_hce_threshold: int | None,
) -> list[str]:
    warnings = []
    allowed = limits.deferral_limit(inputs.age)
    if inputs.elective_deferrals > allowed:
        warnings.append(
            f"Your elective deferrals of {dollars(inputs.elective_deferrals)} are above the "
            f"{dollars(allowed)} allowed at age {inputs.age} in {inputs.year}. The excess "
            f"({dollars(inputs.elective_deferrals - allowed)}) must be paid back to you by "
            f"April 15, {inputs.year + 1}, or it is taxed twice. These figures assume that refund: "
            "refunded in time, it does not count toward 415(c) (Treas. Reg. "
            "1.415(c)-1(b)(2)(ii))."
        )
    if counted_additions > additions_limit:
        which = ("your pay" if inputs.compensation < limits.annual_additions_limit
                 else f"the {inputs.year} dollar limit")
        warnings.append(
            f"Your deferrals (not counting catch-up) and employer contributions come to "
            f"{dollars(counted_additions)}, more than {which} ({dollars(additions_limit)}), the "
            "most that can go in under 415(c). The plan has to correct the excess "
            f"({dollars(counted_additions - additions_limit)}), and there is no room for "
            "after-tax money."
        )
    return warnings + plan_warnings(inputs, limits, catch_up_used, room > 0,
                                    prior_year_hce_threshold)


def plan_warnings(
    inputs: Inputs,
    limits: YearLimits,
    catch_up_used: Decimal,
    makes_after_tax: bool,
    prior_year_hce_threshold: int | None,
) -> list[str]:
    """What the plan and the law may still change: catch-up above 415(c), the 60-63
    catch-up, Roth catch-ups, ACP."""
    warnings = []
    _, additions_limit, _, above_415c = _catch_up(inputs, limits)
    if above_415c > 0:
        warnings.append(
            f"{dollars(above_415c)} of your deferrals are catch-up contributions because, with "
            f"your employer's money, they pass the 415(c) limit ({dollars(additions_limit)}): "
            f"at {inputs.age}, deferrals above any IRS limit count as catch-up, up to the "
            "catch-up limit (Treas. Reg. 1.414(v)-1(b)). Catch-up does not count toward "
            "415(c), so the plan need not correct that part."
        )
    if catch_up_used > limits.catch_up_50_plus:
        warnings.append(
            f"This uses the age 60 to 63 catch-up of {dollars(limits.catch_up_limit(inputs.age))}. "
            "Plans do not have to offer it: check that yours does."
        )
    warnings.extend(_roth_catch_up_warning(inputs, limits, catch_up_used))
    if makes_after_tax:
        warnings.append(_acp_warning(inputs, prior_year_hce_threshold))
    return warnings


def _roth_catch_up_warning(
    inputs: Inputs, limits: YearLimits, catch_up_used: Decimal
) -> list[str]:
    """Rule 7: catch-ups must be Roth for someone whose FICA wages from this employer in
    the year before were above the year's threshold (IRC 414(v)(7); Treas. Reg.
    1.414(v)-2). Not above it, or no FICA wages from this employer that year (a partner
    paid only a share of profits): the rule does not apply. A year whose threshold is
    `false` in the limits file did not enforce it (Notice 2023-62). The tax character of
    the catch-up changes, never the 415(c) arithmetic, so the room is the same."""
    threshold = limits.roth_catch_up_wage_threshold
    if threshold is None or catch_up_used <= 0:
        return []
    wages_year = inputs.year - 1
    must_be_roth = (
        f"your catch-up of {dollars(catch_up_used)} must be made as Roth contributions "
        "(IRC 414(v)(7); Treas. Reg. 1.414(v)-2). If the plan has no Roth option, you cannot "
        "make catch-ups at all. The plan may treat a pre-tax catch-up election as Roth for "
        "you (a deemed Roth election) unless you opt out. This changes how the catch-up is "
        "taxed, not your after-tax room."
    )
    if inputs.prior_year_fica_wages is None:
        return [
            f"If your {wages_year} FICA wages from this employer (W-2 box 3) were above "
            f"{dollars(threshold)}, {must_be_roth} If this employer paid you no FICA wages in "
            f"{wages_year} (for example, a partner paid only a share of profits), the rule "
            "does not apply to you."
        ]
    if inputs.prior_year_fica_wages > threshold:
        return [
            f"Your {wages_year} FICA wages from this employer were above {dollars(threshold)}, "
            f"so {must_be_roth}"
        ]
    return []


def _acp_warning(inputs: Inputs, threshold: int | None) -> str:
    tested = (
        "After-tax contributions are tested every year (the ACP test), even in safe-harbor "
        "plans, and a highly compensated employee may get part of them refunded after the "
        "year ends."
    )
    if threshold is None:
        return tested + " You are one if you own more than 5% of the employer or earned above "\
            f"the IRS threshold in {inputs.year - 1}."
    who = (
        f"You are one if you own more than 5% of the employer or your {inputs.year - 1} pay "
        f"was above {dollars(threshold)}."
    )
    pay = inputs.prior_year_fica_wages
    if pay is not None and pay > threshold:
        who = f"Your {inputs.year - 1} pay was above {dollars(threshold)}, so you likely are one."
    return f"{tested} {who}"


def prior_year_hce_threshold(limits: Limits, year: int) -> int | None:
    """HCE status looks back: last year's pay against the threshold in force last year
    (None when the limits file does not have last year)."""
    lookback = limits.by_year.get(year - 1)
    return lookback.hce_threshold if lookback else None


def run(inputs: Inputs, limits: Limits) -> dict[str, Any]:
    """The result for validated inputs: every field of Result, and the year."""
    result = calculate(inputs, limits.for_year(inputs.year),
                       prior_year_hce_threshold(limits, inputs.year))
    return {"year": inputs.year, **asdict(result)}


CALCULATOR = Calculator(
    name="after-tax-space",
    title="After-tax space calculator",
    form=Inputs,
    outputs=(
        Output("after_tax_room", "After-tax room", "dollars", headline=True),
        Output("per_paycheck_after_tax", "After-tax contribution per paycheck", "dollars"),
        Output("annual_additions_limit",
               "Your 415(c) limit (lesser of the dollar limit and pay)", "dollars"),
        Output("catch_up_used", "Catch-up used (outside the 415(c) limit)", "dollars"),
        Output("total_contributions", "Total for the year if you use the room", "dollars"),
    ),
    # The pages set the common mistake beside the right answer, and show the plan's cap.
    extras=("irs_room", "plan_cap", "room_if_catch_up_counted"),
    compute=run,
    example=("employer_contributions", "10000"),
)
