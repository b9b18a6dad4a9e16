"""No limit figure is typed into a page: dollar amounts, percents and years come through macros.

Scans every Markdown page (with its Jinja expressions removed) for dollar amounts,
grouped numbers, percents and four-digit years. Each one found must be in ALLOWED,
which holds the few numbers that are law rather than yearly limits, each with its reason.
"""

from __future__ import annotations

import re

import pytest

from .helpers import ROOT

DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md"))

ALLOWED: dict[str, str] = {
    # Percents fixed in the law, not in the yearly notices.
    "100%": "415(c)(1)(B): annual additions never exceed 100% of pay (statute, not indexed)",
    "10%": "72(t): additional tax on early distributions (statute, not indexed)",
    "20%": "3405(c): withholding on an eligible rollover distribution paid in cash (statute)",
    "5%": "414(q)(1)(A): a 5% owner is a highly compensated employee (statute)",
    "6%": "4973(a): excise tax on an excess IRA contribution, each year it stays (statute)",
    # Dollar steps of the Roth IRA phase-out worksheet (Pub. 590-A), not indexed.
    "$10": "408A(c)(3) phase-out: reduced contribution rounds up to the next $10",
    "$200": "408A(c)(3) phase-out: a reduced contribution is at least $200; and no 20% "
            "withholding when a year's payouts are under $200 (Treas. Reg. 31.3405(c)-1 Q&A-14)",
    # Years that are dates in the law, not tax years of the limits file.
    "2018": "recharacterization of conversions ended for conversions from 2018 (TCJA)",
    "1951": "RMD age 73 applies to people born 1951 to 1959 (SECURE 2.0 sec. 107)",
    "1959": "RMD age 73 applies to people born 1951 to 1959 (SECURE 2.0 sec. 107)",
    "1960": "RMD age 75 applies to people born 1960 or later (SECURE 2.0 sec. 107)",
    "2021": "the Build Back Better Act, passed by the House in 2021 and never enacted "
            "(legislative history, not a tax year)",
}

# Whole dates fixed by a law, a regulation or a notice, not tax years of the limits file.
# Only these exact dates pass; a bare year (or another date) is still found.
LEGAL_DATES: dict[str, str] = {
    "September 16, 2025": "T.D. 10033, the final Roth catch-up regulations, in the "
                          "Federal Register (90 FR 44527)",
    "December 31, 2025": "the end of Notice 2023-62's transition for the Roth catch-up rule",
    "December 31, 2026": "Treas. Reg. 1.414(v)-2 applies to contributions in taxable years "
                         "beginning after this date (T.D. 10033)",
}

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)
# Citations like "Notice 2014-54" or "IR-2025-111" are names, not years.
CITATION = re.compile(
    r"\b(Notices?|IR|Rev\. Proc\.|Rev\. Rul\.)[ -]\d{4}-\d+(,? (and )?\d{4}-\d+)*")
FIGURE = re.compile(
    r"\$\s?\d{1,3}(,\d{3})*(\.\d+)?"   # $24,500 or $10
    r"|\b\d{1,3}(,\d{3})+\b"            # 24,500
    r"|\b\d+(\.\d+)?\s?(%|percent\b)"   # 10% or 10 percent
    r"|\b(19|20)\d{2}\b"                # a year
)


def typed_figures(text: str) -> list[str]:
    text = CITATION.sub(" ", COMMENT.sub(" ", JINJA.sub(" ", text)))
    for legal_date in LEGAL_DATES:  # a line break may fall inside a date
        text = re.sub(r"\s+".join(map(re.escape, legal_date.split())), " ", text)
    return [m.group(0).replace(" ", "").replace("percent", "%") for m in FIGURE.finditer(text)]


def test_pages_exist():
    assert len(PAGES) >= 3


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_page_types_no_limit_figure(page):
    found = [f for f in typed_figures(page.read_text(encoding="utf-8")) if f not in ALLOWED]
    assert not found, (
        f"{page.relative_to(ROOT)} types {found}: use {{{{ limits.FIELD | dollars }}}}, "
        "{{ year }} or calc(...), or add a non-limit number to ALLOWED with its reason"
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The limit is $24,500.", ["$24,500"]),
        ("The limit is 24,500 dollars.", ["24,500"]),
        ("Up to 10% of pay, or 6 percent.", ["10%", "6%"]),
        ("In 2026 you may", ["2026"]),
        ("In {{ year }} the limit is {{ limits.elective_deferral_limit | dollars }}.", []),
        ("See Notice 2014-54 and IR-2025-111.", []),
        ("Notices 2010-84 and 2013-74 say", []),
        ("at least $200, and", ["$200"]),
        ("<!-- 2026 --> age 50 and 401(k) and 415(c)", []),
        ("years beginning after December 31, 2026", []),
        ("ended on December 31,\n2025.", []),
        ("from January 1, 2026", ["2026"]),
        ("December 31, 2026 and 2026", ["2026"]),
    ],
)
def test_scanner_finds_typed_figures(text, found):
    assert typed_figures(text) == found
