"""mkdocs-macros module: registers the limits, formatting filters and calculator macros.

Thin on purpose: every figure comes from calculators.limits and every derived
figure from a calculator; nothing here does arithmetic of its own.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from mkdocs.exceptions import PluginError

from calculators import dollars, load_limits, percent, run
from calculators.limits import AMOUNT_FIELDS, FILING_STATUSES, LimitsError

from .page.calendar import long_date, page_figures_note
from .page.forms import calculator_html
from .page.glossary import GlossaryTermsExtension, glossary_html

_TITLE = re.compile(r"^# .*$", re.M)


def define_env(env: Any) -> None:
    extra = env.conf["extra"]
    try:
        limits = load_limits()
        site_year = limits.for_year(int(extra["tax_year"])).year
        # The build reads the clock; the rules never do.
        limits.check_date_not_after(date.today())
    except LimitsError as error:
        # MkDocs prints a PluginError as one line; any other exception with a traceback.
        raise PluginError(str(error)) from None

    # After abbr, whose matcher it replaces (see mkdocs.yml).
    env.conf["markdown_extensions"].append(GlossaryTermsExtension())

    env.variables["year"] = site_year
    env.variables["limits"] = limits.for_year(site_year)
    env.variables["all_limits"] = limits
    # The day the figures were last checked (limits file), for sentences that must stay
    # true after the year turns: "not yet entered here (figures checked December 8, 2026)".
    env.variables["figures_checked"] = limits.checked
    env.variables["newest_year"] = limits.newest_year
    env.filter(dollars)
    env.filter(long_date)
    env.filter(percent)

    @env.macro
    def limits_for(year: int):
        """The limits of another year in the file, e.g. limits_for(year - 1)."""
        return limits.for_year(year)

    @env.macro
    def calc(name: str, **inputs: Any) -> dict[str, Any]:
        """A calculator's result at build time; the year defaults to the site's."""
        return run(name, {"year": site_year} | inputs, limits)

    @env.macro
    def calculator(name: str) -> str:
        """The interactive calculator block, pre-filled with the default scenario's results."""
        return calculator_html(name, site_year, extra, limits, env.conf["site_url"])

    env.macro(glossary_html, "glossary")

    @env.macro
    def limits_table() -> str:
        """Every figure of every year, with the IRS source of each year."""
        years = limits.years
        head = "| Figure | Law | " + " | ".join(str(y) for y in years) + " |"
        rule = "|---|---|" + "---:|" * len(years)
        rows = [head, rule]
        for field in AMOUNT_FIELDS:
            cells = []
            for y in years:
                value = getattr(limits.for_year(y), field.key)
                cells.append(field.absent if value is None else dollars(value))
            rows.append(f"| {field.label} | {field.citation} | " + " | ".join(cells) + " |")
        for status, label in FILING_STATUSES.items():
            cells = []
            for y in years:
                phase = limits.for_year(y).roth_ira_phase_out[status]
                cells.append(f"{dollars(phase.start)} to {dollars(phase.end)}")
            rows.append(f"| Roth IRA income phase-out: {label.lower()} | IRC 408A(c)(3) | "
                        + " | ".join(cells) + " |")
        sources = " | ".join(
            f"[{limits.for_year(y).source}]({limits.for_year(y).source_url})" for y in years
        )
        rows.append(f"| **IRS source** | | {sources} |")
        return "\n".join(rows)


def on_post_page_macros(env: Any) -> None:
    """Every page says, under its title, whose year its figures are (macros/page/calendar.py)."""
    # Pages sit side by side (plain .html paths), but count the folders all the same.
    up = "../" * env.page.url.count("/")
    note = page_figures_note(env.variables["all_limits"], env.variables["year"],
                             env.conf["site_url"], up + "limits-by-year.html")
    title = _TITLE.search(env.markdown)
    at = title.end() if title else 0
    env.markdown = f"{env.markdown[:at]}\n\n{note}\n\n{env.markdown[at:]}"
