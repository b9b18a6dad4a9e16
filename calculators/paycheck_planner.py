"""Paycheck planner: the elections per remaining paycheck that reach the year's limits
evenly, or as near as the paychecks can pay, the employer match they earn, and what is
lost without a true-up.

Rules (calculators/RULES.md section 2, rules 1 to 7 and 15):
- Deferrals aim at 402(g) plus the age's catch-up (one limit per person).
- After-tax contributions fill the 415(c) room left by deferrals (less catch-up) and
  employer money (the match, and any other money of the employer's defined-contribution
  plans: IRC 415(f)(1)(B), 415(c)(2)), worked out by the after-tax space calculator; if
  the plan matches after-tax money, that match uses room too.
- A match formula uses pay only up to the 401(a)(17) limit. Matched paycheck by
  paycheck, a contribution that stops early (because a limit was reached) stops the
  match; a true-up after year end pays the formula on the whole year's pay.
- No paycheck gives the plan more than is left of it after FICA (contributions are FICA
  wages, IRC 3121(v)(1)(A)) and the take-home pay the reader keeps; when the limits
  cannot be reached within that, the plan is the largest that fits, and it says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from . import after_tax_space
from .calculator import Calculator, ask, calculator_inputs
from .conversion_timing import PAY_FREQUENCIES, PAY_FREQUENCY_CHOICES
from .fica import paycheck_fica
from .fields import InputError, Output
from .limits import Limits, YearLimits
from .money import CENT, cents, cents_down, dollars, percent

# Take-home pay kept from each paycheck unless the reader says otherwise: enough, for most
# people who can afford after-tax savings at all, to cover the income tax withheld on pay
# (Roth and after-tax contributions do not lower it) and the usual benefit deductions. A
# choice of this guide, not a rule of law; the reader sets what they need.
DEFAULT_TAKE_HOME_PERCENT = 25


@calculator_inputs
class Inputs:
    year: int = ask(
        "Tax year", "year", "The tax year whose IRS limits apply.", 2000, 2100)
    age: int = ask(
        "Age on December 31", "age", "Catch-up contributions start at 50.", 15, 100,
        default=40)
    pay_frequency: str = ask(
        "How often you are paid", "choice", "Your pay schedule.",
        default="biweekly", choices=PAY_FREQUENCY_CHOICES)
    pay_per_period: Decimal = ask(
        "Pay per paycheck, before deductions", "dollars",
        "Gross pay from this employer on each paycheck.", 1, 10_000_000, default=8_000)
    periods_paid: int = ask(
        "Paychecks already paid in the tax year", "count",
        "Paychecks received so far in the tax year chosen above.", 0, 53, default=10)
    periods_remaining: int = ask(
        "Paychecks left in the tax year", "count",
        "Paychecks still to come in the tax year, including the next one.", 1, 53,
        default=16)
    ytd_deferrals: Decimal = ask(
        "Deferrals so far in this plan (pre-tax + Roth)", "dollars",
        "From your latest pay stub: year-to-date 401(k) deferrals in this employer's plan.",
        0, 10_000_000, default=8_000)
    other_plan_deferrals: Decimal | None = ask(
        "Deferrals in the tax year in other employers' plans", "dollars",
        "If you changed jobs in the tax year: they share your one deferral limit, but not this "
        "plan's 415(c) limit.", 0, 10_000_000, required=False)
    ytd_after_tax: Decimal = ask(
        "After-tax contributions so far", "dollars",
        "Year-to-date after-tax (not Roth) contributions to this plan.", 0, 10_000_000,
        default=0)
    ytd_match: Decimal = ask(
        "Employer match so far", "dollars",
        "Year-to-date employer match in this plan.", 0, 10_000_000, default=3_200)
    other_employer_contributions: Decimal | None = ask(
        "Other employer money for the year", "dollars",
        "Employer money other than the match, for the whole year: profit sharing, "
        "contributions for all staff, forfeitures given to you, and contributions to any "
        "other defined-contribution plan of this employer or a company under common "
        "control with it (an ESOP, a money-purchase or profit-sharing plan). It shares this "
        "plan's 415(c) limit.", 0, 10_000_000, required=False)
    match_rate_1: Decimal = ask(
        "Match: the employer adds", "percent",
        "First tier of the formula, e.g. 100% of what you put in...", 0, 200, default=100)
    match_limit_1: Decimal = ask(
        "...on the first part of pay", "percent",
        "...up to this percent of your pay.", 0, 100, default=3)
    match_rate_2: Decimal = ask(
        "Second tier: the employer adds", "percent",
        "e.g. 50% of what you put in... Zero if there is no second tier.", 0, 200,
        default=50)
    match_limit_2: Decimal = ask(
        "...on the next part of pay", "percent",
        "...on the next this-many percent of pay.", 0, 100, default=2)
    true_up: bool = ask(
        "Does the plan true up the match?", "yesno",
        "A true-up after year end pays any match missed because contributions stopped early.",
        default="no")
    after_tax_matched: bool = ask(
        "Are after-tax contributions matched?", "yesno",
        "Some plans count after-tax contributions in the match formula.", default="no")
    take_home_percent: Decimal | None = ask(
        "Take-home pay to keep, as % of each paycheck", "percent",
        "The least each paycheck must still pay out after FICA (Social Security and Medicare "
        "tax, taken on every contribution too) and your contributions: enough for income-tax "
        "withholding, which Roth and after-tax contributions do not lower, other deductions "
        "and what you live on. The planner never proposes more than the paycheck can pay. "
        f"Left empty: {DEFAULT_TAKE_HOME_PERCENT}%.",
        0, 100, default=DEFAULT_TAKE_HOME_PERCENT, required=False)
    current_deferral_percent: Decimal | None = ask(
        "Your current deferral election", "percent",
        "Optional: to see when your current election would reach the limit.", 0, 100,
        required=False)

    @property
    def keep_percent(self) -> Decimal:
        """The take-home pay kept, as a percent of each paycheck (rule 15)."""
        if self.take_home_percent is None:
            return Decimal(DEFAULT_TAKE_HOME_PERCENT)
        return self.take_home_percent

    @property
    def year_pay(self) -> Decimal:
        """The year's pay from this employer, at the same pay on every check."""
        return self.pay_per_period * (self.periods_paid + self.periods_remaining)


