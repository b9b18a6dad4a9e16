"""Backdoor Roth IRA: the taxable part of a conversion under the pro-rata rule, and the
direct Roth IRA contribution allowed at a given income.

Rules (calculators/RULES.md section 2, rules 10 and 14):
- Form 8606, part I: the nontaxable share of a conversion is total basis divided by
  (Dec 31 value of all traditional, SEP and SIMPLE IRAs + conversions + other
  distributions of the year), at most 1 (IRC 408(d)(2)). 401(k) balances do not count.
- Direct Roth IRA contributions shrink linearly across the MAGI phase-out range; the
  reduced amount rounds up to the next $10 and is at least $200 if not zero
  (IRC 408A(c)(3); Pub. 590-A worksheet).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from .calculator import Calculator, ask, calculator_inputs
from .fields import InputError, Output
from .limits import Limits, YearLimits
from .money import cents, dollars

# Pub. 590-A worksheet steps: not indexed, so they live here and not in limits.toml.
PHASE_OUT_STEP = Decimal(10)
PHASE_OUT_MINIMUM = Decimal(200)

FILING_STATUS_CHOICES = (
    ("single", "Single"),
    ("head_of_household", "Head of household"),
    ("married_joint", "Married filing jointly"),
    ("qualifying_surviving_spouse", "Qualifying surviving spouse"),
    ("married_separate", "Married filing separately, lived with spouse"),
    ("married_separate_apart", "Married filing separately, lived apart all year"),
)
# Which phase-out range in the limits file each filing status uses.
PHASE_OUT_FOR_STATUS = {
    "single": "single_or_head_of_household",
    "head_of_household": "single_or_head_of_household",
    "married_joint": "married_joint",
    "qualifying_surviving_spouse": "married_joint",
    "married_separate": "married_separate",
    # Pub. 590-A: apart from the spouse all year, use the single range.
    "married_separate_apart": "single_or_head_of_household",
}

@calculator_inputs
class Inputs:
    year: int | None = ask(
        "Tax year", "year",
        "The tax year of the contribution and conversion. Needed for the income limit.",
        2000, 2100, required=False)
    nondeductible_contribution: Decimal = ask(
        "Nondeductible IRA contribution for the tax year", "dollars",
        "What you put into a traditional IRA for the tax year without deducting it "
        "(Form 8606, line 1), made by its December 31. A contribution for the year before "
        "made between January 1 and April 15 of the tax year belongs to the year before: "
        "enter it under basis left from earlier years. One for the tax year made after its "
        "December 31 is not part of the tax year's conversion (Form 8606, line 4): leave "
        "it out.", 0, 1_000_000,
        default=lambda limits: limits.ira_contribution_limit)
    prior_basis: Decimal | None = ask(
        "Basis left from earlier years", "dollars",
        "Nondeductible contributions from earlier years not yet recovered "
        "(the year before's Form 8606, line 14). It includes a contribution for the year "
        "before made between January 1 and April 15 of the tax year: for example, such a "
        "contribution made in February and converted at once counts here, and the "
        "conversion goes in the tax year's amount converted. Empty or zero if you have "
        "never filed one.",
        0, 10_000_000, default=0, required=False)
    conversion_amount: Decimal = ask(
        "Amount converted to Roth in the tax year", "dollars",
        "Everything you converted from traditional, SEP and SIMPLE IRAs to Roth in the "
        "tax year.",
        0, 100_000_000, default=lambda limits: limits.ira_contribution_limit)
    year_end_ira_balance: Decimal = ask(
        "Value of all your traditional IRAs on December 31", "dollars",
        "Traditional, SEP and SIMPLE IRAs together, after the conversion, plus any "
        "rollover still on its way on December 31: money taken out of one of them in the "
        "last 60 days of the year and rolled back into one in the new year, within its 60 "
        "days (Form 8606, line 6). 401(k) and other workplace plans do not count.",
        0, 100_000_000, default=0)
    other_distributions: Decimal | None = ask(
        "Other IRA withdrawals in the tax year", "dollars",
        "Money taken out of traditional, SEP or SIMPLE IRAs in the tax year other than the "
        "conversion (not counting rollovers).", 0, 100_000_000, default=0, required=False)
    magi: Decimal | None = ask(
        "Modified adjusted gross income (MAGI)", "dollars",
        "Optional: fill in with filing status and age to see how much you could put "
        "into a Roth IRA directly.", 0, 100_000_000, required=False)
    filing_status: str | None = ask("Filing status", "choice",
                                    "Your tax filing status for the year.", required=False,
                                    choices=FILING_STATUS_CHOICES)
    age: int | None = ask("Age on December 31", "age",
                          "From 50, a catch-up raises the IRA limit.", 15, 120, required=False)



@dataclass(frozen=True)
class ProRata:
    nontaxable_amount: Decimal
    taxable_amount: Decimal
    nontaxable_share: Decimal  # 0 to 1
    basis_carried_forward: Decimal


def pro_rata(inputs: Inputs) -> ProRata:
    """Form 8606 lines 3 to 18, with no contributions made after year end for the year."""
    # Left empty, these two are zero: most people have no old basis or other withdrawals.
    prior_basis = inputs.prior_basis or Decimal(0)
    other_distributions = inputs.other_distributions or Decimal(0)
    basis = prior_basis + inputs.nondeductible_contribution  # line 3 (= line 5)
    total = inputs.year_end_ira_balance + inputs.conversion_amount + other_distributions
    share = min(Decimal(1), basis / total) if total > 0 else Decimal(0)  # line 10
    nontaxable_conversion = cents(inputs.conversion_amount * share)  # line 11
    nontaxable_other = cents(other_distributions * share)  # line 12
    return ProRata(
        nontaxable_amount=nontaxable_conversion,
        taxable_amount=inputs.conversion_amount - nontaxable_conversion,  # line 18
        nontaxable_share=share,
        basis_carried_forward=max(Decimal(0), basis - nontaxable_conversion - nontaxable_other),
    )


def roth_ira_allowed(
    limits: YearLimits, magi: Decimal, filing_status: str, age: int,
    traditional_contributions: Decimal = Decimal(0),
) -> Decimal:
    """Direct Roth IRA contribution allowed (Pub. 590-A worksheet 2-2, before the
    taxable-compensation limit): the phase-out amount, and never more than the IRA limit
    left after this year's traditional IRA contributions (IRC 408A(c)(2))."""
    full = Decimal(limits.ira_limit(age))
    left = max(Decimal(0), full - traditional_contributions)
    phase = limits.roth_ira_phase_out[PHASE_OUT_FOR_STATUS[filing_status]]
    if magi <= phase.start:
        return left
    if magi >= phase.end:
        return Decimal(0)
    reduced = full * (phase.end - magi) / (phase.end - phase.start)
    rounded = (reduced / PHASE_OUT_STEP).to_integral_value(rounding=ROUND_CEILING) * PHASE_OUT_STEP
    return min(max(rounded, PHASE_OUT_MINIMUM), left)


