"""Conversion timing: the tax cost of converting after-tax money to Roth often or rarely.

Rule (calculators/RULES.md section 2, rule 8): converting after-tax money (in the plan, 402A(c)(4),
or by rollover) taxes only its earnings, the amount converted less its after-tax basis.
Converting soon after each contribution leaves little time for taxable earnings; money
never converted keeps growing taxable earnings.

Model: equal contributions at the start of each pay period; the balance grows at a
constant effective yearly rate (a fraction t of a year grows by (1 + r) ** t); each conversion moves
the whole after-tax balance to Roth, on the schedule chosen, the last one on Dec 31.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .calculator import Calculator, ask, calculator_inputs
from .fields import Output
from .limits import Limits, YearLimits
from .money import cents, dollars

PAY_FREQUENCIES = {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12}
PAY_FREQUENCY_CHOICES = (
    ("weekly", "Weekly (52 a year)"),
    ("biweekly", "Every two weeks (26 a year)"),
    ("semimonthly", "Twice a month (24 a year)"),
    ("monthly", "Monthly (12 a year)"),
)
CONVERSION_CHOICES = (
    ("paycheck", "After each paycheck"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("yearly", "Once a year"),
    ("never", "Never"),
)


@calculator_inputs
class Inputs:
    year: int = ask("First tax year", "year", "The year the contributions start.", 2000, 2100)
    after_tax_per_period: Decimal = ask(
        "After-tax contribution per paycheck", "dollars",
        "What goes into the after-tax part of the plan from each paycheck.",
        1, 1_000_000, default=1_500)
    pay_frequency: str = ask("How often you are paid", "choice", "Your pay schedule.",
                             default="biweekly", choices=PAY_FREQUENCY_CHOICES)
    annual_return: Decimal = ask("Expected yearly return", "percent",
                                 "Growth of the investments, per year. Try a few values.",
                                 -50, 50, default=7)
    conversion_frequency: str = ask(
        "How often you convert", "choice",
        "In-plan conversion or rollover to a Roth IRA: whatever your plan allows.",
        default="quarterly", choices=CONVERSION_CHOICES)
    marginal_rate: Decimal = ask("Marginal tax rate", "percent",
                                 "Federal plus state rate on your last dollars of income.",
                                 0, 60, default=32)
    years: int = ask("Years of contributions", "count", "How many years you keep this up.",
                     1, 40, default=10)


@dataclass(frozen=True)
class YearRow:
    year: int
    contributed: Decimal
    taxable_earnings: Decimal
    end_balance: Decimal  # after-tax money not yet converted, at Dec 31
    end_basis: Decimal

    @property
    def unconverted_earnings(self) -> Decimal:
        """Earnings still waiting at Dec 31 to be taxed on a later conversion (none on a loss)."""
        return max(Decimal(0), self.end_balance - self.end_basis)


def _conversions_per_year(frequency: str, periods: int) -> int:
    return {"paycheck": periods, "monthly": 12, "quarterly": 4, "yearly": 1, "never": 0}[frequency]


def simulate(inputs: Inputs, conversion_frequency: str) -> list[YearRow]:
    periods = PAY_FREQUENCIES[inputs.pay_frequency]
    conversions = _conversions_per_year(conversion_frequency, periods)
    growth = 1 + inputs.annual_return / 100
    # Events within a year at exact fractions of the year; at equal times a conversion
    # (end of the previous period) comes before the next contribution.
    events = sorted(
        [(Fraction(k, periods), 1) for k in range(periods)]
        + [(Fraction(j, conversions), 0) for j in range(1, conversions + 1)]
    )
    balance = basis = Decimal(0)
    rows = []
    for offset in range(inputs.years):
        now = Fraction(0)
        contributed = taxable = Decimal(0)
        for time, kind in events:
            if time > now:
                balance *= growth ** _years(time - now)
                now = time
            if kind == 1:
                balance += inputs.after_tax_per_period
                basis += inputs.after_tax_per_period
                contributed += inputs.after_tax_per_period
            else:
                taxable += max(Decimal(0), balance - basis)
                balance = basis = Decimal(0)
        if now < 1:
            balance *= growth ** _years(1 - now)
        rows.append(YearRow(inputs.year + offset, contributed, taxable, balance, basis))
    return rows


def _years(span: Fraction) -> Decimal:
    return Decimal(span.numerator) / Decimal(span.denominator)


def _warnings(inputs: Inputs, limits: YearLimits) -> list[str]:
    yearly = inputs.after_tax_per_period * PAY_FREQUENCIES[inputs.pay_frequency]
    most = limits.most_after_tax
    warnings = []
    if inputs.conversion_frequency == "never":
        warnings.append(
            "You chose never to convert: the earnings are not avoided, only taxed later, when "
            "the money comes out or is finally converted. The tax shown is that later tax at "
            "today's rate (not discounted), so nothing is saved against never converting."
        )
    if yearly > most:
        warnings.append(
            f"{dollars(yearly)} a year is more after-tax money than {limits.year}'s limits allow "
            f"someone who defers the most and gets no employer money ({dollars(most)})."
        )
    if inputs.annual_return < 0:
        warnings.append(
            "With a negative return the after-tax money loses value: a conversion then has "
            "no taxable earnings, and the loss cannot be deducted."
        )
    return warnings


def run(inputs: Inputs, limits: Limits) -> dict[str, Any]:
    rate = inputs.marginal_rate / 100
    chosen = simulate(inputs, inputs.conversion_frequency)
    # The comparison is never converting; when that is the choice, it is the same run.
    never = chosen if inputs.conversion_frequency == "never" else simulate(inputs, "never")
    taxes = [cents(row.taxable_earnings * rate) for row in chosen]
    # Never converting: the earnings are taxed when the money finally comes out or is
    # converted; shown at today's rate, without discounting.
    never_tax = cents(never[-1].unconverted_earnings * rate)
    # Chosen "never", nothing is converted year by year, but the tax is not avoided:
    # it is the later tax, so the choice saves nothing against itself.
    total_tax = never_tax if chosen is never else sum(taxes, Decimal(0))
    return {
        "year": inputs.year,
        "total_tax": total_tax,
        "never_tax": never_tax,
        "tax_saved": never_tax - total_tax,
        "total_contributed": sum((r.contributed for r in chosen), Decimal(0)),
        "by_year": [
            {
                "year": row.year,
                "contributed": row.contributed,
                "taxable_earnings": row.taxable_earnings,
                "tax": tax,
                "never_earnings": never_row.unconverted_earnings,
            }
            for row, tax, never_row in zip(chosen, taxes, never, strict=True)
        ],
        "warnings": _warnings(inputs, limits.for_year(inputs.year)),
    }


CALCULATOR = Calculator(
    name="conversion-timing",
    title="Conversion timing calculator",
    form=Inputs,
    outputs=(
        Output("total_tax", "Tax on the earnings, all years (never converting: taxed later)",
               "dollars", headline=True),
        Output("never_tax", "Tax if never converted (earnings taxed later)", "dollars"),
        Output("tax_saved", "Tax saved against never converting", "dollars"),
        Output("total_contributed", "After-tax money contributed", "dollars"),
        Output("by_year", "Year by year", "table", columns=(
            ("year", "Year", "text"),
            ("contributed", "Contributed", "dollars"),
            ("taxable_earnings", "Earnings converted (taxable)", "dollars"),
            ("tax", "Tax on them", "dollars"),
            ("never_earnings", "Untaxed earnings if never converted", "dollars"),
        )),
    ),
    compute=run,
    example=("conversion_frequency", "yearly"),
)
