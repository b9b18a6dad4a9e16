"""Accessibility: axe-core (npm, pinned) on every page in light and dark schemes, keyboard
use of a calculator, and labels and help text tied to every input."""

from __future__ import annotations

import re

import pytest

from .helpers import ROOT, SITE_YEAR, answer, site_pages, wait_all_ready, wait_output, wait_ready

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# A glossary term's definition open (docs/javascripts/glossary.js), in view, so that axe
# checks it too (its contrast only where it covers no text: elsewhere axe cannot tell its
# background and leaves that undecided): null on a page without a term.
OPEN_TERM_JS = """() => {
  const term = document.querySelector('.glossary-term');
  if (!term) return null;
  term.scrollIntoView({block: 'center'});
  term.click();
  return !document.getElementById(term.getAttribute('aria-describedby')).hidden;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation_on_any_page(new_page, built_site, site_url, scheme):
    assert AXE.is_file(), "axe-core missing: run `npm ci`"
    names = site_pages(built_site)
    assert len(names) >= 14
    # axe is injected as a script, which the site's CSP rightly refuses: this context only.
    page = new_page(color_scheme=scheme, bypass_csp=True)
    found = {}
    opened = 0
    for name in names:
        page.goto(site_url + name)
        wait_all_ready(page)
        expected = "slate" if scheme == "dark" else "default"
        assert page.get_attribute("body", "data-md-color-scheme") == expected
        term = page.evaluate(OPEN_TERM_JS)
        assert term is not False, f"{name}: a glossary term's definition did not open"
        opened += bool(term)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))")
        bad = [v for v in violations if v["impact"] in BLOCKING]
        if bad:
            found[name] = bad
    print(f"axe: {len(names)} pages scanned in the {scheme} scheme, {opened} with a definition open")
    assert opened >= len(names) // 2, f"a definition open on only {opened} pages"
    assert not found, found


def test_a_calculator_works_by_keyboard_alone(warm_page, site_url, limits):
    page = warm_page()
    page.goto(site_url + "how-to.html")
    wait_ready(page)
    focused = ""
    for _ in range(300):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if focused == "after-tax-space-employer_contributions":
            break
    assert focused == "after-tax-space-employer_contributions", "Tab never reached the field"
    page.keyboard.press("Control+A")
    page.keyboard.type("10000")
    # 415(c) - 402(g) - 10,000 (2026: 72,000 - 24,500 - 10,000 = 37,500), announced
    # through the live region
    wait_output(page, "after_tax_room", answer({"employer_contributions": 10000}))
    live = page.eval_on_selector('#calculator-after-tax-space [data-output="after_tax_room"]',
                                 "e => e.closest('[aria-live]').getAttribute('aria-live')")
    assert live == "polite"
    # The year is a select: arrow keys change it, to the year before the site's.
    page.focus("#after-tax-space-year")
    page.keyboard.press("ArrowUp")
    # 2025: 70,000 - 24,500 (the deferral typed, above 2025's limit, all counts) - 10,000
    before = limits.years[limits.years.index(SITE_YEAR) - 1]
    wait_output(page, "after_tax_room",
                answer({"employer_contributions": 10000, "year": before}))


def test_every_input_has_a_label_and_its_help_and_error_tied_to_it(built_site):
    for name in site_pages(built_site):
        html = (built_site / name).read_text(encoding="utf-8")
        for control in re.finditer(r"<(input|select) ([^>]*)>", html):
            attrs = control.group(2)
            if 'class="md-' in attrs or 'type="checkbox"' in attrs or "data-md-" in attrs:
                continue  # the theme's own search and toggles, and the checklist's boxes
            field_id = re.search(r'id="([^"]+)"', attrs).group(1)
            assert f'<label for="{field_id}">' in html, (name, field_id)
            described = re.search(r'aria-describedby="([^"]+)"', attrs).group(1).split()
            assert described == [f"{field_id}-help", f"{field_id}-error"]
            for target in described:
                assert f'id="{target}"' in html, (name, target)
