"""Leaving an employer: what each choice costs now, and where the money lands.

Rules (calculators/RULES.md section 2, rules 9, 11 and 13):
- A direct rollover has nothing withheld. It is not taxed while the money keeps its tax
  type; pre-tax money (or after-tax earnings) sent to a Roth account is taxed, as a
  conversion. Distributions made at the same time are one distribution, and pre-tax
  amounts go to rollovers first, so after-tax basis can go to a Roth IRA tax-free while
  pre-tax money and earnings go to a traditional IRA (Notice 2014-54); a partial payment
  splits the same way, pro rata (IRC 72(e)(8)): a payout of part of the balance is drawn
  pro rata from the whole account, or, where the plan keeps after-tax money as a separate
  contract (IRC 72(d)(2)), from the after-tax money alone (leaving_parts.py).
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
  with no exception (IRC 402A(c)(4)(D)); a partial payout carries its pro-rata share
  (an assumption, stated in leaving_parts.py).
- Employer stock paid out in kind in a lump-sum distribution is taxed now on the plan's
  cost basis only; the net unrealized appreciation (NUA) when the shares are sold, as
  long-term gain whatever the holding period (IRC 402(e)(4)(B), (D); Notice 98-24; Pub.
  575). Withholding is at most the cash and property other than employer securities
  paid to the participant (IRC 3405(e)(8)).
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
from .fields import InputError, Output
from .leaving_parts import Parts, Stock, payout_parts, stock_paid_in_kind
from .limits import Limits
from .money import cents, dollars, percent

# Statutory figures, not indexed each year, so they live here and not in limits.toml.
ADDITIONAL_TAX_RATE = Decimal("0.10")  # IRC 72(t)(1)
WITHHOLDING_RATE = Decimal("0.20")  # IRC 3405(c)(1)(B)
WITHHOLDING_FLOOR = Decimal(200)  # Treas. Reg. 31.3405(c)-1, Q&A-14: none below $200 a year
SEPARATION_AGE = 55  # IRC 72(t)(2)(A)(v)
PUBLIC_SAFETY_SEPARATION_AGE = 50  # IRC 72(t)(10)(A)
PUBLIC_SAFETY_SERVICE_YEARS = 25  # IRC 72(t)(10)(A), SECURE 2.0 sec. 329
# A default for the long-term capital gains rate: the middle federal bracket (IRC 1(h)).
CAPITAL_GAINS_RATE = 15
NUA_OPTION = "Take the employer stock out in kind (NUA), roll the rest to IRAs"
PAYOUT_SOURCES = (
    ("whole_account", "Pro rata from the whole account"),
    ("after_tax", "From the after-tax money alone (the plan keeps it as a separate contract)"),
)
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
        "that was taxed when converted also takes the 10% additional tax: enter it below.",
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
    recent_conversions_taxable: Decimal | None = ask(
        "Taxable part of recent in-plan Roth conversions", "dollars",
        "Of the money converted to Roth inside this plan in this tax year and the four before "
        "it, the part that was taxed when converted (for after-tax money, its earnings). "
        "Cashed out before 59½ with no exception, it takes the 10% additional tax "
        "(IRC 402A(c)(4)(D)). It is part of the Roth balance, not of its earnings; box 10 of "
        "the plan's Form 1099-R for each conversion shows it. Empty means none.",
        0, 100_000_000, required=False)
    payout: Decimal | None = ask(
        "Amount paid out", "dollars",
        "Leave empty to move or take the whole balance (or all the after-tax money, if you "
        "draw from it alone). Part of the balance carries its share of each kind of money "
        "(IRC 72(e)(8)); the rest stays in the plan.", 0, 100_000_000, required=False)
    payout_source: str | None = ask(
        "Draw the payout from", "choice",
        "Pro rata from the whole account, unless the plan keeps the after-tax money as a "
        "separate contract (IRC 72(d)(2)) and lets you draw from it alone: then the payout "
        "is its contributions and their earnings, pro rata. Ask the plan.",
        default="whole_account", required=False, choices=PAYOUT_SOURCES)
    employer_stock_value: Decimal | None = ask(
        "Employer stock in the pre-tax balance, at today's value", "dollars",
        "Shares of your employer held in the plan, bought with pre-tax or employer money. "
        "Empty if none.", 0, 100_000_000, required=False)
    employer_stock_basis: Decimal | None = ask(
        "The plan's cost basis for that stock", "dollars",
        "What the plan paid for the shares; the plan can tell you. Taken out in kind in a "
        "lump-sum distribution, only this is taxed now (IRC 402(e)(4)(B)).",
        0, 100_000_000, required=False)
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
    capital_gains_rate: Decimal | None = ask(
        "Federal long-term capital gains rate", "percent",
        "0%, 15% or 20% by income, plus 3.8% net investment income tax above its threshold. "
        "Used only for employer stock; your state rate is added.", 0, 30,
        default=CAPITAL_GAINS_RATE, required=False)


@dataclass(frozen=True)
class Option:
    option: str
    tax_now: Decimal
    additional_tax: Decimal
    withholding: Decimal
    lands: str
    tax_free_later: Decimal


ZERO = Decimal(0)


def _account(i: Inputs) -> Parts:
    """The whole balance by kind of money (Roth earnings counted at most up to the balance)."""
    return Parts(i.pretax_balance, i.after_tax_basis, i.after_tax_earnings, i.roth_balance,
                 min(i.roth_earnings, i.roth_balance), i.recent_conversions_taxable or ZERO)


def _check_recent_conversions(i: Inputs) -> None:
    most = i.roth_balance - min(i.roth_earnings, i.roth_balance)
    if (i.recent_conversions_taxable or 0) > most:
        raise InputError(
            "recent_conversions_taxable",
            f"must be at most the Roth balance less its earnings, {dollars(most)} (converted "
            f"money sits in the Roth balance); got {dollars(i.recent_conversions_taxable or 0)}")


def _places(parts: list[tuple[str, Decimal]], stays: Decimal = ZERO) -> str:
    parts = [*parts, ("stays in the old plan", stays)]
    return "; ".join(f"{dollars(amount)} {'' if where.startswith('stays') else 'to '}{where}"
                     for where, amount in parts if amount > 0) or "nothing to move"


def _separation_exception(i: Inputs) -> str | None:
    """Why leaving this employer frees its plan's money of the 10% additional tax, if it does."""
    if i.public_safety != "no":
        if i.age >= PUBLIC_SAFETY_SEPARATION_AGE:
            return f"at {i.age}, as a public-safety employee"
        if (i.years_of_service or 0) >= PUBLIC_SAFETY_SERVICE_YEARS:
            return f"after {i.years_of_service} years of public-safety service under the plan"
    return f"at {i.age}" if i.age >= SEPARATION_AGE else None