@dataclass(frozen=True)
class Formula:
    rate_1: Decimal
    limit_1: Decimal
    rate_2: Decimal
    limit_2: Decimal

    def match(self, pay: Decimal, contributed: Decimal) -> Decimal:
        """Match on `contributed` out of `pay` (the pay the formula may use)."""
        first = min(contributed, pay * self.limit_1)
        second = min(max(Decimal(0), contributed - pay * self.limit_1), pay * self.limit_2)
        return self.rate_1 * first + self.rate_2 * second


def _deferral_target(i: Inputs, limits: YearLimits) -> Decimal:
    """What this plan may still take in deferrals for the year, counting other plans."""
    return Decimal(limits.deferral_limit(i.age)) - (i.other_plan_deferrals or 0)


def _formula(i: Inputs) -> Formula:
    return Formula(i.match_rate_1 / 100, i.match_limit_1 / 100,
                   i.match_rate_2 / 100, i.match_limit_2 / 100)


def _counted_pay(i: Inputs, limits: YearLimits, check: int) -> Decimal:
    """Pay of remaining paycheck `check` (1-based) that the formula may use (401(a)(17))."""
    paid_before = i.pay_per_period * (i.periods_paid + check - 1)
    return min(i.pay_per_period, max(Decimal(0), limits.compensation_limit - paid_before))


@dataclass(frozen=True)
class Match:
    """The year's match two ways: paycheck by paycheck, and on the whole year (a true-up)."""

    earned: Decimal
    full: Decimal

    def paid(self, true_up: bool) -> Decimal:
        # A true-up tops the match up to the whole-year formula; it never takes any back.
        return max(self.earned, self.full) if true_up else self.earned

    def lost(self, true_up: bool) -> Decimal:
        return Decimal(0) if true_up else max(Decimal(0), self.full - self.earned)


def _match(i: Inputs, limits: YearLimits, per_check: list[Decimal],
           year_matched: Decimal, forfeited: Decimal = Decimal(0)) -> Match:
    """`per_check`: what the formula matches on each remaining paycheck;
    `year_matched`: the same for the whole year, paid and remaining; `forfeited`: match
    already paid that the plan takes back (see _forfeited_match)."""
    formula = _formula(i)
    remaining = sum(
        (cents(formula.match(_counted_pay(i, limits, n), c)) for n, c in enumerate(per_check, 1)),
        Decimal(0),
    )
    year_pay = min(i.year_pay, Decimal(limits.compensation_limit))
    return Match(i.ytd_match - forfeited + remaining,
                 cents(formula.match(year_pay, year_matched)))


