"""The limits file is validated on load: each way it can be wrong names the year and field."""

from __future__ import annotations

import re
from datetime import timedelta
from importlib.resources import files

import pytest

from calculators import LimitsError, load_limits
from calculators.limits import parse_limits

TEXT = (files("calculators") / "limits.toml").read_text(encoding="utf-8")


def replace_in_year(year: int, old: str, new: str) -> str:
    """The real file with one line of one year changed."""
    start = TEXT.index(f"[years.{year}]")
    end = TEXT.find("\n[years.", TEXT.index("\n", TEXT.index(f"[years.{year}.roth_ira_phase_out]")))
    end = len(TEXT) if end == -1 else end
    section = TEXT[start:end]
    assert re.search(old, section, flags=re.M), f"{old!r} not in {year}"
    return TEXT[:start] + re.sub(old, new, section, count=1, flags=re.M) + TEXT[end:]


def test_real_file_loads_with_the_pinned_years_and_no_gap():
    # The tests here pin 2024 to 2026; a copy may add later years, one after another.
    years = load_limits().years
    assert years[:3] == [2024, 2025, 2026]
    assert years == list(range(years[0], years[-1] + 1))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (TEXT.replace("[years.2025]", "[years.2025"), "not valid TOML"),
        (replace_in_year(2025, r"^source = .*\n", ""), "year 2025: field 'source': missing"),
        (replace_in_year(2025, r"^source_url = .*\n", 'source_url = "http://irs.gov"\n'),
         "year 2025: field 'source_url': must be an https:// link"),
        (replace_in_year(2026, r"^hce_threshold = .*\n", ""),
         "year 2026: field 'hce_threshold': missing"),
        (replace_in_year(2024, r"^ira_catch_up = 1000", "ira_catch_up = 1000\nira_catchup = 1000"),
         "year 2024: field 'ira_catchup': unknown field"),
        (replace_in_year(2026, r"^catch_up_50_plus = \d+", "catch_up_50_plus = -8000"),
         "year 2026: field 'catch_up_50_plus': must be a positive amount"),
        (replace_in_year(2026, r"^catch_up_50_plus = \d+", "catch_up_50_plus = 0"),
         "year 2026: field 'catch_up_50_plus': must be a positive amount"),
        (replace_in_year(2026, r"^annual_additions_limit = \d+", 'annual_additions_limit = "72000"'),
         "year 2026: field 'annual_additions_limit': must be a whole number of dollars"),
        (replace_in_year(2026, r"^annual_additions_limit = \d+", "annual_additions_limit = 72000.5"),
         "year 2026: field 'annual_additions_limit': must be a whole number of dollars"),
        (replace_in_year(2026, r"^compensation_limit = \d+", "compensation_limit = false"),
         "year 2026: field 'compensation_limit': must be a whole number of dollars, got False"),
        (replace_in_year(2026, r"^catch_up_60_to_63 = \d+", "catch_up_60_to_63 = true"),
         "year 2026: field 'catch_up_60_to_63': must be a whole number of dollars or false"),
        (replace_in_year(2025, r"^married_joint = .*", "married_joint = [246000, 236000]"),
         "year 2025: field 'roth_ira_phase_out.married_joint': end 236000 must be above start"),
        (replace_in_year(2025, r"^married_joint = .*", "married_joint = [236000]"),
         "year 2025: field 'roth_ira_phase_out.married_joint': must be [start, end]"),
        (replace_in_year(2025, r"^married_separate = .*\n", ""),
         "year 2025: field 'roth_ira_phase_out.married_separate': missing"),
        (replace_in_year(2025, r"^married_separate = .*", "married_separate = [-1, 10000]"),
         "year 2025: field 'roth_ira_phase_out.married_separate': amounts must not be negative"),
        (replace_in_year(2025, r"^married_separate = .*", "married_separate = [0, 1]\nwidowed = [1, 2]"),
         "year 2025: field 'roth_ira_phase_out.widowed': unknown filing status"),
        (TEXT.replace("[years.2024]", "[years.24]", 1).replace("[years.2024.", "[years.24.", 1),
         "year '24': must be a four-digit year"),
        (replace_in_year(2026, r"^social_security_wage_base = .*\n", ""),
         "year 2026: field 'social_security_wage_base': missing"),
        (replace_in_year(2025, r"^social_security_wage_base = \d+",
                         "social_security_wage_base = 0"),
         "year 2025: field 'social_security_wage_base': must be a positive amount"),
        (replace_in_year(2024, r"^social_security_wage_base = \d+",
                         "social_security_wage_base = -168600"),
         "year 2024: field 'social_security_wage_base': must be a positive amount"),
        (replace_in_year(2026, r"^social_security_wage_base = (\d+)",
                         r"social_security_wage_base = \1\nsocial_security_wagebase = \1"),
         "year 2026: field 'social_security_wagebase': unknown field"),
        (replace_in_year(2026, r"^social_security_source = .*\n", ""),
         "year 2026: field 'social_security_source': missing"),
        (replace_in_year(2025, r"^social_security_source_url = .*\n",
                         'social_security_source_url = "http://www.ssa.gov"\n'),
         "year 2025: field 'social_security_source_url': must be an https:// link"),
        ("title = 'x'\n" + TEXT, "unknown top-level field 'title'"),
        (TEXT.replace("\nchecked = ", "\n# checked = "), "field 'checked': must be the day"),
        (re.sub(r"^checked = (\S+)", r'checked = "\1"', TEXT, flags=re.M),
         "field 'checked': must be the day"),
        ("", "no [years.YYYY] tables"),
        # What `add-year` writes: refused until replaced, even where text would pass.
        (replace_in_year(2026, r"^hce_threshold = .*", 'hce_threshold = "TO ENTER: x"'),
         "year 2026: field 'hce_threshold': still to be entered from the IRS notice (replace "
         "the TO ENTER text with the figure in whole dollars)"),
        (replace_in_year(2025, r"^source = .*", 'source = "TO ENTER: from the IRS notice"'),
         "year 2025: field 'source': still to be entered from the IRS notice (replace the "
         "TO ENTER text with the notice's number"),
        (replace_in_year(2026, r"^social_security_wage_base = .*",
                         'social_security_wage_base = "TO ENTER: from the SSA announcement"'),
         "year 2026: field 'social_security_wage_base': still to be entered from the SSA "
         "announcement"),
        (replace_in_year(2024, r"^married_joint = .*", 'married_joint = "TO ENTER"'),
         "year 2024: field 'roth_ira_phase_out.married_joint': still to be entered from the "
         "IRS notice (replace the TO ENTER text with [start, end] in whole dollars)"),
        # The first in the file's order, as one fills them in from the top.
        (replace_in_year(2026, r"^ira_catch_up = .*", 'ira_catch_up = "TO ENTER"').replace(
            "elective_deferral_limit = 24500", 'elective_deferral_limit = "to enter"'),
         "year 2026: field 'elective_deferral_limit': still to be entered"),
    ],
    ids=[
        "corrupt-toml", "year-without-source", "source-not-https", "missing-figure",
        "unknown-key", "negative-amount", "zero-amount", "amount-as-text", "amount-with-cents",
        "required-figure-false", "optional-figure-true", "phase-out-reversed",
        "phase-out-one-number", "phase-out-missing-status", "phase-out-negative",
        "phase-out-unknown-status", "short-year", "wage-base-missing", "wage-base-zero",
        "wage-base-negative", "wage-base-misspelt", "wage-base-source-missing",
        "wage-base-source-not-https", "unknown-top-level", "check-date-missing",
        "check-date-quoted", "empty-file", "figure-to-enter", "source-to-enter",
        "wage-base-to-enter", "phase-out-to-enter", "first-field-to-enter",
    ],
)
def test_bad_limits_file_is_refused_naming_year_and_field(text, says):
    with pytest.raises(LimitsError) as caught:
        parse_limits(text)
    assert says in str(caught.value)