def _withholding(taxable: Decimal, paid: Decimal, cash_and_other_property: Decimal) -> Decimal:
    """20% of the taxable part of an eligible rollover distribution paid to the participant;
    none when the year's eligible rollover distributions (`paid`) total under $200; at most
    the cash and property other than employer securities paid out (IRC 3405(e)(8))."""
    if paid < WITHHOLDING_FLOOR:
        return ZERO
    return min(cents(taxable * WITHHOLDING_RATE), cash_and_other_property)


def _rates(i: Inputs) -> tuple[Decimal, Decimal, Decimal]:
    """Income tax rate, long-term gain rate (federal plus state), and the 10% if it applies."""
    gains = i.capital_gains_rate if i.capital_gains_rate is not None else CAPITAL_GAINS_RATE
    additional = ZERO if _separation_exception(i) else ADDITIONAL_TAX_RATE
    return (i.federal_rate + i.state_rate) / 100, (gains + i.state_rate) / 100, additional


def _cash_taxable(i: Inputs, paid: Parts) -> Decimal:
    roth_taxable = ZERO if i.roth_qualified else paid.roth_earnings
    return paid.pretax + paid.after_tax_earnings + roth_taxable


def _recapture(i: Inputs, paid: Parts) -> Decimal:
    """The 10% on the taxable part of recent in-plan conversions cashed out (402A(c)(4)(D))."""
    _, _, additional = _rates(i)
    return ZERO if i.roth_qualified else cents(paid.recent_conversions_taxable * additional)