def _forfeited_match(i: Inputs, limits: YearLimits, kept: Decimal) -> Decimal:
    """Rule 3: the match already paid on deferrals that are to be refunded as excess.

    A plan may take back (forfeit) the match tied to a refunded excess deferral, even a
    vested one (IRC 411(a)(3)(G)), and plan documents generally do. Worked
    out as the formula's match on this year's deferrals so far, less its match on the
    `kept` ones, over the pay so far (up to 401(a)(17)); never more than the match paid.
    A plan that matches each paycheck may take back more; the warning says to ask.
    """
    if i.ytd_deferrals <= kept:
        return Decimal(0)
    formula = _formula(i)
    pay_so_far = min(i.pay_per_period * i.periods_paid, Decimal(limits.compensation_limit))
    after_tax = i.ytd_after_tax if i.after_tax_matched else Decimal(0)
    lost = (formula.match(pay_so_far, i.ytd_deferrals + after_tax)
            - formula.match(pay_so_far, kept + after_tax))
    return min(i.ytd_match, cents(max(Decimal(0), lost)))


# Most paydays a calendar year can hold. A weekly or biweekly schedule gets one extra
# payday in some years (52 weeks are 364 days); twice-a-month and monthly pay fall on
# fixed dates, so never more than 24 and 12. Fewer is fine: a job started or left mid-year.
MOST_PAYCHECKS = {"weekly": 53, "biweekly": 27, "semimonthly": 24, "monthly": 12}


def _check_periods(i: Inputs) -> None:
    most = MOST_PAYCHECKS[i.pay_frequency]
    if i.periods_paid + i.periods_remaining > most:
        extra = ("" if most > PAY_FREQUENCIES[i.pay_frequency]
                 else "; only weekly and biweekly pay can have an extra payday")
        raise InputError(
            "periods_remaining",
            f"paychecks paid plus remaining must be at most {most} for {i.pay_frequency} pay"
            f"{extra}, got {i.periods_paid} + {i.periods_remaining}",
        )


@dataclass(frozen=True)
class Paychecks:
    """What each remaining paycheck can give the plan (rule 15): its pay, less the FICA
    withheld on it (contributions are FICA wages, IRC 3121(v)(1)(A)) and the take-home pay
    the reader keeps."""

    pay: Decimal
    fica: tuple[Decimal, ...]  # on each remaining check, in order
    keep: Decimal

    @classmethod
    def of(cls, i: Inputs, limits: YearLimits) -> Paychecks:
        fica = tuple(paycheck_fica(i.pay_per_period, i.pay_per_period * (i.periods_paid + k),
                                   limits) for k in range(i.periods_remaining))
        return cls(i.pay_per_period, fica, cents(i.pay_per_period * i.keep_percent / 100))

    def most(self, check: int) -> Decimal:
        """Most remaining check `check` (0-based) can give the plan."""
        return max(Decimal(0), self.pay - self.fica[check] - self.keep)

    @property
    def most_on_every_check(self) -> Decimal:
        """What an even election may take: what the leanest check can give."""
        return min(self.most(k) for k in range(len(self.fica)))

    @property
    def most_on_last_check(self) -> Decimal:
        return self.most(len(self.fica) - 1)

    def least_left(self, each: Decimal, last_extra: Decimal) -> Decimal:
        """The least any remaining check pays out after FICA and `each` to the plan (the last
        check `last_extra` more)."""
        last = len(self.fica) - 1
        return min(self.pay - fica - each - (last_extra if k == last else 0)
                   for k, fica in enumerate(self.fica))


