"""Helpers of the leaving-an-employer calculator: what a payout is made of, and employer
stock paid out in kind (calculators/RULES.md section 2, rules 9, 11 and 13).

No CALCULATOR here: the registry finds only leaving_employer.py.

- A partial payout carries its pro-rata share of each kind of money (IRC 72(e)(8); IRS
  FAQ "Rollovers of after-tax contributions": of a $100,000 account holding $80,000
  pre-tax and $20,000 after-tax, a $50,000 payout is $40,000 pre-tax and $10,000
  after-tax). By default the share is taken across the whole account; where the plan
  accounts for after-tax money as a separate contract (IRC 72(d)(2)), a payout from that
  money alone is pro rata within it: its contributions and their earnings.
- Inside the Roth part, the Roth earnings and the taxable part of recent in-plan
  conversions come out pro rata too. This is an assumption, stated as one: a Roth payout
  that is not qualified is taxed under IRC 72 in proportion to its basis and earnings
  (Treas. Reg. 1.402A-1, Q&A-3; Notice 2010-84, section II), but no rule says in terms
  how the 5-year recapture of 402A(c)(4)(D) is allocated within it.
- Employer stock (NUA, IRC 402(e)(4)): see stock_paid_in_kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .fields import InputError
from .money import cents, dollars

ZERO = Decimal(0)


@dataclass(frozen=True)
class Parts:
    """The kinds of money in an amount (a payout, or what stays in the plan)."""

    pretax: Decimal
    basis: Decimal  # after-tax contributions
    after_tax_earnings: Decimal
    roth: Decimal  # the whole Roth amount, its earnings included
    roth_earnings: Decimal  # inside roth
    recent_conversions_taxable: Decimal  # inside roth, not earnings

    @property
    def total(self) -> Decimal:
        return self.pretax + self.basis + self.after_tax_earnings + self.roth

    @property
    def roth_destined(self) -> Decimal:
        """Money that is tax-free for good once in a Roth account: Roth money and basis."""
        return self.roth + self.basis

    @property
    def pretax_destined(self) -> Decimal:
        """Money that stays untaxed only in a pre-tax account: pre-tax money and earnings."""
        return self.pretax + self.after_tax_earnings

    def minus(self, other: Parts) -> Parts:
        return Parts(*(a - b for a, b in zip(self._values(), other._values(), strict=True)))

    def _values(self) -> tuple[Decimal, ...]:
        return (self.pretax, self.basis, self.after_tax_earnings, self.roth,
                self.roth_earnings, self.recent_conversions_taxable)


def _share(amount: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    """part x amount / whole, to the cent (0 when the whole is 0)."""
    if whole == 0:
        return ZERO
    return cents(part * amount / whole)


def payout_parts(account: Parts, payout: Decimal | None, after_tax_only: bool) -> Parts:
    """What a payout is made of (pro rata, IRC 72(e)(8)); refuses a payout of 0 or more
    than the money it is drawn from, naming the field `payout`."""
    if after_tax_only:
        source = Parts(ZERO, account.basis, account.after_tax_earnings, ZERO, ZERO, ZERO)
        what = "the after-tax money (contributions and their earnings)"
    else:
        source = account
        what = "the whole balance"
    available = source.total
    if payout is None:
        return source
    if payout <= 0 or payout > available:
        raise InputError(
            "payout", f"must be more than $0 and at most {what}, {dollars(available)}, or "
                      f"left empty for all of it; got {dollars(payout)}")
    # Each kind's share to the cent; the cents lost to rounding go to the largest kinds that
    # have room, so the parts add up to the payout exactly and none passes what it holds.
    held = (source.pretax, source.basis, source.after_tax_earnings, source.roth)
    kinds = [_share(payout, v, available) for v in held]
    for k in sorted(range(4), key=lambda k: -held[k]):
        kinds[k] = min(held[k], max(ZERO, kinds[k] + payout - sum(kinds)))
    roth = kinds[3]
    return Parts(kinds[0], kinds[1], kinds[2], roth,
                 _share(roth, source.roth_earnings, source.roth),
                 _share(roth, source.recent_conversions_taxable, source.roth))


@dataclass(frozen=True)
class Stock:
    """Employer stock paid out in kind in a lump-sum distribution (IRC 402(e)(4)(B), (D))."""

    value: Decimal
    basis: Decimal

    @property
    def nua(self) -> Decimal:
        """Net unrealized appreciation: taxed only when sold, as long-term gain."""
        return self.value - self.basis


def stock_paid_in_kind(value: Decimal | None, basis: Decimal | None,
                       pretax_balance: Decimal) -> Stock | None:
    """The employer stock, checked: its basis is at most its value, and it is at most the
    pre-tax balance it sits in. None when there is none."""
    if not value:
        if basis:
            raise InputError("employer_stock_basis",
                             "must be at most the employer stock's value (employer_stock_value"
                             f", here {dollars(value or 0)}); got {dollars(basis)}")
        return None
    if value > pretax_balance:
        raise InputError("employer_stock_value",
                         "must be at most the pre-tax balance it is part of, "
                         f"{dollars(pretax_balance)}; got {dollars(value)}")
    if basis is None:
        raise InputError("employer_stock_basis",
                         "is required when employer_stock_value is entered: enter the plan's "
                         f"cost basis for the stock, from $0 to {dollars(value)}")
    if basis > value:
        raise InputError("employer_stock_basis",
                         f"must be at most the employer stock's value, {dollars(value)}; "
                         f"got {dollars(basis)}")
    return Stock(value, basis)
