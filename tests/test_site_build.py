"""The built site: page text and pre-rendered results come from the limits file.

Builds the real project, and copies of it with a changed limits file, in
temporary folders and reads the HTML (as mkdocs-macros-plugin's own tests do).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, timedelta

import pytest

from calculators import dollars, load_limits, run

from .helpers import (
    DISCLAIMER,
    PUBLISHER,
    ROOT,
    SITE_YEAR,
    build_site,
    copy_project,
    fill_test_year,
    output_text,
    site_pages,
    text_of,
)


def test_site_year_is_set_once_in_mkdocs_yml_and_is_in_the_limits_file(limits):
    assert len(re.findall(r"^\s*tax_year:", (ROOT / "mkdocs.yml").read_text(), re.M)) == 1
    assert SITE_YEAR in limits.years


def test_home_page_shows_the_files_figures(built_site):
    year = load_limits().for_year(SITE_YEAR)
    text = text_of((built_site / "index.html").read_text())
    assert f"In {SITE_YEAR}, the total" in text
    assert dollars(year.annual_additions_limit) in text
    assert dollars(year.elective_deferral_limit) in text
    assert year.source in text


def test_home_page_derived_room_for_55_year_old_is_the_calculators(built_site, limits):
    # Deferring the age-55 maximum with no employer money leaves 415(c) - 402(g).
    year = limits.for_year(SITE_YEAR)
    expected = run("after-tax-space", {
        "year": SITE_YEAR, "age": 55, "compensation": 300000,
        "elective_deferrals": year.deferral_limit(55), "employer_contributions": 0,
    })["after_tax_room"]
    assert expected == year.annual_additions_limit - year.elective_deferral_limit
    text = text_of((built_site / "index.html").read_text())
    assert f"can still add {dollars(expected)} after tax" in text


def test_calculator_page_has_form_and_default_results_without_javascript(built_site, limits):
    html = (built_site / "how-to.html").read_text()
    for name in ("year", "age", "compensation", "elective_deferrals", "employer_contributions",
                 "after_tax_cap", "after_tax_cap_percent", "prior_year_fica_wages",
                 "pay_periods_remaining"):
        assert re.search(rf'<label for="after-tax-space-{name}">', html), name
    # Default scenario: age 40, pay 200,000, deferring the 402(g) limit, employer 6,000.
    year = limits.for_year(SITE_YEAR)
    expected = year.annual_additions_limit - year.elective_deferral_limit - 6000
    assert output_text(html, "after_tax_room") == dollars(expected)
    assert re.search(rf'<option value="{SITE_YEAR}" selected>{SITE_YEAR}</option>', html)
    assert re.search(r'data-wheel="(\./)?assets/python/[0-9a-f]{12}/calculators-', html)
    assert re.search(r'data-pyodide="(\./)?assets/pyodide/[0-9a-f]{12}/pyodide.mjs"', html)


def test_limits_page_lists_every_year_with_its_source(built_site, limits, site_limits):
    text = text_of((built_site / "limits-by-year.html").read_text())
    for y in limits.years:
        year = limits.for_year(y)
        assert year.source in text
        assert dollars(year.annual_additions_limit) in text
    html = (built_site / "limits-by-year.html").read_text()
    assert f'href="{site_limits.source_url}"' in html


def test_pyodide_runtime_and_wheel_are_in_the_site(built_site):
    runtimes = list((built_site / "assets" / "pyodide").iterdir())
    assert len(runtimes) == 1, "one content-hashed runtime folder"
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert (runtimes[0] / name).stat().st_size > 0
    wheels = list((built_site / "assets" / "python").glob("*/calculators-*-py3-none-any.whl"))
    assert len(wheels) == 1


def test_changing_a_figure_changes_page_text_and_calculator_answer(tmp_path):
    project = copy_project(tmp_path)
    limits_file = project / "calculators" / "limits.toml"
    text = limits_file.read_text()
    year_block = text.index(f"[years.{SITE_YEAR}]")
    old = re.compile(r"^annual_additions_limit = (\d+)$", re.M)
    current = int(old.search(text, year_block).group(1))
    changed = current + 3000
    limits_file.write_text(
        text[:year_block] + old.sub(f"annual_additions_limit = {changed}", text[year_block:], 1)
    )
    # Pyodide's own standard library, no bytecode, no snapshot: the browser runtime is not
    # this test's subject, and those take half a minute to make for a changed wheel.
    done = build_site(project, tmp_path / "site", {"MBR_BASELINE_RUNTIME": "1"})
    assert done.returncode == 0, done.stderr
    home = text_of((tmp_path / "site" / "index.html").read_text())
    assert dollars(changed) in home and dollars(current) not in home
    calc = (tmp_path / "site" / "how-to.html").read_text()
    before = run("after-tax-space", {"year": SITE_YEAR, "age": 40, "compensation": 200000,
                                      "elective_deferrals": 0, "employer_contributions": 6000})
    assert output_text(calc, "after_tax_room") == dollars(
        changed - load_limits().for_year(SITE_YEAR).elective_deferral_limit - 6000)
    # The command line of the copy answers with the new figure too.
    cli = subprocess.run(
        [sys.executable, "-m", "calculators", "run", "after-tax-space",
         json.dumps({"year": SITE_YEAR, "age": 40, "compensation": 200000,
                     "elective_deferrals": 0, "employer_contributions": 6000})],
        cwd=project, capture_output=True, text=True, check=True,
    )
    assert json.loads(cli.stdout)["after_tax_room"] == before["after_tax_room"] + 3000


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda t: t.replace("catch_up_50_plus = 8000", "catch_up_50_plus = -8000"),
         "year 2026: field 'catch_up_50_plus': must be a positive amount"),
        (lambda t: t.replace('source = "Notice 2024-80 (IR-2024-285)"\n', ""),
         "year 2025: field 'source': missing"),
        (lambda t: t.replace("[years.2026]", "[years.2026"), "limits file: not valid TOML"),
        (lambda t: t.replace("hce_threshold = 155000", "hce_threshold = 155000\nhce_limit = 1"),
         "year 2024: field 'hce_limit': unknown field"),
        (lambda t: t.replace("ira_catch_up = 1100\n", ""),
         "year 2026: field 'ira_catch_up': missing"),
        # A check date after the day of the build: nobody has checked the figures then yet.
        (lambda t: re.sub(r"^checked = .*$", f"checked = {date.today() + timedelta(days=1)}",
                          t, count=1, flags=re.M),
         "field 'checked': " + (date.today() + timedelta(days=1)).isoformat() + " is after today"),
    ],
    ids=["negative-amount", "year-without-source", "corrupt-toml", "unknown-key",
         "missing-figure", "check-date-in-the-future"],
)
def test_bad_limits_file_fails_the_build_naming_year_and_field(tmp_path, edit, says):
    project = copy_project(tmp_path)
    limits_file = project / "calculators" / "limits.toml"
    limits_file.write_text(edit(limits_file.read_text()))
    done = build_site(project, tmp_path / "site")
    assert done.returncode != 0
    assert says in done.stderr + done.stdout
    # The one line, not under a traceback (MkDocs prints a PluginError as its message).
    assert "Traceback" not in done.stderr + done.stdout


def test_a_year_added_by_the_command_stops_the_build_until_its_figures_are_entered(tmp_path):
    project = copy_project(tmp_path)
    limits_file = project / "calculators" / "limits.toml"
    year = load_limits(limits_file).newest_year + 1
    added = subprocess.run([sys.executable, "-m", "calculators", "add-year", str(year)],
                           cwd=project, capture_output=True, text=True, check=False)
    assert added.returncode == 0, added.stderr
    done = build_site(project, tmp_path / "site")
    assert done.returncode != 0
    assert re.search(rf"limits file: year {year}: field '\w+': still to be entered from the "
                     "IRS notice", done.stderr + done.stdout), done.stderr[-2000:]
    assert "Traceback" not in done.stderr + done.stdout
    # Test-only figures in every field: the build goes through, and the year has its column.
    figures = fill_test_year(limits_file, year)
    done = build_site(project, tmp_path / "site", {"MBR_BASELINE_RUNTIME": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    html = (tmp_path / "site" / "limits-by-year.html").read_text()
    assert re.search(rf"<th[^>]*>{year}</th>", html)
    text = text_of(html)
    assert figures.source in text and dollars(figures.annual_additions_limit) in text


def test_site_year_not_in_file_fails_the_build(tmp_path, limits):
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    absent = limits.years[-1] + 5
    config.write_text(config.read_text().replace(f"tax_year: {SITE_YEAR}", f"tax_year: {absent}"))
    done = build_site(project, tmp_path / "site")
    assert done.returncode != 0
    years = ", ".join(str(y) for y in limits.years)
    assert f"year {absent} is not in the limits file; years available: {years}" in (
        done.stderr + done.stdout)
    assert "Traceback" not in done.stderr + done.stdout


def test_undefined_name_in_a_page_fails_the_build(tmp_path):
    project = copy_project(tmp_path)
    page = project / "docs" / "index.md"
    page.write_text(page.read_text() + "\n{{ limits.no_such_figure | dollars }}\n")
    done = build_site(project, tmp_path / "site")
    assert done.returncode != 0
    assert "has no attribute 'no_such_figure'" in done.stderr + done.stdout


def test_common_mistake_page_shows_the_calculators_right_room_for_a_50_plus_reader(
        built_site, limits):
    # 55-year-old deferring the age's maximum, no employer money, pay that does not bind:
    # right = 415(c) - 402(g); wrong = 415(c) - (402(g) + catch-up).
    year = limits.for_year(SITE_YEAR)
    result = run("after-tax-space", {
        "year": SITE_YEAR, "age": 55, "compensation": 300000,
        "elective_deferrals": year.deferral_limit(55), "employer_contributions": 0})
    assert result["after_tax_room"] == year.annual_additions_limit - year.elective_deferral_limit
    html = (built_site / "common-mistake.html").read_text()
    row = re.search(r"<tr>\s*<td>After-tax room</td>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>",
                    html, re.S)
    assert row, "no 'After-tax room' row in the wrong/right table"
    wrong, right = (text_of(cell).strip() for cell in row.groups())
    assert right == dollars(result["after_tax_room"])
    assert wrong == dollars(result["room_if_catch_up_counted"])
    assert wrong != right


def test_every_page_names_the_publisher_of_mkdocs_yml(built_site):
    for name in site_pages(built_site):
        text = text_of((built_site / name).read_text(encoding="utf-8"))
        assert f"Published by {PUBLISHER}" in text, name
        assert DISCLAIMER in text, name


def test_instant_navigation_stays_off():
    # Each page loads whole: an offline copy opened from disk cannot fetch pages by XHR.
    features = re.search(r"features:\n((?:\s+- .*\n|\s+#.*\n)+)", (ROOT / "mkdocs.yml").read_text())
    assert "navigation.instant" not in re.sub(r"#.*", "", features.group(1))