@dataclass(frozen=True)
class Plan:
    """The year with one after-tax election; `space` is that year as after-tax space sees it."""

    deferral_per_check: Decimal
    after_tax_per_check: Decimal
    deferrals: Decimal
    after_tax: Decimal
    match: Decimal
    match_lost: Decimal
    space_inputs: after_tax_space.Inputs
    space: after_tax_space.Result
    paychecks: Paychecks
    # Match paid so far on deferrals refunded as excess, taken back by the plan (rule 3).
    match_forfeited: Decimal
    # What the last check carries above the even amounts: the cents they leave over.
    last_deferral_extra: Decimal = Decimal(0)
    last_after_tax_extra: Decimal = Decimal(0)

    @property
    def fits(self) -> bool:
        return self.after_tax <= self.space.after_tax_room

    @property
    def least_left(self) -> Decimal:
        """The least a remaining check pays out after FICA and these elections."""
        return self.paychecks.least_left(
            self.deferral_per_check + self.after_tax_per_check,
            self.last_deferral_extra + self.last_after_tax_extra)

    @property
    def after_tax_short(self) -> Decimal:
        """After-tax room the paychecks cannot carry (rule 15), after what they can."""
        return max(Decimal(0), self.space.after_tax_room - self.after_tax)


def plan(i: Inputs, limits: YearLimits) -> Plan:
    n = i.periods_remaining
    # Rule 15: no check gives the plan more than is left of it after FICA and the take-home
    # pay kept; deferrals come first, after-tax money takes what remains.
    paychecks = Paychecks.of(i, limits)
    every, last = paychecks.most_on_every_check, paychecks.most_on_last_check
    left = max(Decimal(0), _deferral_target(i, limits) - i.ytd_deferrals)
    deferral = min(every, cents_down(left / n))
    # The cents that even checks cannot carry go on the last check.
    last_extra = min(left - deferral * n, last - deferral)
    made = i.ytd_deferrals + deferral * n + last_extra
    # Rule 3: deferrals already over the limit are to be refunded by April 15 (the warning
    # says so), here from this plan; refunded in time they are not annual additions (Treas.
    # Reg. 1.415(c)-1(b)(2)(ii)), so the year counts only what stays. The match follows the
    # deferrals that stay: a true-up matches only them, and the match already paid on the
    # refunded ones is taken back.
    deferrals = min(made, max(Decimal(0), _deferral_target(i, limits)))
    forfeited = _forfeited_match(i, limits, min(i.ytd_deferrals, deferrals))

    def outcome(after_tax: Decimal, last_after_tax: Decimal = Decimal(0)) -> Plan:
        """The year with `after_tax` on every remaining check, plus `last_after_tax`
        on the last one."""
        year_after_tax = i.ytd_after_tax + after_tax * n + last_after_tax
        matched = deferral + (after_tax if i.after_tax_matched else 0)
        checks = [matched] * n
        checks[-1] += last_extra + (last_after_tax if i.after_tax_matched else 0)
        match = _match(i, limits, checks,
                       deferrals + (year_after_tax if i.after_tax_matched else 0), forfeited)
        paid = match.paid(i.true_up)
        space_inputs = _space_inputs(i, deferrals, paid)
        return Plan(deferral, after_tax, deferrals, year_after_tax, paid, match.lost(i.true_up),
                    space_inputs, after_tax_space.calculate(space_inputs, limits), paychecks,
                    forfeited, last_extra, last_after_tax)

    # The largest election (in cents) that fits; the room shrinks as the election grows
    # only through a match on after-tax money, so a bisection finds it. No check may give
    # more than it can (rule 15); the last also carries the deferral's leftover cents.
    free_on_last = last - deferral - last_extra
    best = outcome(Decimal(0))
    low, high = Decimal(0), max(Decimal(0), min(every - deferral, free_on_last))
    if not best.fits:
        high = low
    while high - low > CENT:
        middle = cents_down((low + high) / 2)
        tried = outcome(middle)
        if tried.fits:
            low, best = middle, tried
        else:
            high = middle
    if high > low:
        top = outcome(high)
        if top.fits:
            best = top
    return _fill_last_check(best, outcome, free_on_last)


def _fill_last_check(best: Plan, outcome: Callable[[Decimal, Decimal], Plan],
                     free_on_last: Decimal) -> Plan:
    """Put what is left of the room on the last check, as far as that check can pay it
    (`free_on_last`): the cents equal amounts leave over, so the year reaches the 415(c)
    room exactly (not 69,999.96), or more when that check carries less FICA."""
    extra = min(best.space.after_tax_room - best.after_tax,
                free_on_last - best.after_tax_per_check)
    while extra > 0:
        tried = outcome(best.after_tax_per_check, extra)
        if tried.fits:
            return tried
        # Matched after-tax money: the extra earned match that used room; take that off.
        extra -= tried.after_tax - tried.space.after_tax_room
    return best


