"""The glossary page, built from the same file that gives every page its term definitions
(shown on a hover, a tap or a keyboard focus by docs/javascripts/glossary.js)."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrTreeprocessor

ABBREVIATIONS = Path(__file__).resolve().parents[2] / "docs" / "includes" / "abbreviations.md"
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
        f'<dt id="term-{term_anchor(term)}">{escape(term)}</dt><dd>{escape(definition)}</dd>'
        for term, definition in glossary_entries()
    )
    return f'<dl class="glossary">{items}</dl>'


def term_anchor(term: str) -> str:
    """The id of a term's entry on the glossary page: "401(k)" -> "401-k" (#term-401-k)."""
    return re.sub(r"[^a-z0-9]+", "-", term.casefold()).strip("-")


class _TermTreeprocessor(AbbrTreeprocessor):
    """Python-Markdown's abbreviation matcher, fixed for legal terms and wrapped lines.

    The stock pattern puts \\b on both sides, which never matches after a closing
    parenthesis ("415(c)", "401(k)"); a term split over two source lines ("Roth" /
    "IRA") does not match its one-line definition; and plurals ("HCEs") miss.
    """

    def run(self, root):
        if not self.abbrs:
            return
        terms = sorted(self.abbrs, key=len, reverse=True)
        pattern = "|".join(r"\s+".join(map(re.escape, term.split())) for term in terms)
        # Not inside a longer citation such as "Treas. Reg. 1.414(v)-1(d)(2)".
        self.RE = re.compile(rf"(?<![\w.])(?:{pattern})s?(?![\w-])")
        shared = self.abbrs
        self.abbrs = _Terms(shared)
        try:
            self.iter_element(root)
        finally:
            self.abbrs = shared
        return


class _Terms(dict):
    """Definitions looked up with white space folded and a plural s dropped."""

    def __missing__(self, text: str) -> str:
        folded = " ".join(text.split())
        for key in (folded, folded[:-1] if folded.endswith("s") else None):
            if key is not None and dict.__contains__(self, key):
                return dict.__getitem__(self, key)
        raise KeyError(text)


class GlossaryTermsExtension(Extension):
    """Replaces the abbr extension's matcher; list it after `abbr` in mkdocs.yml."""

    def extendMarkdown(self, md) -> None:
        stock = md.treeprocessors["abbr"]
        md.treeprocessors.register(_TermTreeprocessor(md, stock.abbrs), "abbr", 7)


def makeExtension(**kwargs) -> GlossaryTermsExtension:
    return GlossaryTermsExtension(**kwargs)