def test_social_security_wage_base_is_the_ssas_figure_with_its_own_source():
    # SSA's contribution and benefit base (its fact sheet with each year's benefit
    # increase): 2024 168,600; 2025 176,100; 2026 184,500. The IRS notice does not give it,
    # so each year names the SSA as its source, apart from the year's IRS source.
    limits = load_limits()
    assert [limits.for_year(y).social_security_wage_base for y in (2024, 2025, 2026)] == [
        168600, 176100, 184500]
    for y in (2024, 2025, 2026):
        year = limits.for_year(y)
        assert year.social_security_source.startswith(f"SSA, {y} ")
        assert year.social_security_source_url.startswith("https://www.ssa.gov/")


def test_year_not_in_file_lists_the_years_that_are():
    years = ", ".join(str(y) for y in load_limits().years)
    with pytest.raises(LimitsError, match="year 2023 is not in the limits file; "
                       f"years available: {years}"):
        load_limits().for_year(2023)


def test_catch_ups_start_at_50_for_plans_and_for_iras():
    # 2026 IRA: 7,500 at 49; 7,500 + 1,100 = 8,600 at 50.
    # 2026 401(k): 24,500 at 49; 24,500 + 8,000 = 32,500 at 50; 24,500 + 11,250 = 35,750 at 60.
    year = load_limits().for_year(2026)
    assert (year.ira_limit(49), year.ira_limit(50)) == (7500, 8600)
    assert (year.deferral_limit(49), year.deferral_limit(50), year.deferral_limit(60)) == (
        24500, 32500, 35750)


