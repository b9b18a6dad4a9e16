"""Leaving an employer: what each of the four choices costs now, and where the money lands.

Rules (calculators/RULES.md section 2, rules 9, 11 and 13):
- A direct rollover has nothing withheld. It is not taxed while the money keeps its tax
  type; pre-tax money (or after-tax earnings) sent to a Roth account is taxed, as a
  conversion. Distributions made at the same time are one distribution, and pre-tax
  amounts go to rollovers first, so after-tax basis can go to a Roth IRA tax-free while
  pre-tax money and earnings go to a traditional IRA (Notice 2014-54); a partial payment
  splits the same way, pro rata (IRC 72(e)(8)).
- Cashing out taxes the pre-tax money and the earnings on after-tax money; before
  59½ it also costs the 10% additional tax (IRC 72(t)), unless you leave the
  employer in or after the year you turn 55 (72(t)(2)(A)(v)). For a qualified public
  safety employee (72(t)(10)(B): state and local police, firefighters, EMS, corrections
  officers and forensic security employees; federal law-enforcement officers, federal
  firefighters, customs and border protection officers, air traffic controllers, nuclear
  materials couriers, Capitol and Supreme Court Police and diplomatic security special
  agents; and private-sector firefighters) it is the year you turn 50, or after 25 years
  of service under the plan, whichever comes first (72(t)(10), as widened by SECURE 2.0
  sections 308, 329 and 330). Either way it covers this plan's money only.
- Money converted to Roth inside the plan in the last five taxable years: the part that
  was taxable when converted takes the 10% additional tax too if paid out before 59½
  with no exception (IRC 402A(c)(4)(D)). The inputs do not separate it, so the 10%
  shown leaves it out and a warning says so.
- The plan withholds 20% of an eligible rollover distribution paid to you rather than
  rolled over directly (IRC 3405(c), 402(f)), on the taxable part only: the after-tax
  basis and qualified Roth money are not withheld on. Nothing need be withheld when the
  year's eligible rollover distributions total less than $200 (Treas. Reg.
  31.3405(c)-1, Q&A-14); this calculator takes the cash-out to be the year's only one.
  Withholding is a prepayment of tax, not an extra tax.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from .calculator import Calculator, ask, calculator_inputs
from .fields import Output
from .limits import Limits
from .money import cents, dollars, percent

# Statutory figures, not indexed each year, so they live here and not in limits.toml.
ADDITIONAL_TAX_RATE = Decimal("0.10")  # IRC 72(t)(1)
WITHHOLDING_RATE = Decimal("0.20")  # IRC 3405(c)(1)(B)
WITHHOLDING_FLOOR = Decimal(200)  # Treas. Reg. 31.3405(c)-1, Q&A-14: none below $200 a year
SEPARATION_AGE = 55  # IRC 72(t)(2)(A)(v)
PUBLIC_SAFETY_SEPARATION_AGE = 50  # IRC 72(t)(10)(A)
PUBLIC_SAFETY_SERVICE_YEARS = 25  # IRC 72(t)(10)(A), SECURE 2.0 sec. 329
# Who is a qualified public safety employee (IRC 72(t)(10)(B): state and local public
# safety staff, and the federal groups the Defending Public Safety Employees' Retirement
# Act of 2015 added; SECURE 2.0 sec. 330 added corrections officers and forensic security
# employees, sec. 308 private-sector firefighters).
PUBLIC_SAFETY_CHOICES = (
    ("no", "No"),
    ("governmental", "Yes: state or local police, firefighter, emergency medical worker, "
                     "corrections officer or forensic security employee"),
    ("federal", "Yes: federal law-enforcement officer, federal firefighter, customs and "
                "border protection officer, air traffic controller, nuclear materials "
                "courier, Capitol or Supreme Court Police, or diplomatic security special agent"),
    ("private_firefighter", "Yes: firefighter in a private-sector plan"),
)


@calculator_inputs
class Inputs:
    year: int = ask(
        "Tax year", "year", "The year you leave the employer.", 2000, 2100)
    pretax_balance: Decimal = ask(
        "Pre-tax balance", "dollars",
        "Pre-tax deferrals, employer money and their earnings.", 0, 100_000_000,
        default=200_000)
    roth_balance: Decimal = ask(
        "Roth 401(k) balance", "dollars",
        "Roth deferrals, money converted to Roth inside the plan, and their earnings. If you "
        "cash out before 59½, the part of a conversion made in the last five tax years "
        "that was taxed when converted (for after-tax money, its earnings) also takes the 10% "
        "additional tax, unless an exception applies (IRC 402A(c)(4)(D)). This calculator "
        "does not add that; box 10 of the plan's Form 1099-R would show it.",
        0, 100_000_000, default=50_000)
    roth_earnings: Decimal = ask(
        "Earnings inside the Roth 401(k) balance", "dollars",
        "The part of the Roth balance that is growth, not contributions or amounts "
        "converted. Taxed, and before 59½ it takes the 10% additional tax, if you cash out "
        "before the Roth account is qualified, however long ago the money was converted.",
        0, 100_000_000, default=10_000)
    roth_qualified: bool = ask(
        "Is the Roth 401(k) qualified?", "yesno",
        "Yes if you are 59½ or older and 5 taxable years have passed, counted from "
        "January 1 of the year of your first Roth contribution to this plan (IRC "
        "402A(d)(2)(B)): a first contribution in December 2021 counts from January 1, "
        "2021, so the account is qualified from January 1, 2026.", default="no")
    after_tax_basis: Decimal = ask(
        "After-tax contributions (basis)", "dollars",
        "After-tax money you put in and have not converted. It is never taxed again.",
        0, 100_000_000, default=30_000)
    after_tax_earnings: Decimal = ask(
        "Earnings on after-tax contributions", "dollars",
        "Growth on the after-tax money. Taxable like pre-tax money.", 0, 100_000_000,
        default=5_000)
    age: int = ask(
        "Age on December 31 of the year you leave", "age",
        "Leaving in or after the year you turn 55 avoids the 10% additional tax on this "
        "plan's money.", 15, 120, default=45)
    public_safety: str = ask(
        "Public-safety employee?", "choice",
        "Public-safety employees can leave from the year they turn 50 (instead of 55), or "
        "after 25 years of service under the plan, without the 10% additional tax. Who "
        "counts is listed in the law (IRC 72(t)(10)(B)); ask the plan whether your job does.",
        default="no", choices=PUBLIC_SAFETY_CHOICES)
    years_of_service: int | None = ask(
        "Years of service under this plan", "count",
        "Counts only for public-safety employees: 25 years frees this plan's money of the "
        "10% additional tax at any age. Leave empty otherwise.", 0, 70, required=False)
    federal_rate: Decimal = ask(
        "Federal marginal tax rate", "percent",
        "The rate on your last dollars of income.", 0, 60, default=24)
    state_rate: Decimal = ask(
        "State marginal tax rate", "percent",
        "Zero if your state has no income tax.", 0, 20, default=5)


@dataclass(frozen=True)
class Option:
    option: str
    tax_now: Decimal
    additional_tax: Decimal
    withholding: Decimal
    lands: str
    tax_free_later: Decimal


def _split(i: Inputs) -> tuple[Decimal, Decimal]:
    """Money that would be taxed if paid out, and money that would not."""
    roth_taxable = Decimal(0) if i.roth_qualified else min(i.roth_earnings, i.roth_balance)
    taxable = i.pretax_balance + i.after_tax_earnings + roth_taxable
    tax_free = i.after_tax_basis + i.roth_balance - roth_taxable
    return taxable, tax_free


def _places(parts: list[tuple[str, Decimal]]) -> str:
    return "; ".join(f"{dollars(amount)} to {where}" for where, amount in parts if amount > 0) \
        or "nothing to move"


def _separation_exception(i: Inputs) -> str | None:
    """Why leaving this employer frees its plan's money of the 10% additional tax, if it does."""
    if i.public_safety != "no":
        if i.age >= PUBLIC_SAFETY_SEPARATION_AGE:
            return f"at {i.age}, as a public-safety employee"
        if (i.years_of_service or 0) >= PUBLIC_SAFETY_SERVICE_YEARS:
            return f"after {i.years_of_service} years of public-safety service under the plan"
    return f"at {i.age}" if i.age >= SEPARATION_AGE else None


