"""The limits file: validated strictly, reloaded when it changes, looked up by tax year.

Every figure the site prints or a calculator uses comes from ``limits.toml``
through this module. A file that is wrong in any way stops everything with one
line naming the year and the field, so a typo can never reach a reader.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "AMOUNT_FIELDS",
    "CATCH_UP_AGE",
    "FILING_STATUSES",
    "TO_ENTER",
    "YEAR_KEYS",
    "Limits",
    "LimitsError",
    "PhaseOut",
    "YearLimits",
    "load_limits",
    "parse_limits",
]


class LimitsError(ValueError):
    """The limits file is malformed; the message names the year and the field."""


@dataclass(frozen=True)
class AmountField:
    key: str
    label: str
    citation: str
    optional: bool = False  # may be `false`: not in effect that year
    absent: str = "not in effect"  # what the limits table says for `false`


# Order is the order of the limits table on the site.
AMOUNT_FIELDS: tuple[AmountField, ...] = (
    AmountField("elective_deferral_limit", "Elective deferral limit (pre-tax + Roth)", "IRC 402(g)"),
    AmountField("catch_up_50_plus", "Catch-up, age 50 or older", "IRC 414(v)"),
    AmountField(
        "catch_up_60_to_63", "Catch-up, age 60 to 63", "IRC 414(v)(2)(E)", optional=True,
        absent="none that year",
    ),
    AmountField("annual_additions_limit", "Annual additions limit (per employer)", "IRC 415(c)"),
    AmountField("compensation_limit", "Compensation limit", "IRC 401(a)(17)"),
    AmountField("hce_threshold", "Highly compensated employee threshold", "IRC 414(q)"),
    AmountField("ira_contribution_limit", "IRA contribution limit", "IRC 219(b)(5)(A)"),
    AmountField("ira_catch_up", "IRA catch-up, age 50 or older", "IRC 219(b)(5)(B)"),
    AmountField(
        "roth_catch_up_wage_threshold",
        "Prior-year FICA wages above which catch-ups must be Roth",
        "IRC 414(v)(7)",
        optional=True,
        absent="not enforced (transition relief, Notice 2023-62)",
    ),
    # Not from the IRS notice: the Social Security Administration announces it, and the
    # year names that announcement in social_security_source (see the limits file).
    AmountField(
        "social_security_wage_base", "Social Security wage base (announced by the SSA)",
        "IRC 3121(a)(1); Social Security Act sec. 230",
    ),
)

FILING_STATUSES: dict[str, str] = {
    "single_or_head_of_household": "Single or head of household",
    "married_joint": "Married filing jointly",
    "married_separate": "Married filing separately (lived with spouse)",
}

# Each figure's source: the IRS notice for the year, and the SSA's announcement of the
# Social Security wage base.
_TEXT_FIELDS = ("source", "source_url", "social_security_source", "social_security_source_url")
_TABLE_FIELDS = ("roth_ira_phase_out",)
YEAR_KEYS = frozenset(
    [f.key for f in AMOUNT_FIELDS] + list(_TEXT_FIELDS) + list(_TABLE_FIELDS)
)


# What `python -m calculators add-year` writes in place of each figure and source of a new
# year, and what the validator refuses until it is replaced: a year's figures come from its
# IRS notice (the wage base from the SSA's announcement), never copied or estimated.
TO_ENTER = "TO ENTER"
_SSA_FIELDS = frozenset(
    ("social_security_wage_base", "social_security_source", "social_security_source_url"))


def to_enter(field: str) -> tuple[str, str]:
    """(Where the field's value comes from, what replaces the TO ENTER text)."""
    where = "the SSA announcement" if field in _SSA_FIELDS else "the IRS notice"
    if field.endswith("source_url"):
        what = "its https:// address"
    elif field.endswith("source"):
        what = ("the announcement's title" if field in _SSA_FIELDS else "the notice's number")
        what += ", as the other years give it"
    elif field.startswith("roth_ira_phase_out."):
        what = "[start, end] in whole dollars"
    else:
        what = "the figure in whole dollars"
    return where, what


def _still_to_enter(year: str, entry: dict[str, Any]) -> None:
    """Refuse the first field, in the file's order, that still holds the TO ENTER text."""
    fields = []
    for key, value in entry.items():
        if isinstance(value, dict):
            fields += [(f"{key}.{sub}", v) for sub, v in value.items()]
        else:
            fields.append((key, value))
    for field, value in fields:
        if isinstance(value, str) and value.lstrip().upper().startswith(TO_ENTER):
            where, what = to_enter(field)
            raise _fail(year, field, f"still to be entered from {where} (replace the "
                        f"{TO_ENTER} text with {what})")


# Catch-ups start in the year a person turns 50, in plans (IRC 414(v)(5)(A)) and in IRAs
# (IRC 219(b)(5)(B)). Fixed by statute, not indexed, so it is not in limits.toml.
CATCH_UP_AGE = 50


@dataclass(frozen=True)
class PhaseOut:
    """A Roth IRA MAGI phase-out range: full contribution at or below start, none at end."""

    start: int
    end: int


@dataclass(frozen=True)
class YearLimits:
    year: int
    source: str
    source_url: str
    elective_deferral_limit: int
    catch_up_50_plus: int
    catch_up_60_to_63: int | None
    annual_additions_limit: int
    compensation_limit: int
    hce_threshold: int
    ira_contribution_limit: int
    ira_catch_up: int
    roth_catch_up_wage_threshold: int | None
    social_security_wage_base: int
    social_security_source: str
    social_security_source_url: str
    roth_ira_phase_out: dict[str, PhaseOut]

    def catch_up_limit(self, age: int) -> int:
        """Catch-up allowed for the age reached by Dec 31 (IRC 414(v)(2)(B) and (E))."""
        if age < CATCH_UP_AGE:
            return 0
        if 60 <= age <= 63 and self.catch_up_60_to_63 is not None:
            return self.catch_up_60_to_63
        return self.catch_up_50_plus

    def deferral_limit(self, age: int) -> int:
        """Most a person of this age may defer in the year: 402(g) plus the age's catch-up."""
        return self.elective_deferral_limit + self.catch_up_limit(age)

    def ira_limit(self, age: int) -> int:
        """Most a person of this age may put into IRAs in the year (IRC 219(b)(5))."""
        return self.ira_contribution_limit + (self.ira_catch_up if age >= CATCH_UP_AGE else 0)

    @property
    def most_after_tax(self) -> int:
        """Most after-tax money one plan can take from someone who defers the most and gets
        no employer money: catch-ups sit outside 415(c), so this holds at every age."""
        return self.annual_additions_limit - self.elective_deferral_limit


@dataclass(frozen=True)
class Limits:
    """Every year in the file, by year, and the day the figures were last checked."""

    by_year: dict[int, YearLimits]
    # The day someone last compared the file with the IRS (and SSA) publications: the
    # pages print it, so a reader in a later year knows how old "not in this copy" is.
    checked: date

    @property
    def newest_year(self) -> int:
        return max(self.by_year)

    def check_date_not_after(self, today: date) -> None:
        """Refuse a check date after `today` (the caller's clock: the rules read none)."""
        if self.checked > today:
            raise LimitsError(
                f"limits file: field 'checked': {self.checked.isoformat()} is after today "
                f"({today.isoformat()}); enter the day the figures were last checked "
                "against the IRS, as YYYY-MM-DD")

    @property
    def years(self) -> list[int]:
        return sorted(self.by_year)

    def missing_year(self, year: int) -> str:
        """Why `year` cannot be looked up."""
        return f"{year} is not in the limits file; years available: " + self.years_listed()

    def years_listed(self) -> str:
        return ", ".join(str(y) for y in self.years)

    def for_year(self, year: int) -> YearLimits:
        try:
            return self.by_year[year]
        except KeyError:
            raise LimitsError(f"year {self.missing_year(year)}") from None


def _fail(year: str, field: str, message: str) -> LimitsError:
    return LimitsError(f"limits file: year {year}: field '{field}': {message}")


def _is_whole(value: Any) -> bool:
    # bool is an int in Python; `true` in the file is never a dollar amount.
    return isinstance(value, int) and not isinstance(value, bool)


def _amount(year: str, spec: AmountField, value: Any) -> int | None:
    if value is False and spec.optional:
        return None
    if not _is_whole(value):
        allowed = "a whole number of dollars" + (" or false" if spec.optional else "")
        raise _fail(year, spec.key, f"must be {allowed}, got {value!r}")
    if value <= 0:
        raise _fail(year, spec.key, f"must be a positive amount, got {value}")
    return value


def _text(year: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(year, key, f"must be non-empty text, got {value!r}")
    if key.endswith("source_url") and not value.startswith("https://"):
        raise _fail(year, key, f"must be an https:// link, got {value!r}")
    return value


def _phase_outs(year: str, table: Any) -> dict[str, PhaseOut]:
    key = "roth_ira_phase_out"
    if not isinstance(table, dict):
        raise _fail(year, key, "must be a table of filing statuses")
    unknown = sorted(set(table) - set(FILING_STATUSES))
    if unknown:
        raise _fail(
            year,
            f"{key}.{unknown[0]}",
            "unknown filing status; allowed: " + ", ".join(FILING_STATUSES),
        )
    ranges = {}
    for status in FILING_STATUSES:
        field = f"{key}.{status}"
        if status not in table:
            raise _fail(year, field, "missing")
        pair = table[status]
        if not (isinstance(pair, list) and len(pair) == 2 and all(_is_whole(v) for v in pair)):
            raise _fail(year, field, f"must be [start, end] in whole dollars, got {pair!r}")
        start, end = pair
        # Married filing separately starts at zero, so only the start may be 0.
        if start < 0 or end <= 0:
            raise _fail(year, field, f"amounts must not be negative, got {pair!r}")
        if end <= start:
            raise _fail(year, field, f"end {end} must be above start {start}")
        ranges[status] = PhaseOut(start, end)
    return ranges


def _year(year: str, entry: Any) -> YearLimits:
    if not isinstance(entry, dict):
        raise LimitsError(f"limits file: year {year}: must be a table of figures")
    _still_to_enter(year, entry)
    unknown = sorted(set(entry) - YEAR_KEYS)
    if unknown:
        raise _fail(year, unknown[0], "unknown field; check the spelling against limits.py")
    for key in sorted(YEAR_KEYS):
        if key not in entry:
            raise _fail(year, key, "missing; every year must give every figure and its source")
    values: dict[str, Any] = {k: _text(year, k, entry[k]) for k in _TEXT_FIELDS}
    values.update({f.key: _amount(year, f, entry[f.key]) for f in AMOUNT_FIELDS})
    values["roth_ira_phase_out"] = _phase_outs(year, entry["roth_ira_phase_out"])
    return YearLimits(year=int(year), **values)


def parse_limits(text: str) -> Limits:
    """Parse and validate the text of a limits file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LimitsError(f"limits file: not valid TOML: {error}") from None
    unknown = sorted(set(data) - {"years", "checked"})
    if unknown:
        raise LimitsError(f"limits file: unknown top-level field '{unknown[0]}'; "
                          "only checked and [years.YYYY]")
    years = data.get("years")
    if not isinstance(years, dict) or not years:
        raise LimitsError("limits file: no [years.YYYY] tables")
    by_year = {}
    for year, entry in years.items():
        if not (year.isdigit() and len(year) == 4):
            raise LimitsError(f"limits file: year '{year}': must be a four-digit year")
        by_year[int(year)] = _year(year, entry)
    checked = data.get("checked")
    # tomllib gives a bare TOML date as a date, and a date with a time as a datetime.
    if type(checked) is not date:
        raise LimitsError(
            "limits file: field 'checked': must be the day the figures were last checked "
            f"against the IRS, a date such as 2026-12-08 (no quotes), got {checked!r}")
    return Limits(by_year, checked)


def load_limits(path: Path | str | None = None) -> Limits:
    """Load and validate a limits file: the packaged ``limits.toml``, or `path`.

    The file is read on every call and parsed again whenever its text has changed, so a
    long-lived process sees each edit: ``mkdocs serve`` rebuilding the site calls this
    once per build and gets the figures as they are now, the page text and the
    calculators alike. Unchanged text gives the same, already validated Limits (a cache
    keyed by the text), so calling it per calculation costs one small file read. A bad
    file raises LimitsError on every call; a result of an earlier, good version of the
    file is never returned in its place.
    """
    # The package is always files on disk (installed, or unpacked in Pyodide): read beside
    # this module, without importlib.resources, whose import costs a phone's first answer.
    file = Path(__file__).with_name("limits.toml") if path is None else Path(path)
    return _parsed(file.read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _parsed(text: str) -> Limits:
    # Exceptions are not cached: a bad text is validated (and refused) again each time.
    return parse_limits(text)