def test_most_after_tax_with_maximum_deferrals_is_415c_less_402g():
    # 2024: 69,000 - 23,000 = 46,000; 2025: 70,000 - 23,500 = 46,500;
    # 2026: 72,000 - 24,500 = 47,500.
    limits = load_limits()
    assert [limits.for_year(y).most_after_tax for y in (2024, 2025, 2026)] == [46000, 46500, 47500]


def test_optional_figures_false_mean_not_in_effect():
    limits = load_limits()
    assert limits.for_year(2024).catch_up_60_to_63 is None
    assert limits.for_year(2025).roth_catch_up_wage_threshold is None
    assert limits.for_year(2026).roth_catch_up_wage_threshold is not None


def test_load_limits_rereads_a_changed_file_and_refuses_a_bad_one_every_time(tmp_path):
    # What `mkdocs serve` needs: each build calls load_limits() and sees the file as it is.
    path = tmp_path / "limits.toml"
    path.write_text(TEXT, encoding="utf-8")
    first = load_limits(path)
    assert load_limits(path) is first  # same text: the validated result is reused
    path.write_text(replace_in_year(2026, r"^annual_additions_limit = \d+",
                                    "annual_additions_limit = 73000"), encoding="utf-8")
    assert load_limits(path).for_year(2026).annual_additions_limit == 73000
    path.write_text(replace_in_year(2026, r"^annual_additions_limit = \d+",
                                    "annual_additions_limit = -1"), encoding="utf-8")
    for _ in range(2):  # refused on every load, never the last good figures
        with pytest.raises(LimitsError, match="year 2026: field 'annual_additions_limit'"):
            load_limits(path)
    path.write_text(TEXT, encoding="utf-8")
    assert load_limits(path).for_year(2026).annual_additions_limit == first.for_year(
        2026).annual_additions_limit


def test_packaged_limits_are_validated_once_per_text():
    assert load_limits() is load_limits()
    assert load_limits() is load_limits(files("calculators") / "limits.toml")


def test_check_date_after_today_is_refused_and_today_is_not():
    # The rules read no clock: the build passes its own date in.
    limits = load_limits()
    limits.check_date_not_after(limits.checked)
    with pytest.raises(LimitsError, match=r"field 'checked': .* is after today"):
        limits.check_date_not_after(limits.checked - timedelta(days=1))
