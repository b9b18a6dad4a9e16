"""Browser tests: Debian's Chromium, driven by Playwright, against the built site served locally.

Real Pyodide from the site's own origin, the real wheel and the real limits file.
"""

from __future__ import annotations

import pytest

from calculators import default_inputs, dollars, run

from .conftest import SITE_YEAR

pytestmark = pytest.mark.browser

PAGE = "how-to.html"
READY_TIMEOUT_MS = 60_000


def status(page) -> str:
    return page.inner_text("#calculator-after-tax-space [data-status]")


def output(page, name: str, calculator: str = "after-tax-space") -> str:
    return page.inner_text(f'#calculator-{calculator} [data-output="{name}"]')


# Conditions in JavaScript, shared with the tests in every engine (test_engines.py).
# Null-safe: during a navigation the old page, without this calculator, may answer.
READY_JS = ("(name) => document.querySelector(`#calculator-${name} [data-status]`)"
            "?.textContent.startsWith('Ready')")
OUTPUT_JS = ("([calculator, name, text]) => document.querySelector("
             "`#calculator-${calculator} [data-output=\"${name}\"]`)?.textContent === text")


def wait_ready(page, name: str = "after-tax-space") -> None:
    """Until the named calculator on the page has its first live result, scrolled into view
    first as a reader would: Python starts when a reader comes near a calculator."""
    page.locator(f"#calculator-{name}").scroll_into_view_if_needed(timeout=READY_TIMEOUT_MS)
    page.wait_for_function(READY_JS, arg=name, timeout=READY_TIMEOUT_MS)


def wait_all_ready(page) -> None:
    """Until every calculator on the page has its first live result."""
    for block in page.query_selector_all(".calculator[data-calculator]"):
        wait_ready(page, block.get_attribute("data-calculator"))


def wait_output(page, name: str, text: str, calculator: str = "after-tax-space") -> None:
    """Until the calculator's output shows the text (null-safe, as wait_ready)."""
    page.wait_for_function(OUTPUT_JS, arg=[calculator, name, text], timeout=10_000)


@pytest.fixture
def page(new_page):
    return new_page(viewport={"width": 1280, "height": 900})


def answer(changes: dict, output_name: str = "after_tax_room",
           name: str = "after-tax-space") -> str:
    """What the page should show after the changes to the site year's example inputs."""
    return dollars(run(name, default_inputs(name, SITE_YEAR) | changes)[output_name])


def test_changing_an_input_recomputes_in_pyodide(page, site_url, site_limits):
    page.goto(site_url + PAGE)
    wait_ready(page)
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


def test_year_selector_switches_the_limits(page, site_url, limits, site_limits):
    # The earliest year, with the site year's example deferrals above that year's limit:
    # the excess is refunded by April 15 and is not an annual addition (2024 with 2026's
    # 24,500: 69,000 - 23,000 - 6,000 = 40,000).
    earliest = limits.for_year(limits.years[0])
    assert earliest.elective_deferral_limit < site_limits.elective_deferral_limit
    page.goto(site_url + PAGE)
    wait_ready(page)
    page.select_option("#after-tax-space-year", str(earliest.year))
    wait_output(page, "after_tax_room", answer({"year": earliest.year}))
    assert (f"above the {dollars(earliest.elective_deferral_limit)} allowed at age 40 "
            f"in {earliest.year}") in page.inner_text("#calculator-after-tax-space [data-warnings]")


def test_pay_periods_show_the_per_paycheck_row(page, site_url):
    page.goto(site_url + PAGE)
    wait_ready(page)
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
def test_bad_input_shows_field_message_and_keeps_last_result(page, site_url, field, typed, says):
    page.goto(site_url + PAGE)
    wait_ready(page)
    before = output(page, "after_tax_room")
    page.fill(f"#after-tax-space-{field}", typed)
    error = f"#after-tax-space-{field}-error"
    page.wait_for_selector(error, state="visible", timeout=10_000)
    assert says in page.inner_text(error)
    assert page.get_attribute(f"#after-tax-space-{field}", "aria-invalid") == "true"
    assert output(page, "after_tax_room") == before
    assert "calculator--stale" in page.get_attribute("#calculator-after-tax-space", "class")
    assert status(page).startswith("Out of date")
    # Fixing the field clears the message and the stale mark.
    page.fill(f"#after-tax-space-{field}", "50" if field == "age" else "100")
    page.wait_for_selector(error, state="hidden", timeout=10_000)
    assert "calculator--stale" not in page.get_attribute("#calculator-after-tax-space", "class")