def _nua_option(i: Inputs, account: Parts, stock: Stock) -> Option:
    """A lump-sum distribution: the stock to the reader in kind, the rest rolled directly."""
    rate, _, additional = _rates(i)
    # Nothing but the shares is paid to the reader: withholding is capped at 0 (3405(e)(8)).
    withheld = _withholding(stock.basis, account.total, ZERO)
    return Option(
        NUA_OPTION, cents(stock.basis * rate), cents(stock.basis * additional), withheld,
        _places([("you, as employer shares in a taxable account", stock.value),
                 ("a traditional IRA", account.pretax_destined - stock.value),
                 ("a Roth IRA", account.roth_destined)]),
        account.roth_destined)


def compare(i: Inputs, account: Parts, paid: Parts, stock: Stock | None) -> list[Option]:
    rate, _, additional = _rates(i)
    stays = account.minus(paid)
    taxable = _cash_taxable(i, paid)
    options = [
        Option("Leave it in the old plan", ZERO, ZERO, ZERO,
               _places([("the old plan", account.total)]), account.roth_destined),
        Option("Roll it to the new employer's plan", ZERO, ZERO, ZERO,
               _places([("the new plan, pre-tax", paid.pretax_destined),
                        ("the new plan, Roth", paid.roth),
                        ("a Roth IRA (after-tax basis, Notice 2014-54)", paid.basis)],
                       stays.total),
               account.roth_destined),
        Option("Roll it to IRAs", ZERO, ZERO, ZERO,
               _places([("a traditional IRA", paid.pretax_destined),
                        ("a Roth IRA", paid.roth_destined)], stays.total),
               account.roth_destined),
        Option("Cash it out", cents(taxable * rate),
               cents(taxable * additional) + _recapture(i, paid),
               _withholding(taxable, paid.total, paid.total),
               _places([("you, in cash, before tax", paid.total)], stays.total),
               stays.roth_destined),
    ]
    if stock:
        options.append(_nua_option(i, account, stock))
    return options


def _nua_compare(i: Inputs, stock: Stock, nua: Option) -> str:
    """The NUA route against rolling the stock over, at today's value and the reader's rates."""
    rate, gains, _ = _rates(i)
    nua_route = nua.tax_now + nua.additional_tax + cents(stock.nua * gains)
    rolled = cents(stock.value * rate)
    verdict = (f"the NUA route saves {dollars(rolled - nua_route)}" if nua_route < rolled
               else f"the NUA route loses by {dollars(nua_route - rolled)}" if nua_route > rolled
               else "the two cost the same")
    return (
        f"At today's value and your rates, {verdict}: {dollars(nua_route)} in all (income tax "
        f"and any 10% on the {dollars(stock.basis)} basis now, {percent(gains * 100)} on the "
        f"{dollars(stock.nua)} NUA when sold) against {dollars(rolled)} if the stock is rolled "
        f"over and later taken out as income at {percent(rate * 100)}. It loses whenever the "
        "NUA times the gap between those two rates is less than the 10% on the basis (or the "
        "gains rate is not below the income rate). Future prices are unknown, and this leaves "
        "out that rolled-over money is taxed later.")


