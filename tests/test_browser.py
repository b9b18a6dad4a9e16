"""The live calculator in Debian's Chromium (Playwright), against the built site served
locally: typing, the year selector, bad input, and moving between pages.

Real Pyodide from the site's own origin, the real wheel and the real limits file. Tests
that only need a calculator that answers share a live page (conftest.py's chromium_live);
what every engine must do is in test_engines.py.
"""

from __future__ import annotations

import pytest

from calculators import dollars, run

from .helpers import PAGE, SITE_YEAR, answer, output, status, wait_output, wait_ready


def test_changing_an_input_recomputes_in_pyodide(chromium_live, site_limits):
    page = chromium_live()
    # Example B's shape in the site year: age 55 defers 402(g) + the age-50 catch-up with
    # employer 10,000; the catch-up does not count: 415(c) - 402(g) - 10,000
    # (2026: 72,000 - 24,500 - 10,000 = 37,500).
    deferrals = site_limits.elective_deferral_limit + site_limits.catch_up_50_plus
    page.fill("#after-tax-space-age", "55")
    page.fill("#after-tax-space-elective_deferrals", str(deferrals))
    page.fill("#after-tax-space-employer_contributions", "10000")
    expected = run("after-tax-space", {"year": SITE_YEAR, "age": 55, "compensation": 200000,
                                       "elective_deferrals": deferrals,
                                       "employer_contributions": 10000})
    assert expected["after_tax_room"] == (
        site_limits.annual_additions_limit - site_limits.elective_deferral_limit - 10000)
    wait_output(page, "after_tax_room", dollars(expected["after_tax_room"]))
    assert output(page, "catch_up_used") == dollars(site_limits.catch_up_50_plus)
    assert status(page).startswith("Ready")


def test_year_selector_switches_the_limits(chromium_live, limits, site_limits):
    # The earliest year, with the site year's example deferrals above that year's limit:
    # the excess is refunded by April 15 and is not an annual addition (2024 with 2026's
    # 24,500: 69,000 - 23,000 - 6,000 = 40,000).
    earliest = limits.for_year(limits.years[0])
    assert earliest.elective_deferral_limit < site_limits.elective_deferral_limit
    page = chromium_live()
    page.select_option("#after-tax-space-year", str(earliest.year))
    wait_output(page, "after_tax_room", answer({"year": earliest.year}))
    assert (f"above the {dollars(earliest.elective_deferral_limit)} allowed at age 40 "
            f"in {earliest.year}") in page.inner_text("#calculator-after-tax-space [data-warnings]")


def test_pay_periods_show_the_per_paycheck_row(chromium_live):
    page = chromium_live()
    row = '#calculator-after-tax-space [data-output-row="per_paycheck_after_tax"]'
    assert page.is_hidden(row)
    page.fill("#after-tax-space-pay_periods_remaining", "26")
    # The example's room / 26 (2026: 72,000 - 24,500 - 6,000 = 41,500; / 26 -> $1,596.15)
    wait_output(page, "per_paycheck_after_tax",
                answer({"pay_periods_remaining": 26}, "per_paycheck_after_tax"))
    assert page.is_visible(row)


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        ("age", "abc", "must be a whole number from 15 to 100, got 'abc'"),
        ("compensation", "-5", "must be a number with at most 2 decimals from 0 to"),
        ("compensation", "1e6", "got '1e6'"),
        ("employer_contributions", "", "is required"),
        ("after_tax_cap_percent", "NaN", "got 'NaN'"),
        ("compensation", "99999999999999999999999", "from 0 to 100,000,000 dollars"),
        ("elective_deferrals", "Infinity", "got 'Infinity'"),
        ("age", "4.5", "whole number"),
    ],
)
def test_bad_input_shows_field_message_and_keeps_last_result(chromium_live, field, typed, says):
    page = chromium_live()
    before = output(page, "after_tax_room")
    page.fill(f"#after-tax-space-{field}", typed)
    error = f"#after-tax-space-{field}-error"
    page.wait_for_selector(error, state="visible", timeout=10_000)
    assert says in page.inner_text(error)
    assert page.get_attribute(f"#after-tax-space-{field}", "aria-invalid") == "true"
    assert output(page, "after_tax_room") == before
    assert page.get_attribute("#calculator-after-tax-space", "data-results") == "stale"
    assert status(page).startswith("Out of date")
    # Fixing the field clears the message and the stale mark.
    page.fill(f"#after-tax-space-{field}", "50" if field == "age" else "100")
    page.wait_for_selector(error, state="hidden", timeout=10_000)
    page.wait_for_function("() => document.querySelector('#calculator-after-tax-space').dataset.results === 'current'")


def test_text_only_page_loads_no_python(new_page, site_url):
    page = new_page()
    requests: list[str] = []
    page.context.on("request", lambda r: requests.append(r.url))
    page.goto(site_url + "index.html", wait_until="networkidle")
    assert requests, "no requests recorded"
    assert not [u for u in requests if "/assets/pyodide/" in u or u.endswith(".whl")]


def test_fit_checklist_explains_the_outcome_for_the_boxes_ticked(warm_page, site_url):
    page = warm_page()
    page.goto(site_url + "is-it-right-for-you.html")
    outcomes = "form[data-checklist] .checklist__outcome"
    page.wait_for_function(
        f"[...document.querySelectorAll('{outcomes}')].every(o => o.hidden)")
    for name in ("q1", "q2", "q3", "q4", "q5"):
        page.check(f"form[data-checklist] input[name={name}]")
    visible = page.eval_on_selector_all(outcomes, "os => os.filter(o => !o.hidden).map(o => o.dataset.min)")
    assert visible == ["5"]
    page.uncheck("form[data-checklist] input[name=q4]")
    visible = page.eval_on_selector_all(outcomes, "os => os.filter(o => !o.hidden).map(o => o.dataset.min)")
    assert visible == ["3"]


def test_fit_checklist_reads_as_a_plain_list_without_javascript(built_site):
    html = (built_site / "is-it-right-for-you.html").read_text()
    start = html.index('<form class="checklist"')
    block = html[start:html.index("</form>", start)]
    assert block.count("<li>") == 5 and block.count("<section class=\"checklist__outcome\"") == 3
    assert " hidden" not in block  # every outcome readable with scripts off


def test_following_a_link_to_another_calculator_page_starts_it_there(warm_page, site_url):
    # Instant navigation is off: a link loads the next page whole, and its worker starts.
    page = warm_page()
    page.goto(site_url + "index.html")
    page.click("a.md-button--primary")
    page.wait_for_url(f"**/{PAGE}#step-2-calculate-your-space")
    wait_ready(page)
    page.click('.md-nav a[href="leaving-an-employer.html"]')
    page.wait_for_url("**/leaving-an-employer.html")
    wait_ready(page, "leaving-employer")
