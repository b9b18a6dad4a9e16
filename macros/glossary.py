"""The glossary page, built from the same file that gives every page its hover definitions."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

ABBREVIATIONS = Path(__file__).resolve().parent.parent / "docs" / "includes" / "abbreviations.md"
_ENTRY = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<definition>.+)$")


def glossary_entries(path: Path = ABBREVIATIONS) -> list[tuple[str, str]]:
    """(term, definition) pairs, sorted case-insensitively, from the abbreviations file."""
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        match = _ENTRY.match(line)
        if not match:
            raise ValueError(f"{path.name}, line {number}: expected '*[TERM]: definition'")
        entries.append((match["term"], match["definition"].strip()))
    return sorted(entries, key=lambda entry: entry[0].casefold())


def glossary_html() -> str:
    items = "".join(
        f'<dt id="term-{_anchor(term)}">{escape(term)}</dt><dd>{escape(definition)}</dd>'
        for term, definition in glossary_entries()
    )
    return f'<dl class="glossary">{items}</dl>'


def _anchor(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", term.casefold()).strip("-")
