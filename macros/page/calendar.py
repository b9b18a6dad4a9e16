"""Whose year the figures are: the notes every page and every calculator block carry.

The build writes each note whole, from the limits file: the figures' year, the newest
year in the file and the day the figures were last checked against the IRS. Only the
browser knows the reader's date, so javascripts/figures-year.js does the one thing the
build cannot: it shows a note marked `data-figures-past` (holding the newest year) when
the reader's year is after it, writes that year into each `data-reader-year`, and shows
where the website is (`data-figures-website`) when the page is read anywhere else, such as
an offline copy opened from disk. Nothing here goes false as time passes: without the
script, a page still says which year its figures are and when they were checked.
"""

from __future__ import annotations

from datetime import date
from html import escape

from calculators.limits import Limits

__all__ = ["block_figures_note", "long_date", "page_figures_note"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")

# Filled by the script with the reader's year; empty (and never shown) without it.
_READER_YEAR = '<span data-reader-year=""></span>'


def long_date(day: date) -> str:
    """December 8, 2026: the day in words as the pages write dates, in every locale."""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _website(site_url: str) -> str:
    link = escape(site_url)
    return (f'<p data-figures-website="{link}" hidden>The website, which gets each year\'s '
            f'figures once they are checked, is at <a href="{link}">{link}</a>.</p>')


def page_figures_note(limits: Limits, site_year: int, site_url: str, all_years_url: str) -> str:
    """The line at the top of every page, and its note for a reader past the newest year."""
    newest = limits.newest_year
    checked = long_date(limits.checked)
    return (
        '<div class="figures-year">'
        f'<p class="figures-year__line">Figures for tax year {site_year} unless a page says '
        f"otherwise, last checked against the IRS on {checked} "
        f'(<a href="{escape(all_years_url)}">every year in this guide</a>).</p>'
        f'<div class="admonition warning figures-year__past" data-figures-past="{newest}" '
        'role="note" hidden>'
        f'<p class="admonition-title">These are {newest}\'s figures</p>'
        f"<p>Your device's date is in {_READER_YEAR}, and this copy of the guide holds the "
        f"figures up to {newest} only: {_READER_YEAR}'s are not in it yet. Its figures were "
        f"last checked against the IRS on {checked}.</p>"
        f"{_website(site_url)}</div></div>"
    )


def block_figures_note(limits: Limits, site_url: str) -> str:
    """A calculator block's note for a reader past the newest year in the limits file."""
    newest = limits.newest_year
    return (
        f'<div class="calculator__figures-past" data-figures-past="{newest}" role="note" hidden>'
        f"<p>These results use the limits of the tax year in the form. The newest year in "
        f"this copy is {newest}: {_READER_YEAR}'s limits are not in it yet (figures checked "
        f"{long_date(limits.checked)}).</p>"
        f"{_website(site_url)}</div>"
    )
