"""FICA on a paycheck: the Social Security and Medicare tax withheld from an employee's pay.

Rule 15 (calculators/RULES.md section 2): pre-tax and Roth deferrals and after-tax
contributions are all FICA wages (IRC 3121(v)(1)(A)), so no election lowers it, and a
paycheck can give the plan only what is left after it. The Social Security wage base
changes each year and comes from the limits file (the SSA's figure, with its source);
the rates and the additional Medicare tax's withholding threshold are fixed in the
statute, not indexed, so they are named here with their citations.
"""

from __future__ import annotations

from decimal import Decimal

from .limits import YearLimits
from .money import cents

__all__ = ["paycheck_fica"]

SOCIAL_SECURITY_RATE = Decimal("0.062")  # IRC 3101(a), on wages up to the wage base
MEDICARE_RATE = Decimal("0.0145")  # IRC 3101(b)(1), on all wages
ADDITIONAL_MEDICARE_RATE = Decimal("0.009")  # IRC 3101(b)(2)
# IRC 3102(f)(1): the employer withholds the additional Medicare tax on wages it pays in the
# calendar year above $200,000, whatever the employee's filing status.
ADDITIONAL_MEDICARE_WITHHOLDING_START = Decimal(200_000)


def paycheck_fica(pay: Decimal, paid_before: Decimal, limits: YearLimits) -> Decimal:
    """FICA withheld from a paycheck of `pay`, after `paid_before` of wages from the same
    employer earlier in the calendar year: Social Security on the part of the check below
    the year's wage base, Medicare on all of it, and the additional Medicare tax on the
    part above the withholding threshold; each rounded to the cent, as payroll does."""
    base = Decimal(limits.social_security_wage_base)
    social_security_wages = min(pay, max(Decimal(0), base - paid_before))
    above_threshold = min(pay, max(Decimal(0),
                                   paid_before + pay - ADDITIONAL_MEDICARE_WITHHOLDING_START))
    return (cents(social_security_wages * SOCIAL_SECURITY_RATE) + cents(pay * MEDICARE_RATE)
            + cents(above_threshold * ADDITIONAL_MEDICARE_RATE))