def _whole_percent(amount: Decimal, pay: Decimal) -> Decimal:
    return (amount / pay * 100).to_integral_value(rounding=ROUND_FLOOR)


def _current_election_warning(i: Inputs, limits: YearLimits) -> list[str]:
    target = _deferral_target(i, limits)
    if i.current_deferral_percent is None or i.ytd_deferrals >= target:
        return []
    per_check = cents(i.pay_per_period * i.current_deferral_percent / 100)
    total = i.ytd_deferrals
    contributions = []
    reached = None  # the paycheck that reaches the target
    for check in range(1, i.periods_remaining + 1):
        step = min(per_check, target - total)
        contributions.append(step)
        total += step
        if reached is None and total >= target:
            reached = check
    if reached is None:
        return [f"At {i.current_deferral_percent}% this plan gets {dollars(total - i.ytd_deferrals)} "
                f"more in {i.year}, {dollars(target - total)} short of what you may still defer."]
    if reached == i.periods_remaining:
        return []
    missed = _match(i, limits, contributions, total).lost(i.true_up)
    lost = f" Without a true-up, that costs {dollars(missed)} of match." if missed else ""
    return [f"At {i.current_deferral_percent}% you reach the deferral limit at paycheck "
            f"{reached} of {i.periods_remaining}; deferrals stop after that.{lost}"]


def _warnings(
    i: Inputs, limits: YearLimits, p: Plan, prior_year_hce_threshold: int | None
) -> list[str]:
    warnings = []
    target = _deferral_target(i, limits)
    if i.ytd_deferrals > target:
        warnings.append(
            f"Deferrals so far ({dollars(i.ytd_deferrals + (i.other_plan_deferrals or 0))}, all "
            f"plans) are above the {dollars(limits.deferral_limit(i.age))} allowed at age {i.age} "
            f"in {i.year}: ask for the excess ({dollars(i.ytd_deferrals - p.deferrals)}) back "
            "before April 15. This plan is worked out as if it is refunded from this plan: "
            "refunded in time, it does not count toward 415(c) (Treas. Reg. "
            "1.415(c)-1(b)(2)(ii)), and the year's deferrals are shown without it. The match "
            "follows the deferrals you keep: plans generally take back the match on refunded "
            "excess deferrals (IRC 411(a)(3)(G))"
            + (f", here {dollars(p.match_forfeited)} of the match so far, worked out with your "
               "formula on the tax year's pay so far. A plan that matches each paycheck may take "
               "back more, which leaves you more after-tax room; one that keeps it leaves you "
               "that much less. Ask the plan administrator before you set your election."
               if p.match_forfeited > 0 else
               "; with your formula, the deferrals you keep earn the same match.")
        )
    elif p.deferrals < target:
        warnings.append(
            "After FICA and the take-home pay you keep, your paychecks are too small to defer "
            f"the full {dollars(target)} in {i.year}."
        )
    warnings.extend(_paycheck_warning(i, p, target))
    if i.ytd_after_tax > p.space.after_tax_room:
        warnings.append(
            f"After-tax contributions so far ({dollars(i.ytd_after_tax)}) are more than this "
            f"plan's 415(c) room for the year ({dollars(p.space.after_tax_room)}): stop them, and "
            "ask the plan to correct the excess."
        )
    if i.year_pay > limits.compensation_limit:
        warnings.append(
            f"The match formula counts pay only up to {dollars(limits.compensation_limit)} "
            "(401(a)(17)): paychecks after that earn no match unless the plan trues up."
        )
    if p.last_deferral_extra > 0 or p.last_after_tax_extra > 0:
        more = " and ".join(
            f"{dollars(amount)} more {what}"
            for what, amount in (("deferral", p.last_deferral_extra),
                                 ("after-tax", p.last_after_tax_extra)) if amount > 0)
        warnings.append(
            f"The last paycheck takes {more} than the others: the cents that equal amounts "
            "leave over, or what that paycheck can still pay, so that the year reaches the "
            "limits to the cent, or comes as near as the paychecks allow."
        )
    if p.after_tax_per_check > 0:
        warnings.append(
            "Check that your plan takes after-tax elections this size, and convert the money to "
            "Roth soon after each contribution."
        )
    return warnings + _current_election_warning(i, limits) + after_tax_space.plan_warnings(
        p.space_inputs, limits, p.space.catch_up_used, p.after_tax > 0, prior_year_hce_threshold)


