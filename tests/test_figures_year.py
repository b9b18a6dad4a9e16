"""Whose year the figures are, against the reader's own date (issue 27).

The build writes, under every page's title, the figures' tax year and the day they were
last checked against the IRS; when the reader's date is past the newest year in the limits
file, every page and every calculator block also says that this year's figures are not in
this copy yet (and, away from the website, where the website is). In a year the file
holds, none of that shows. Calculators keep computing for a year the file holds and say
which; a link keeps its year, and a link's year the file lacks is refused with a note.

The reader's clock is set in each engine (engines.Engine.new_page's clock): Playwright's
clock in Chromium, a preload script in Firefox, libfaketime under WebKit's MiniBrowser.
Years, dates and the website's address come from the limits file and mkdocs.yml.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from calculators import load_limits
from macros.page.calendar import long_date

from .helpers import SITE, SITE_YEAR, link, page_of, text_of

LIMITS = load_limits()
NEWEST = LIMITS.newest_year
CHECKED = long_date(LIMITS.checked)
WEBSITE = SITE["site_url"]
PLANNER = "paycheck-planner"

# Mid-January, when readers plan the new year: the first year the file lacks, and the newest
# year it holds.
PAST = datetime(NEWEST + 1, 1, 15, 12, tzinfo=UTC)
HELD = datetime(NEWEST, 6, 15, 12, tzinfo=UTC)

# What the reader sees of the year notes: each note's text when it is laid out, else None.
NOTES_JS = """(name) => {
  const shown = (node) => node && node.getClientRects().length > 0 ? node.textContent.replace(/\\s+/g, ' ').trim() : null;
  const block = document.querySelector(`#calculator-${name}`);
  const form = block && block.querySelector('form');
  return {
    line: shown(document.querySelector('.figures-year__line')),
    page: shown(document.querySelector('.figures-year [data-figures-past]')),
    pageWebsite: shown(document.querySelector('.figures-year [data-figures-website]')),
    block: block && shown(block.querySelector('[data-figures-past]')),
    blockWebsite: block && shown(block.querySelector('[data-figures-website]')),
    plans: block && shown(block.querySelector('[data-plans-year]')),
    year: form && form.elements.namedItem('year').value,
    results: block && block.dataset.results,
    resultsYear: block && block.querySelector('[data-output="year"]').textContent,
    linkNote: block && shown(block.querySelector('[data-link-note]')),
    age: form && form.elements.namedItem('age').value,
  };
}"""
CURRENT_JS = "(name) => document.querySelector(`#calculator-${name}`).dataset.results === 'current'"


@pytest.fixture(scope="module")
def planner(built_site) -> str:
    """The page that holds the paycheck planner."""
    return page_of(built_site, PLANNER)


def at_planner(base: str, planner: str, values: dict | None = None) -> str:
    return base + planner + link(PLANNER, values)


def live_notes(page, url: str) -> dict:
    """The notes once the planner on the page has answered for the form as it stands."""
    # Another page first: the same page with a new "#" would take the link in place.
    page.goto(url.split("#")[0].rsplit("/", 1)[0] + "/index.html")
    page.goto(url)
    page.wait_for(CURRENT_JS, PLANNER, timeout=120, what="the planner's answer")
    return page.evaluate(NOTES_JS, PLANNER)


def test_past_the_newest_year_pages_and_calculators_say_whose_figures_they_are(
        open_page, site_url, unzipped_bundle, planner):
    page = open_page(clock=PAST)
    # A page with no calculator: the line, and the note with its years and the check date.
    page.goto(site_url + "index.html")
    notes = page.evaluate(NOTES_JS, PLANNER)
    assert f"tax year {SITE_YEAR}" in notes["line"] and CHECKED in notes["line"]
    assert f"These are {SITE_YEAR}'s figures" in notes["page"]
    assert f"Your device's date is in {NEWEST + 1}" in notes["page"]
    assert f"figures up to {NEWEST} only: {NEWEST + 1}'s are not in it yet" in notes["page"]
    assert CHECKED in notes["page"]
    # Served here, not from the website: the note says where the website is.
    assert WEBSITE in notes["pageWebsite"]

    # The planner still computes, for a year the file holds, and says which.
    notes = live_notes(page, at_planner(site_url, planner))
    assert notes["year"] == notes["resultsYear"] == str(SITE_YEAR)
    assert f"The newest year in this copy is {NEWEST}: {NEWEST + 1}'s limits are not in it yet" \
        in notes["block"] and CHECKED in notes["block"]
    assert WEBSITE in notes["blockWebsite"]
    assert f"This plans tax year {SITE_YEAR}, the year chosen below, not the year of your " \
        f"device's date ({NEWEST + 1})" in notes["plans"]

    # (A link keeps the year it was made for: test_engines' scenario link, year and all.)
    # A link's year the file lacks is refused like any bad value; the rest of it is kept.
    notes = live_notes(page, at_planner(site_url, planner, {"year": NEWEST + 1, "age": 45}))
    assert f'Tax year ("{NEWEST + 1}")' in notes["linkNote"]
    assert ", ".join(str(y) for y in LIMITS.years) in notes["linkNote"]
    assert notes["year"] == notes["resultsYear"] == str(SITE_YEAR)
    assert notes["age"] == "45"

    # The offline copy opened from disk says it too, with the website's address.
    page.goto((unzipped_bundle / "index.html").as_uri())
    notes = page.evaluate(NOTES_JS, PLANNER)
    assert f"{NEWEST + 1}'s are not in it yet" in notes["page"] and WEBSITE in notes["pageWebsite"]
    page.goto((unzipped_bundle / planner).as_uri())
    notes = page.evaluate(NOTES_JS, PLANNER)
    assert f"{NEWEST + 1}'s limits are not in it yet" in notes["block"]
    assert WEBSITE in notes["blockWebsite"]


def test_in_a_year_the_file_holds_no_year_note_shows(open_page, site_url, unzipped_bundle,
                                                     planner):
    page = open_page(clock=HELD)
    for url in (site_url + "index.html", at_planner(site_url, planner),
                (unzipped_bundle / "index.html").as_uri(),
                (unzipped_bundle / planner).as_uri()):
        page.goto(url)
        notes = page.evaluate(NOTES_JS, PLANNER)
        assert f"tax year {SITE_YEAR}" in notes["line"] and CHECKED in notes["line"], url
        assert notes["page"] is None and notes["block"] is None, url
        if notes["year"] is not None:
            # The planner names its year only when it is not the reader's.
            assert (notes["plans"] is None) == (notes["year"] == str(HELD.year)), url


def test_without_javascript_every_page_states_the_figures_year_and_check_date(built_site):
    pages = sorted(p for p in built_site.glob("*.html") if p.name != "404.html")
    assert len(pages) > 5
    for page in pages:
        text = text_of(page.read_text(encoding="utf-8"))
        assert f"Figures for tax year {SITE_YEAR} unless a page says otherwise, last checked " \
            f"against the IRS on {CHECKED}" in text, page.name
        html = page.read_text(encoding="utf-8")
        # The notes for a later year are in the page, hidden until the script shows them.
        assert f'data-figures-past="{NEWEST}" role="note" hidden' in html, page.name


def test_the_year_script_shows_only_what_the_build_wrote(built_site):
    # figures-year.js finds the notes by the attributes macros/page/calendar.py writes.
    script = (built_site / "javascripts" / "figures-year.js").read_text(encoding="utf-8")
    for hook in ("data-figures-past", "data-reader-year", "data-figures-website"):
        assert f"[{hook}]" in script and hook in (built_site / "index.html").read_text()
    assert "innerHTML" not in script
