"""Page text that must stay right: each page's own description, and the rules of issue 13
that the pages once got wrong, read from the built site with the figures of the limits file.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
import yaml

from calculators import dollars

from .helpers import ROOT, SITE_YEAR, text_of
from .test_page_figures import typed_figures

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


def test_contribution_table_says_catch_ups_must_be_roth_above_the_wage_threshold(
        built_site, limits):
    # 414(v)(7): in a year with a threshold, a catch-up cannot be pre-tax for someone whose
    # prior-year FICA wages from the employer were above it: above it, it *must* be Roth
    # (issue 21, item 9); below it, Roth is allowed as ever, not only above it.
    year = limits.for_year(SITE_YEAR)
    assert year.roth_catch_up_wage_threshold is not None
    html = (built_site / "contribution-types.html").read_text()
    row = re.search(r"<tr>\s*<td>Catch-up from age 50</td>\s*<td[^>]*>(.*?)</td>"
                    r"\s*<td[^>]*>(.*?)</td>", html, re.S)
    assert row, "no catch-up row in the side-by-side table"
    pre_tax, roth = text_of(row.group(1)), text_of(row.group(2))
    assert dollars(year.roth_catch_up_wage_threshold) in pre_tax
    assert str(SITE_YEAR - 1) in pre_tax and "Yes, unless" in pre_tax
    assert "then it must be Roth" in pre_tax and "Roth only" not in pre_tax
    assert roth.strip().startswith("Yes, and it must be Roth if")


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
        # Issue 29: a partial payout is pro rata (72(e)(8); the IRS FAQ's example, worked
        # out by the calculator at build time), or from a separate after-tax contract
        # (72(d)(2)).
        ("leaving-an-employer", "A payout of $50,000 is $40,000 pre-tax and $10,000 "
                                "after-tax"),
        ("leaving-an-employer", "IRC 72(d)(2)"),
        # Issue 29: recent in-plan conversions take the 10% when cashed early (402A(c)(4)(D)).
        ("leaving-an-employer", "$800 on the recent conversion"),
        # Issue 29: NUA worked out, withholding within 3405(e)(8), compared at today's value.
        ("leaving-an-employer", "The plan withholds $0: withholding can only come out of cash"),
        ("leaving-an-employer", "At today's value and your rates, the NUA route loses by"),
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
        # Item 2: employer stock and NUA (402(e)(4); Pub. 575): decide before rolling
        # over. Issue 27, item 5: shares bought with after-tax contributions keep their
        # NUA out of income in any distribution (402(e)(4)(A)); the rest only in a lump
        # sum (402(e)(4)(B)), where leaving the job counts for employees only (402(e)(4)(D)).
        ("leaving-an-employer", "taxed only when you sell, as a long-term capital gain"),
        ("leaving-an-employer", "in a lump-sum distribution or not: a partial payout "
                                "counts too"),
        ("leaving-an-employer", "402(e)(4)(A)"),
        ("leaving-an-employer", "Their NUA is left out only in a lump-sum distribution"),
        ("leaving-an-employer", "Leaving your own business does not count as leaving the "
                                "job for this rule."),
        ("about", "left out of income in any distribution"),
        ("leaving-an-employer", "So this is a decision to make before you roll anything "
                                "over."),
        ("leaving-an-employer", "IRS Publication 575"),
        # Item 3: an ACP refund after the money left: not rollable (1.402(c)-2 Q&A-4),
        # how it is taxed, the 6% excise on an excess Roth IRA contribution (4973), and
        # that it depends on the plan's correction method.
        ("how-to", "1.402(c)-2, Q&A-4"),
        ("how-to", "Only the earnings paid with it are taxed, in the year it is paid."),
        ("how-to", "which costs a 6% tax for every year it stays in the Roth IRA"),
        ("how-to", "by the due date of your tax return for that year, extensions included"),
        ("how-to", "Ask the plan's administrator which method it uses"),
        ("why-it-matters", "which costs a 6% tax for every year it stays"),
        ("why-it-matters", "How this works depends on the plan's correction method"),
        # Item 7: a direct rollover means nothing withheld, not nothing taxed.
        ("leaving-an-employer", "so nothing is withheld. Moving money into an account of "
                                "the same tax type is not taxed"),
        ("leaving-an-employer", "it is taxed as income for that year, even by direct "
                                "rollover"),
        ("glossary", "so nothing is withheld. It is not taxed while the money keeps its tax "
                     "type"),
        # Item 8: the 10% on converted money: only the part taxed at conversion, only
        # under 59½, and the pro-rata earnings of any non-qualified withdrawal.
        ("how-to", "Before 59½, two rules can add the 10% additional tax"),
        ("how-to", "the part of a conversion that was taxed when you converted (for "
                   "after-tax money, only its earnings)"),
        ("how-to", "however long ago you converted"),
        ("about", "on the part of a conversion that was taxed when converted"),
        # Item 10: who is a public safety employee (72(t)(10)(B)).
        ("leaving-an-employer", "federal law-enforcement officers, federal firefighters, "
                                "customs and border protection officers, air traffic "
                                "controllers"),
        ("glossary", "federal law-enforcement officers, federal firefighters, customs and "
                     "border protection officers, air traffic controllers"),
        # Item 11: a partial payment splits too (Notice 2014-54).
        ("leaving-an-employer", "The split works for a partial payment too."),
        # Issue 27, item 4: the Roth catch-up under its final regulations (T.D. 10033,
        # Treas. Reg. 1.414(v)-2, 90 FR 44527): the wages test, optional aggregation,
        # no FICA wages, no Roth option, deemed Roth elections, the two corrections,
        # the dates as dates, and the 415(c) arithmetic unchanged.
        ("how-to", "T.D. 10033"),
        ("how-to", "Treas. Reg. 1.414(v)-2"),
        ("how-to", "90 FR 44527, published September 16, 2025"),
        ("how-to", "for the calendar year before the catch-up, and only those paid by "
                   "the employer that sponsors the plan"),
        ("how-to", "the plan may add up your wages from them. It does not have to."),
        ("how-to", "paid you no FICA wages in the year before, the rule does not apply "
                   "to you"),
        ("how-to", "a partner whose only income from the partnership is self-employment "
                   "income"),
        ("how-to", "cannot make catch-ups at all in that plan"),
        ("how-to", "Deemed Roth elections."),
        ("how-to", "by an in-plan Roth rollover"),
        ("how-to", "it can show the amount as Roth on the W-2"),
        ("how-to", "For contributions in tax years that begin after December 31, 2026, "
                   "plans must follow the final regulations."),
        ("how-to", "plans follow the law itself, read in a reasonable, good-faith way"),
        ("how-to", "Notice 2023-62 gave them a transition period"),
        ("how-to", "It does not change your room."),
        ("common-mistake", "T.D. 10033, Treas. Reg. 1.414(v)-2"),
        ("contribution-types", "Treas. Reg. 1.414(v)-2"),
        ("about", "Treas. Reg. 1.414(v)-2, added by T.D. 10033 (90 FR 44527"),
        ("about", "transition period for the Roth catch-up rule, which ended on December "
                  "31, 2025"),
        # Item 13: the two phrases, reworded.
        ("why-it-matters", "would have barred such conversions made after December 31, "
                           "2021, whenever it became law"),
        ("why-it-matters", "A future bill could pick another date"),
        ("why-it-matters", "this guide has not checked every state"),
    ],
)
def test_pages_state_the_rule(built_site, page, says):
    assert says in text_of((built_site / f"{page}.html").read_text())


@pytest.mark.parametrize(
    ("page", "gone"),
    [
        # Item 3: "has to be unwound" said nothing of what that means.
        ("how-to", "that step has to be unwound"),
        ("why-it-matters", "has to be unwound"),
        # Item 7: a direct rollover into a Roth account is taxed.
        ("leaving-an-employer", "nothing is withheld and nothing is taxed"),
        ("glossary", "so nothing is withheld or taxed"),
        # Item 8: the 10% is not for all converted money "within five years".
        ("how-to", "Converted money withdrawn within five years"),
        ("about", "on converted money taken out within five years"),
        # Item 11: a partial payment is not harder to split.
        ("leaving-an-employer", "the split is harder"),
        # Issue 27, item 4: Notice 2023-62 is history, not "not yet enforced".
        ("how-to", "A new rule will require"),
        ("common-mistake", "is not yet enforced"),
        ("about", "transition relief for the Roth catch-up rule."),
        # Issue 27, item 5: NUA is not for lump sums only (402(e)(4)(A)).
        ("leaving-an-employer", "It works only for a lump-sum distribution"),
        # Item 13.
        ("why-it-matters", "would have applied only to conversions made after its start date"),
        ("why-it-matters", "Most states with an income tax"),
    ],
)
def test_pages_no_longer_say_what_issue_21_found_wrong(built_site, page, gone):
    assert gone not in text_of((built_site / f"{page}.html").read_text())


# Issue 27, item 3: no sentence goes false by itself as time passes (calculators/RULES.md
# section 1; domain rule 26). A year missing from the limits file is "not yet entered",
# never "not announced"; the pages say when the figures were last checked.
DATED_PHRASES = (
    "has not been announced", "not been announced", "announced so far",
    "the IRS has announced", "this year's IRS limits", "A new rule will",
)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_no_page_says_something_that_goes_false_with_time(built_site, page):
    text = text_of((built_site / f"{page.stem}.html").read_text())
    found = [phrase for phrase in DATED_PHRASES if phrase in text]
    assert not found, (page.name, found)


@pytest.mark.parametrize("page", ["about", "limits-by-year"])
def test_pages_say_when_the_figures_were_last_checked(built_site, limits, page):
    # long_date: "December 8, 2026", the day of limits.toml's `checked`.
    checked = f"{limits.checked:%B} {limits.checked.day}, {limits.checked.year}"
    text = text_of((built_site / f"{page}.html").read_text())
    assert checked in text, page
    assert "never estimates a year's figures" in text
    assert "not yet entered here" in text or "not entered here yet" in text


def test_roth_catch_up_section_takes_its_figures_from_the_limits_file(built_site, limits):
    # The example at the threshold and one dollar above it, and one line per year of the
    # file: its threshold and source, or "not applied" for a year whose threshold is false.
    year = limits.for_year(SITE_YEAR)
    threshold = year.roth_catch_up_wage_threshold
    assert threshold is not None
    text = text_of((built_site / "how-to.html").read_text())
    assert (f"Your FICA wages from this employer in {SITE_YEAR - 1} were exactly "
            f"{dollars(threshold)}. That is not above the threshold, so your catch-up of "
            f"{dollars(year.catch_up_50_plus)} may still be pre-tax. Had they been "
            f"{dollars(threshold + 1)}, one dollar more") in text
    for y in limits.years:
        shown = limits.for_year(y)
        line = (f"{y} : catch-ups must be Roth if your {y - 1} FICA wages from the employer "
                f"were above {dollars(shown.roth_catch_up_wage_threshold)} ( {shown.source}"
                if shown.roth_catch_up_wage_threshold is not None
                else f"{y} : not applied (transition relief in Notice 2023-62)")
        assert line in text, y
