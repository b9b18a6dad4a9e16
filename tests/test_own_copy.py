"""A firm's own copy, made by the README's three recipes: rebrand, add a tax year as the
default, add a calculator. Pages, pre-rendered results and live results follow the copy's
settings, and the project's config-following site tests pass inside the copy.

The copy is built once for the module (its new wheel means a fresh bytecode and snapshot
the first time; later runs reuse the shared cache, as the copy's files are the same).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from calculators import default_inputs, dollars, load_limits, run

from .helpers import PUBLISHER as ORIGINAL_PUBLISHER
from .helpers import (
    ROOT,
    build_site,
    copy_project,
    output,
    output_text,
    serve_site,
    text_of,
    wait_output,
    wait_ready,
)

PUBLISHER = "Acme Advisors"
CONTACT = "https://acme.example.com/contact"
DISCLAIMER = "Acme Advisors' general information, not advice for your own situation."
# A test-only year after the file's last (2027 in the project itself): its figures below
# are plausible, not an IRS notice.
YEAR = load_limits().years[-1] + 1
BRAND = {"primary": "#4a148c", "accent": "#ad1457", "dark_accent": "#ffb74d"}

# Recipe 2, "Add a tax year": the year's block, copied from the last one, figures changed.
TEST_YEAR = f"""
[years.{YEAR}]
source = "Test-only figures (no IRS notice)"
source_url = "https://www.irs.gov/newsroom/test-only-{YEAR}"
elective_deferral_limit = 25000
catch_up_50_plus = 8500
catch_up_60_to_63 = 11500
annual_additions_limit = 74000
compensation_limit = 370000
hce_threshold = 165000
ira_contribution_limit = 8000
ira_catch_up = 1100
roth_catch_up_wage_threshold = 155000
social_security_wage_base = 190000
social_security_source = "Test-only figure (no SSA announcement)"
social_security_source_url = "https://www.ssa.gov/test-only-{YEAR}"