def test_phone_viewport_works_without_sideways_scrolling(new_page, site_url):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True,
                    has_touch=True, device_scale_factor=2)
    page.goto(site_url + PAGE)
    wait_ready(page)
    page.fill("#after-tax-space-compensation", "40000")
    page.fill("#after-tax-space-employer_contributions", "10000")
    # Example D: min(415(c), 40,000) - 402(g) - 10,000 (2026: 40,000 - 24,500 - 10,000 = 5,500)
    expected = answer({"compensation": 40000, "employer_contributions": 10000})
    wait_output(page, "after_tax_room", expected)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The sticky summary keeps the answer in view below the long form.
    assert page.is_visible("#calculator-after-tax-space [data-summary]")
    assert page.inner_text("#calculator-after-tax-space [data-summary] strong") == expected


def test_text_only_page_loads_no_python(new_page, site_url):
    page = new_page()
    requests: list[str] = []
    page.context.on("request", lambda r: requests.append(r.url))
    page.goto(site_url + "index.html", wait_until="networkidle")
    assert requests, "no requests recorded"
    assert not [u for u in requests if "/assets/pyodide/" in u or u.endswith(".whl")]


def test_calculator_page_requests_nothing_from_other_origins(new_page, site_url):
    page = new_page()
    requests: list[str] = []
    page.context.on("request", lambda r: requests.append(r.url))
    page.goto(site_url + PAGE)
    wait_ready(page)
    page.fill("#after-tax-space-age", "61")
    page.wait_for_load_state("networkidle")
    assert any(u.endswith("pyodide.asm.wasm") for u in requests)
    assert any(u.endswith("-py3-none-any.whl") for u in requests)
    foreign = [u for u in requests if not u.startswith((site_url, "data:", "blob:"))]
    assert not foreign, f"requests to other origins: {foreign}"


# --- Every calculator, on the page where the guide discusses it ---------------------

from calculators import CALCULATORS, display_rows  # noqa: E402

# One input to change per calculator, and the value typed (or chosen): each
# calculator declares its own example change.
CHANGES = {name: calculator.example for name, calculator in CALCULATORS.items()}


def page_of(built_site, name: str) -> str:
    pages = [p.name for p in sorted(built_site.glob("*.html"))
             if f'data-calculator="{name}"' in p.read_text(encoding="utf-8")]
    assert len(pages) == 1, f"{name} is on {pages}; expected exactly one page"
    return pages[0]


def expected_change(name: str):
    """The field to change, the value typed, the rows CPython displays then and their
    headline row (which the change must move, so a stale page cannot pass)."""
    field, value = CHANGES[name]
    expected_rows = display_rows(CALCULATORS[name], run(name, default_inputs(name, 2026) | {field: value}))
    headline = next(r for r in expected_rows if r["kind"] == "value" and r["headline"])
    before = display_rows(CALCULATORS[name], run(name, default_inputs(name, 2026)))
    before_headline = next(r for r in before if r["kind"] == "value" and r["headline"])
    assert headline["text"] != before_headline["text"], "the change must move the answer"
    return field, value, expected_rows, headline


def test_every_calculator_has_a_change_to_test():
    assert set(CHANGES) == set(CALCULATORS)


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", list(CHANGES))
def test_calculator_recomputes_on_its_page(new_page, site_url, built_site, name, viewport):
    field, value, expected_rows, headline = expected_change(name)
    width, height = viewport
    page = new_page(viewport={"width": width, "height": height})
    page.goto(site_url + page_of(built_site, name))
    block = f"#calculator-{name}"
    wait_ready(page, name)
    control = f"#{name}-{field}"
    if page.eval_on_selector(control, "e => e.tagName") == "SELECT":
        page.select_option(control, value)
    else:
        page.fill(control, value)
    wait_output(page, headline["name"], headline["text"], name)
    for row in expected_rows:
        if row["kind"] == "table":
            cells = page.eval_on_selector_all(
                f'{block} [data-output-table="{row["name"]}"] tbody tr',
                "rows => rows.map(r => [...r.cells].map(c => c.textContent))")
            assert cells == row["rows"]
        elif row["kind"] == "chart":
            points = page.eval_on_selector_all(
                f'{block} [data-output-chart="{row["name"]}"] polyline',
                "lines => lines.map(l => l.getAttribute('points'))")
            assert points == [s["points"] for s in row["chart"]["series"]]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_fit_checklist_explains_the_outcome_for_the_boxes_ticked(page, site_url):
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


def test_following_a_link_to_another_calculator_page_starts_it_there(page, site_url):
    # Instant navigation is off: a link loads the next page whole, and its worker starts.
    page.goto(site_url + "index.html")
    page.click("a.md-button--primary")
    page.wait_for_url("**/how-to.html#step-2-calculate-your-space")
    wait_ready(page)
    page.click('.md-nav a[href="leaving-an-employer.html"]')
    page.wait_for_url("**/leaving-an-employer.html")
    wait_ready(page, "leaving-employer")
