"""Roth vs taxable: the same after-tax dollars in a Roth account or a taxable brokerage account.

Model: the same amount goes in at the start of each year. Both accounts earn the same
total return. In the Roth account nothing is taxed (qualified withdrawals, IRC 408A(d)).
In the taxable account the dividend part of the return is taxed each year and the rest
reinvested (adding to basis); at the end, selling taxes the gain over basis at the
capital-gains rate. A loss in the taxable account earns no tax credit here (it could
offset other gains in real life), so at negative returns the comparison leans to Roth.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from .calculator import Calculator, ask, calculator_inputs
from .fields import Output
from .limits import Limits
from .money import cents


@calculator_inputs
class Inputs:
    year: int = ask("First tax year", "year", "The year the contributions start.", 2000, 2100)
    annual_contribution: Decimal = ask(
        "Invested each year", "dollars",
        "After-tax dollars added at the start of each year. The example is the most a person "
        "who defers the maximum, with no employer money, can add after tax.",
        1, 10_000_000, default=lambda limits: limits.most_after_tax)
    years: int = ask("Years", "count", "How long the money is invested.", 1, 60, default=20)
    annual_return: Decimal = ask("Total yearly return", "percent",
                                 "Growth plus dividends, per year.", -50, 50, default=7)
    dividend_yield: Decimal = ask("Dividend yield", "percent",
                                  "The part of the return paid out as dividends each year.",
                                  0, 20, default=2)
    dividend_tax_rate: Decimal = ask("Tax rate on dividends", "percent",
                                     "Federal plus state, for qualified dividends.",
                                     0, 60, default=20)
    capital_gains_rate: Decimal = ask(
        "Tax rate on gains when you sell", "percent",
        "Federal plus state long-term capital-gains rate at the end.", 0, 60, default=20)


@dataclass(frozen=True)
class YearRow:
    year: int
    contributed: Decimal
    roth_value: Decimal
    taxable_value: Decimal
    taxable_after_tax_value: Decimal


def grow(inputs: Inputs) -> list[YearRow]:
    total_return = inputs.annual_return / 100
    dividends = inputs.dividend_yield / 100
    dividend_tax = inputs.dividend_tax_rate / 100
    gains_tax = inputs.capital_gains_rate / 100
    roth = taxable = basis = contributed = Decimal(0)
    rows = []
    for offset in range(inputs.years):
        contributed += inputs.annual_contribution
        roth = (roth + inputs.annual_contribution) * (1 + total_return)
        taxable += inputs.annual_contribution
        basis += inputs.annual_contribution
        paid = taxable * dividends
        # Price growth is the rest of the return; dividends are reinvested after tax.
        taxable = taxable * (1 + total_return - dividends) + paid * (1 - dividend_tax)
        basis += paid * (1 - dividend_tax)
        gain = taxable - basis
        after_tax = taxable - max(Decimal(0), gain) * gains_tax
        rows.append(YearRow(inputs.year + offset, contributed, roth, taxable, after_tax))
    return rows


def _warnings(inputs: Inputs) -> list[str]:
    warnings = []
    if inputs.annual_return >= 0 and inputs.dividend_yield > inputs.annual_return:
        warnings.append(
            "The dividend yield is above the total return, so prices fall each year in this "
            "example. Check the two rates."
        )
    warnings.append(
        "Roth withdrawals are tax-free once qualified: at 59½ (or on death or disability) "
        "and after 5 taxable years, counted from January 1 of the year of the first "
        "contribution or conversion to any Roth IRA (IRC 408A(d)(2)(B)), or, for a Roth "
        "401(k), of the first Roth contribution to that plan (IRC 402A(d)(2)(B)). "
        "Withdrawing earnings earlier can cost tax and the 10% additional tax."
    )
    return warnings


def run(inputs: Inputs, limits: Limits) -> dict[str, Any]:
    rows = grow(inputs)
    last = rows[-1]
    return {
        "year": inputs.year,
        "difference": cents(last.roth_value) - cents(last.taxable_after_tax_value),
        "roth_value": last.roth_value,
        "taxable_after_tax_value": last.taxable_after_tax_value,
        "total_contributed": last.contributed,
        "by_year": [asdict(row) for row in rows],
        "warnings": _warnings(inputs),
    }


CALCULATOR = Calculator(
    name="roth-vs-taxable",
    title="Roth vs taxable account calculator",
    form=Inputs,
    outputs=(
        Output("difference", "Roth advantage at the end, after tax", "whole_dollars", headline=True),
        Output("roth_value", "Roth account at the end (tax-free)", "whole_dollars"),
        Output("taxable_after_tax_value", "Taxable account at the end, after selling", "whole_dollars"),
        Output("total_contributed", "Total invested", "whole_dollars"),
        Output("growth_chart", "Value after tax, year by year", "chart", source="by_year", columns=(
            ("roth_value", "Roth account", "whole_dollars"),
            ("taxable_after_tax_value", "Taxable account, after tax on a sale", "whole_dollars"),
        )),
        Output("by_year", "Year by year", "table", columns=(
            ("year", "Year", "text"),
            ("contributed", "Invested so far", "whole_dollars"),
            ("roth_value", "Roth account", "whole_dollars"),
            ("taxable_value", "Taxable account", "whole_dollars"),
            ("taxable_after_tax_value", "Taxable, after tax on a sale", "whole_dollars"),
        )),
    ),
    compute=run,
    example=("years", "30"),
)
