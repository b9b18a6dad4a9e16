"""Page text that must stay right: each page's own description, and the rules of issue 13
that the pages once got wrong, read from the built site with the figures of the limits file.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
import yaml

from calculators import dollars

from .conftest import ROOT, SITE_YEAR
from .test_page_figures import typed_figures
from .test_site_build import text_of

PAGES = sorted((ROOT / "docs").glob("*.md"))


def front_matter(page) -> dict:
    text = page.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, f"{page.name} has no front matter at the very top"
    return yaml.safe_load(match.group(1))


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_page_has_its_own_short_description_without_figures(page):
    description = front_matter(page).get("description")
    assert isinstance(description, str) and description.strip(), page.name
    # One sentence for link previews and search results: search engines cut at ~155.
    assert len(description) <= 155, (page.name, len(description))
    # Front matter is not rendered by the macros, so a figure there could never follow
    # the limits file.
    assert "{" not in description and not typed_figures(description), description


def test_descriptions_differ_from_page_to_page():
    descriptions = [front_matter(p)["description"] for p in PAGES]
    assert len(set(descriptions)) == len(descriptions)


def test_each_built_page_carries_its_description(built_site):
    for page in PAGES:
        html = (built_site / f"{page.stem}.html").read_text()
        tag = re.search(r'<meta name="description" content="([^"]*)"', html)
        assert tag and unescape(tag.group(1)) == front_matter(page)["description"], page.stem


def test_contribution_table_says_catch_ups_are_roth_above_the_wage_threshold(
        built_site, limits):
    # 414(v)(7): in a year with a threshold, a catch-up cannot be pre-tax for someone whose
    # prior-year FICA wages from the employer were above it.
    year = limits.for_year(SITE_YEAR)
    assert year.roth_catch_up_wage_threshold is not None
    html = (built_site / "contribution-types.html").read_text()
    row = re.search(r"<tr>\s*<td>Catch-up from age 50</td>\s*<td[^>]*>(.*?)</td>", html, re.S)
    assert row, "no catch-up row in the side-by-side table"
    pre_tax = text_of(row.group(1))
    assert dollars(year.roth_catch_up_wage_threshold) in pre_tax
    assert str(SITE_YEAR - 1) in pre_tax and "Roth only" in pre_tax


@pytest.mark.parametrize(
    ("page", "says"),
    [
        # 402A(d)(2)(B): the Roth 401(k) clock counts from January 1 of the first year.
        ("contribution-types", "counted from January 1 of the year of your first Roth"),
        # A December contribution counts the whole year: January 1 five years on.
        ("contribution-types", f"December {SITE_YEAR}. The clock counts the whole of "
                               f"{SITE_YEAR}, so the five years are up on January 1, "
                               f"{SITE_YEAR + 5}"),
        # 72(t)(10): 50 or 25 years of service, whichever comes first.
        ("leaving-an-employer", "or after 25 years of service under the plan, whichever"),
        # Treas. Reg. 31.3405(c)-1 Q&A-14: no withholding under $200 a year.
        ("leaving-an-employer", "come to less than $200"),
        # Treas. Reg. 1.401(m)-2(b): refunds are not rolled over and carry no 10% tax.
        ("how-to", "A refund cannot be rolled over"),
        ("how-to", "There is no 10% additional tax"),
        # Rule 18: code G, lines 5a and 5b, and no Form 8606 for a plan conversion.
        ("how-to", "code G"),
        ("how-to", "Form 1040, lines 5a and 5b"),
        ("how-to", "Form 8606 is not part of this."),
        # Form 1099-R boxes 10 and 11 in the table of clocks.
        ("ira-conversion", "Form 1099-R box 10"),
        ("ira-conversion", "Form 1099-R box 11"),
        # 401(a)(9)(C): the still-working exception.
        ("wider-plan", "IRC 401(a)(9)(C)"),
        # Rule 16: after-tax money lowers neither tax nor AGI.
        ("contribution-types", "does not lower your adjusted gross income"),
        # 457(e)(15): a governmental 457(b) has its own deferral limit.
        ("index", "(a governmental 457(b) has its own)"),
        # The glossary's five-year rule counts from January 1.
        ("glossary", "five tax years, counted from January 1 of the year that starts it"),
        # Issue 21, item 1: 415(c) covers all of an employer's defined-contribution plans
        # (415(f)(1)(B), 415(h), 414(b)/(c)); reallocated forfeitures count (415(c)(2)).
        ("what-it-is", "The total is one for all the employer's defined-contribution plans, "
                       "not one per plan"),
        ("what-it-is", "415(f)(1)(B)"),
        ("what-it-is", "Forfeitures count too: money that staff who left before it vested "
                       "gave up, when the plan shares it out to you"),
        ("what-it-is", "414(b) and (c), as changed by 415(h)"),
        ("index", "a separate profit-sharing plan or ESOP included"),
        ("how-to", "The total is one for all the employer's defined-contribution plans "
                   "together"),
        ("how-to", "not one for the 401(k) alone"),
        ("how-to", "a money-purchase plan or an ESOP"),
        ("glossary", "in all of one employer's defined-contribution plans together"),
        # Issue 21, item 4: FICA is taken on every contribution (3121(v)(1)(A)).
        ("how-to", "including every pre-tax, Roth and after-tax contribution"),
        ("how-to", "It never proposes more than that leaves."),
    ],
)
def test_pages_state_the_rule(built_site, page, says):
    assert says in text_of((built_site / f"{page}.html").read_text())