[years.{YEAR}.roth_ira_phase_out]
single_or_head_of_household = [158000, 173000]
married_joint = [250000, 260000]
married_separate = [0, 10000]
"""

# Recipe 3, "Add a calculator": one module, one page, one nav line.
EXTRA_CALCULATOR = '''"""Acme monthly: the 415(c) room left after the 402(g) limit and the employer's
money, spread over 12 months (a calculator added by a test of the README's recipe)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .calculator import Calculator, ask, calculator_inputs
from .fields import Output
from .limits import Limits
from .money import cents


@calculator_inputs
class Inputs:
    year: int = ask("Tax year", "year", "The tax year whose IRS limits apply.", 2000, 2100)
    employer_contributions: Decimal = ask(
        "Employer contributions", "dollars", "Match and profit sharing for the year.",
        0, 1_000_000, default=6000)


def run(inputs: Inputs, limits: Limits) -> dict[str, Any]:
    year = limits.for_year(inputs.year)
    room = max(Decimal(0), year.annual_additions_limit - year.elective_deferral_limit
               - inputs.employer_contributions)
    return {"year": inputs.year, "monthly_after_tax": cents(room / 12), "warnings": []}


CALCULATOR = Calculator(
    name="acme-monthly",
    title="Acme monthly after-tax calculator",
    form=Inputs,
    outputs=(Output("monthly_after_tax", "After tax each month", "dollars", headline=True),),
    compute=run,
    example=("employer_contributions", "10000"),
)
'''
EXTRA_PAGE = """---
description: What is left of the yearly 401(k) total after your deferrals and your employer's
  money, spread over the months.
---

# Monthly after-tax contributions

In {{ year }}, everything that goes into your 401(k) in a year can total
{{ limits.annual_additions_limit | dollars }} (IRC 415(c)). This spreads what is left after
your own deferrals and your employer's money over the months of the year.

{{ calculator("acme-monthly") }}
"""
# What the site tests inside the copy run: every config-following test that reads the built
# site, the pages and the limits file. Left out: the tests that build further copies of the
# copy (each a full build; they check the build's mechanics, already run on the project).
INNER_TESTS = ["tests/test_site_build.py", "tests/test_page_figures.py", "tests/test_brand.py",
               "tests/test_page_content.py",
               "tests/test_limits_file.py", "-k",
               "not changing_a_figure and not bad_limits and not undefined_name "
               "and not failing_colour and not site_year_not_in"]


def make_own_copy(tmp_path: Path) -> Path:
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text()
    # Recipe 1, "Publish your own copy".
    text = re.sub(r"^site_name: .*$", f"site_name: {PUBLISHER} retirement guide", text, flags=re.M)
    text = text.replace(f"    name: {ORIGINAL_PUBLISHER}\n", f"    name: {PUBLISHER}\n")
    text = re.sub(r"^    contact_url: .*$", f"    contact_url: {CONTACT}", text, count=1, flags=re.M)
    text = re.sub(r"^    disclaimer: >-\n(      .*\n)+", f"    disclaimer: {DISCLAIMER}\n", text,
                  count=1, flags=re.M)
    for key, colour in BRAND.items():
        text = re.sub(rf'^    {key}: "#[0-9a-fA-F]{{6}}"', f'    {key}: "{colour}"', text,
                      count=1, flags=re.M)
    text = re.sub(r"^  bundle_name: .*$", "  bundle_name: acme-guide", text, flags=re.M)
    text = text.replace("logo: assets/logo.svg", "logo: assets/acme.svg")
    text = text.replace("favicon: assets/logo.svg", "favicon: assets/acme.svg")
    (project / "docs" / "assets" / "acme.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8">'
        '<rect width="8" height="8" fill="#ffffff"/></svg>\n')
    # Recipe 2.
    with (project / "calculators" / "limits.toml").open("a") as limits_file:
        limits_file.write(TEST_YEAR)
    text = re.sub(r"^  tax_year: \d+$", f"  tax_year: {YEAR}", text, flags=re.M)
    # Recipe 3.
    (project / "calculators" / "acme_monthly.py").write_text(EXTRA_CALCULATOR)
    (project / "docs" / "acme-monthly.md").write_text(EXTRA_PAGE)
    text = text.replace("      - The common mistake: common-mistake.md\n",
                        "      - The common mistake: common-mistake.md\n"
                        "      - Acme monthly amount: acme-monthly.md\n")
    config.write_text(text)
    return project


@pytest.fixture(scope="module")
def own_copy(tmp_path_factory) -> Path:
    return make_own_copy(tmp_path_factory.mktemp("own-copy"))


@pytest.fixture(scope="module")
def copy_limits(own_copy):
    return load_limits(own_copy / "calculators" / "limits.toml")


@pytest.fixture(scope="module")
def copy_site(own_copy, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("own-copy-site")
    done = build_site(own_copy, site)
    assert done.returncode == 0, f"the copy's build failed:\n{done.stderr[-3000:]}"
    return site


def test_copy_pages_show_the_publisher_contact_disclaimer_brand_and_the_new_default_year(
        copy_site, copy_limits):
    year = copy_limits.for_year(YEAR)
    home = text_of((copy_site / "index.html").read_text())
    assert f"In {YEAR}, the total" in home
    assert dollars(year.annual_additions_limit) in home and year.source in home
    for page in sorted(copy_site.glob("*.html")):
        html = page.read_text()
        assert f"Published by {PUBLISHER}" in text_of(html), page.name
        assert f'href="{CONTACT}"' in html and DISCLAIMER in text_of(html), page.name
        assert ORIGINAL_PUBLISHER not in text_of(html), page.name
    html = (copy_site / "how-to.html").read_text()
    assert f"<title>How to do it, in five steps - {PUBLISHER} retirement guide</title>" in html
    assert '<img src="assets/acme.svg"' in html and '<link rel="icon" href="assets/acme.svg">' in html
    assert f"--md-primary-fg-color: {BRAND['primary']};" in (
        copy_site / "assets" / "stylesheets" / "brand.css").read_text()


def test_copy_pre_renders_results_with_the_new_year(copy_site, copy_limits):
    html = (copy_site / "how-to.html").read_text()
    assert re.search(rf'<option value="{YEAR}" selected>{YEAR}</option>', html)
    # 74,000 - 25,000 - 6,000 = 43,000
    assert output_text(html, "after_tax_room") == "$43,000"
    expected = run("after-tax-space", default_inputs("after-tax-space", YEAR, copy_limits),
                   copy_limits)
    assert expected["after_tax_room"] == 43000


def test_copy_has_the_added_calculator_on_its_page_with_its_result(copy_site):
    html = (copy_site / "acme-monthly.html").read_text()
    assert 'data-calculator="acme-monthly"' in html
    # (74,000 - 25,000 - 6,000) / 12 = 3,583.33
    assert output_text(html, "monthly_after_tax") == "$3,583.33"
    assert "Acme monthly amount" in (copy_site / "index.html").read_text()  # in the nav


def test_copy_live_results_follow_the_new_year_and_the_added_calculator(new_page, copy_site):
    with serve_site(copy_site) as url:
        page = new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "how-to.html")
        wait_ready(page)
        page.fill("#after-tax-space-employer_contributions", "10000")
        wait_output(page, "after_tax_room", "$39,000")  # 74,000 - 25,000 - 10,000
        page.goto(url + "acme-monthly.html")
        wait_ready(page, "acme-monthly")
        page.fill("#acme-monthly-employer_contributions", "10000")
        # (74,000 - 25,000 - 10,000) / 12 = 3,250
        wait_output(page, "monthly_after_tax", "$3,250", "acme-monthly")
        assert output(page, "monthly_after_tax", "acme-monthly") == "$3,250"


def test_config_following_site_tests_pass_inside_the_copy(own_copy, copy_site):
    # copy_site first: a failing build shows there, with its message, not as many failures.
    # The tests inside read that build of the copy (conftest.py's built_site) as their own.
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider",
                           *INNER_TESTS], cwd=own_copy, capture_output=True, text=True,
                          env=os.environ | {"MBR_CACHE_DIR": str(ROOT / ".cache"),
                                            "MBR_TEST_SITE": str(copy_site)},
                          check=False, timeout=1200)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout


def test_once_the_readers_year_is_in_the_file_the_year_note_is_gone(new_page, copy_site, site_url):
    # A reader in the copy's new year: the project's site (without that year) says its
    # figures are another year's; the copy, which holds that year, says nothing of the kind.
    shown = "() => document.querySelector('[data-figures-past]').getClientRects().length > 0"
    page = new_page(viewport={"width": 1280, "height": 900})
    page.clock.set_fixed_time(datetime(YEAR, 1, 15, 12, tzinfo=UTC))
    page.goto(site_url + "index.html")
    assert page.evaluate(shown)
    assert f"{YEAR}'s are not in it yet" in page.inner_text(".figures-year")
    with serve_site(copy_site) as url:
        page.goto(url + "index.html")
        assert not page.evaluate(shown)
        assert f"Figures for tax year {YEAR} unless" in page.inner_text(".figures-year")