def _withholding(taxable: Decimal, paid: Decimal) -> Decimal:
    """20% of the taxable part of an eligible rollover distribution paid to the participant;
    none when the year's eligible rollover distributions (`paid`) total under $200."""
    return Decimal(0) if paid < WITHHOLDING_FLOOR else cents(taxable * WITHHOLDING_RATE)


def compare(i: Inputs) -> list[Option]:
    taxable, tax_free = _split(i)
    total = taxable + tax_free
    # Roth money and after-tax basis are never taxed again once in a Roth account.
    roth_destined = i.roth_balance + i.after_tax_basis
    pre_tax_destined = i.pretax_balance + i.after_tax_earnings
    rate = (i.federal_rate + i.state_rate) / 100
    additional = Decimal(0) if _separation_exception(i) else ADDITIONAL_TAX_RATE
    zero = Decimal(0)
    return [
        Option("Leave it in the old plan", zero, zero, zero,
               _places([("the old plan", total)]), roth_destined),
        Option("Roll it to the new employer's plan", zero, zero, zero,
               _places([("the new plan, pre-tax", pre_tax_destined),
                        ("the new plan, Roth", i.roth_balance),
                        ("a Roth IRA (after-tax basis, Notice 2014-54)", i.after_tax_basis)]),
               roth_destined),
        Option("Roll it to IRAs", zero, zero, zero,
               _places([("a traditional IRA", pre_tax_destined),
                        ("a Roth IRA", roth_destined)]),
               roth_destined),
        Option("Cash it out", cents(taxable * rate), cents(taxable * additional),
               _withholding(taxable, total),
               _places([("you, in cash, before tax", total)]), zero),
    ]