def _income_inputs(inputs: Inputs) -> bool:
    """Whether the optional income questions are answered, refusing a half-answered set."""
    if inputs.magi is None:
        return False
    for name in ("year", "filing_status", "age"):
        if getattr(inputs, name) is None:
            raise InputError(name, "is required with magi, to work out the Roth IRA limit")
    return True


def _warnings(inputs: Inputs, result: ProRata, limits: YearLimits | None) -> list[str]:
    warnings = []
    if inputs.year_end_ira_balance > 0 and inputs.conversion_amount > 0:
        warnings.append(
            f"Because your traditional IRAs held {dollars(inputs.year_end_ira_balance)} on "
            f"December 31, {dollars(result.taxable_amount)} of the conversion is taxable "
            "(the pro-rata rule). Moving pre-tax IRA money into a workplace plan before "
            "December 31, if the plan accepts it, takes it out of this calculation."
        )
    if limits is not None and inputs.age is not None:
        allowed = limits.ira_limit(inputs.age)
        if inputs.nondeductible_contribution > allowed:
            warnings.append(
                f"The IRA contribution limit at age {inputs.age} in {limits.year} is "
                f"{dollars(allowed)}; the excess of "
                f"{dollars(inputs.nondeductible_contribution - allowed)} is taxed 6% a year "
                "until you take it out."
            )
    if inputs.conversion_amount > 0 and result.basis_carried_forward > 0:
        warnings.append(
            f"Keep the tax year's Form 8606: {dollars(result.basis_carried_forward)} of basis "
            "carries forward, so that later withdrawals are not taxed twice."
        )
    return warnings


def run(inputs: Inputs, limits: Limits) -> dict[str, Any]:
    with_income = _income_inputs(inputs)
    year_limits = limits.for_year(inputs.year) if inputs.year is not None else None
    result = pro_rata(inputs)
    allowed = None
    if with_income:
        assert year_limits is not None and inputs.magi is not None
        assert inputs.filing_status is not None and inputs.age is not None
        allowed = roth_ira_allowed(year_limits, inputs.magi, inputs.filing_status, inputs.age,
                                   inputs.nondeductible_contribution)
    return {
        "year": inputs.year,
        "nontaxable_amount": result.nontaxable_amount,
        "taxable_amount": result.taxable_amount,
        "nontaxable_percent": result.nontaxable_share * 100,
        "basis_carried_forward": result.basis_carried_forward,
        "roth_ira_allowed": allowed,
        "warnings": _warnings(inputs, result, year_limits),
    }


CALCULATOR = Calculator(
    name="backdoor-roth-ira",
    title="Backdoor Roth IRA calculator",
    form=Inputs,
    outputs=(
        Output("taxable_amount", "Taxable part of the conversion", "dollars", headline=True),
        Output("nontaxable_amount", "Tax-free part of the conversion", "dollars"),
        Output("nontaxable_percent", "Share of each dollar converted that is tax-free", "percent"),
        Output("basis_carried_forward", "Basis left for the next tax year", "dollars"),
        Output("roth_ira_allowed",
               "Direct Roth IRA contribution still allowed (after the tax year's traditional one)",
               "dollars"),
    ),
    compute=run,
    example=("year_end_ira_balance", "63000"),
)