def _paycheck_warning(i: Inputs, p: Plan, target: Decimal) -> list[str]:
    """Rule 15: say so when the paychecks, not the limits, set the plan."""
    deferral_short = max(Decimal(0), target - p.deferrals) if i.ytd_deferrals <= target else 0
    if deferral_short <= 0 and p.after_tax_short <= 0:
        return []
    checks = p.paychecks
    each = p.deferral_per_check + p.after_tax_per_check
    last = each + p.last_deferral_extra + p.last_after_tax_extra
    if checks.most_on_every_check > each and checks.most_on_last_check > last:
        return []  # the paychecks had room to spare: they are not what stops the plan
    short = " and ".join(
        f"{dollars(amount)} of {what}"
        for what, amount in (("deferrals", deferral_short), ("after-tax room", p.after_tax_short))
        if amount > 0)
    return [
        f"The paychecks cannot reach the year's limits: they leave {short} unused. Each "
        f"paycheck can give the plan at most {dollars(checks.most_on_every_check)}: its "
        f"{dollars(checks.pay)}, less FICA (up to {dollars(max(checks.fica))}; pre-tax, Roth "
        "and after-tax money all carry it, IRC 3121(v)(1)(A)) and the "
        f"{percent(i.keep_percent)} you keep as take-home pay ({dollars(checks.keep)}). "
        "These are the largest elections that fit; payroll would cut larger ones short."
    ]


def _space_inputs(i: Inputs, deferrals: Decimal, match: Decimal) -> after_tax_space.Inputs:
    """The year as the after-tax space calculator sees it, with this plan's totals and the
    employer's other money, which shares the 415(c) limit (IRC 415(f)(1)(B), 415(c)(2))."""
    return after_tax_space.Inputs(
        year=i.year, age=i.age, compensation=i.year_pay, elective_deferrals=deferrals,
        employer_contributions=match + (i.other_employer_contributions or 0))


def run(inputs: Inputs, limits: Limits) -> dict[str, Any]:
    _check_periods(inputs)
    year_limits = limits.for_year(inputs.year)
    p = plan(inputs, year_limits)
    return {
        "year": inputs.year,
        "after_tax_per_check": p.after_tax_per_check,
        "after_tax_percent": _whole_percent(p.after_tax_per_check, inputs.pay_per_period),
        "deferral_per_check": p.deferral_per_check,
        "deferral_percent": _whole_percent(p.deferral_per_check, inputs.pay_per_period),
        "projected_deferrals": p.deferrals,
        "projected_after_tax": p.after_tax,
        "projected_match": p.match,
        "projected_total": (p.deferrals + p.after_tax + p.match
                            + (inputs.other_employer_contributions or 0)),
        "match_lost_without_true_up": p.match_lost,
        "left_per_check": p.least_left,
        "warnings": _warnings(inputs, year_limits, p,
                              after_tax_space.prior_year_hce_threshold(limits, inputs.year)),
    }


CALCULATOR = Calculator(
    name="paycheck-planner",
    title="Paycheck planner",
    form=Inputs,
    plans_the_year=True,
    outputs=(
        Output("after_tax_per_check", "After-tax contribution per paycheck", "dollars",
               headline=True),
        Output("after_tax_percent", "...as a whole percent of pay (rounded down)", "percent"),
        Output("deferral_per_check", "Deferral per paycheck (pre-tax + Roth)", "dollars"),
        Output("deferral_percent", "...as a whole percent of pay (rounded down)", "percent"),
        Output("projected_deferrals", "Deferrals for the year", "dollars"),
        Output("projected_after_tax", "After-tax contributions for the year", "dollars"),
        Output("projected_match", "Employer match for the year", "dollars"),
        Output("projected_total", "Total for the year, all employer money included",
               "dollars"),
        Output("match_lost_without_true_up", "Match lost for lack of a true-up", "dollars"),
        Output("left_per_check",
               "Left of each paycheck after contributions and FICA (at least)", "dollars"),
    ),
    compute=run,
    example=("pay_per_period", "9000"),
)