def _warnings(i: Inputs) -> list[str]:
    warnings = []
    exception = _separation_exception(i)
    if exception and i.age < 60:
        warnings.append(
            f"Leaving {exception}, you can take money from this plan without the 10% "
            "additional tax. Rolling it to an IRA first loses that: IRA withdrawals before "
            "59½ pay it."
        )
    if i.roth_qualified and i.age < 59:
        warnings.append(
            "A Roth 401(k) is qualified only from age 59½ (or on death or disability): "
            f"at {i.age}, its earnings would be taxed if cashed out. Check your answer."
        )
    if i.roth_earnings > i.roth_balance:
        warnings.append(
            f"Roth earnings ({dollars(i.roth_earnings)}) are more than the Roth balance "
            f"({dollars(i.roth_balance)}); only the balance was counted."
        )
    if i.after_tax_basis > 0:
        warnings.append(
            "Ask the plan to send the after-tax basis to a Roth IRA and the rest to a "
            "traditional IRA or plan in one distribution: that split is tax-free "
            "(Notice 2014-54)."
        )
    if i.roth_balance > 0 and not exception and not i.roth_qualified:
        warnings.append(
            "The 10% additional tax shown leaves out money converted to Roth inside the plan "
            "in the last five tax years: cashed out before 59½, the part of such a conversion "
            "that was taxed when converted (for after-tax money, its earnings) takes the 10% "
            "too, unless an exception applies (IRC 402A(c)(4)(D)). Box 10 of the plan's Form "
            "1099-R shows that amount."
        )
    if i.federal_rate + i.state_rate > 0:
        warnings.append(
            f"Tax is worked out at a flat {percent(i.federal_rate + i.state_rate)} "
            "(federal plus state). A large cash-out can push income into a higher bracket."
        )
    return warnings


def run(inputs: Inputs, limits: Limits) -> dict[str, Any]:
    options = compare(inputs)
    cash = options[-1]
    return {
        "year": inputs.year,
        "cash_out_cost": cash.tax_now + cash.additional_tax,
        "options": [asdict(o) for o in options],
        "warnings": _warnings(inputs),
    }


CALCULATOR = Calculator(
    name="leaving-employer",
    title="Leaving an employer: compare the four choices",
    form=Inputs,
    outputs=(
        Output("cash_out_cost", "Cost of cashing out now (tax and additional tax)", "dollars",
               headline=True),
        Output("options", "The four choices", "table", columns=(
            ("option", "Choice", "text"),
            ("tax_now", "Income tax now", "dollars"),
            ("additional_tax", "10% additional tax", "dollars"),
            ("withholding", "Withheld by the plan", "dollars"),
            ("tax_free_later", "Stays tax-free", "dollars"),
            ("lands", "Where the money lands", "text"),
        )),
    ),
    compute=run,
    example=("age", "55"),
)