def _warnings(i: Inputs, account: Parts, paid: Parts, stock: Stock | None) -> list[str]:
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
    if paid.basis > 0:
        warnings.append(
            "Ask the plan to send the after-tax basis to a Roth IRA and the rest to a "
            "traditional IRA or plan in one distribution: that split is tax-free "
            "(Notice 2014-54)."
        )
    if 0 < paid.total < account.total:
        warnings.append(
            f"A payout of {dollars(paid.total)} carries its share of each kind of money "
            "(IRC 72(e)(8)); the Roth earnings and recent conversions in it are taken pro rata "
            f"within the Roth money, an assumption. {dollars(account.total - paid.total)} "
            "stays in the old plan."
        )
    if stock:
        warnings.append(
            "The NUA choice is a lump-sum distribution: the whole balance paid out within one "
            "tax year after you leave (IRC 402(e)(4)(D)), whatever payout you entered. Rolling "
            "the shares to an IRA gives NUA up for good; shares bought with after-tax "
            "contributions keep their NUA out of income in any payout (402(e)(4)(A)), and are "
            "not in these figures. Nothing is withheld on the shares: withholding never "
            "passes the cash and other property paid to you (3405(e)(8))."
        )
    if i.federal_rate + i.state_rate > 0:
        warnings.append(
            f"Tax is worked out at a flat {percent(i.federal_rate + i.state_rate)} "
            "(federal plus state). A large cash-out can push income into a higher bracket."
        )
    return warnings


def _parts_table(paid: Parts, stays: Parts) -> list[dict[str, Any]]:
    rows = (("Pre-tax money", "pretax"), ("After-tax contributions (basis)", "basis"),
            ("Earnings on after-tax contributions", "after_tax_earnings"),
            ("Roth 401(k) money", "roth"), ("of which Roth earnings", "roth_earnings"),
            ("of which taxable part of recent in-plan conversions",
             "recent_conversions_taxable"))
    return [{"part": label, "paid_out": getattr(paid, key), "stays": getattr(stays, key)}
            for label, key in rows]


def run(inputs: Inputs, limits: Limits) -> dict[str, Any]:
    _check_recent_conversions(inputs)
    account = _account(inputs)
    paid = payout_parts(account, inputs.payout, inputs.payout_source == "after_tax")
    stock = stock_paid_in_kind(inputs.employer_stock_value, inputs.employer_stock_basis,
                               inputs.pretax_balance)
    options = compare(inputs, account, paid, stock)
    cash = options[3]
    return {
        "year": inputs.year,
        "cash_out_cost": cash.tax_now + cash.additional_tax,
        "paid_out": paid.total,
        "stays_in_plan": account.total - paid.total,
        "conversion_recapture": _recapture(inputs, paid),
        "nua": stock.nua if stock else None,
        "nua_tax_when_sold": cents(stock.nua * _rates(inputs)[1]) if stock else None,
        "nua_compare": _nua_compare(inputs, stock, options[4]) if stock else None,
        "payout_parts": _parts_table(paid, account.minus(paid)),
        "options": [asdict(o) for o in options],
        "warnings": _warnings(inputs, account, paid, stock),
    }


CALCULATOR = Calculator(
    name="leaving-employer",
    title="Leaving an employer: compare the choices",
    form=Inputs,
    outputs=(
        Output("cash_out_cost", "Cost of cashing out now (tax and additional tax)", "dollars",
               headline=True),
        Output("paid_out", "Paid out (rolled over or cashed)", "dollars"),
        Output("stays_in_plan", "Stays in the old plan", "dollars"),
        Output("conversion_recapture",
               "Of the 10% on cashing out: on recent in-plan Roth conversions", "dollars"),
        Output("nua", "Net unrealized appreciation (NUA), taxed only when the shares are sold",
               "dollars"),
        Output("nua_tax_when_sold", "Tax on the NUA when sold, at your long-term gain rate",
               "dollars"),
        Output("nua_compare", "NUA or rolling the stock over", "text"),
        Output("payout_parts", "What the payout is made of", "table", columns=(
            ("part", "Kind of money", "text"),
            ("paid_out", "Paid out", "dollars"),
            ("stays", "Stays in the old plan", "dollars"),
        )),
        Output("options", "The choices", "table", columns=(
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
