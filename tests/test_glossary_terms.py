"""Glossary terms: a term's definition (docs/includes/abbreviations.md) shows on a tap at
phone width, on a keyboard focus and on a hover, tied to the term for assistive technology
(docs/javascripts/glossary.js); without JavaScript it stays in the term's title and in the
glossary page's entry for the term."""

from __future__ import annotations

import re
from html import escape, unescape

from macros.page.glossary import glossary_entries, term_anchor

from .helpers import site_pages

ENTRIES = glossary_entries()
# The longest definition: the hardest to fit on a phone's screen.
TERM, DEFINITION = max(ENTRIES, key=lambda entry: len(entry[1]))

# The first use of a term with this definition that the script took over (the one in the
# Tab order), given an id for the driver's tap and brought to the middle of the screen.
PROBE_JS = """(definition) => {
  const term = [...document.querySelectorAll('.glossary-term')].find((candidate) =>
    document.getElementById(candidate.getAttribute('aria-describedby'))?.textContent
      === definition);
  if (!term) return false;
  term.id = 'glossary-probe';
  term.scrollIntoView({block: 'center'});
  return true;
}"""
# What a reader sees of the probed term's definition, found as a screen reader finds it:
# through the term's aria-describedby.
TIP_JS = """() => {
  const term = document.getElementById('glossary-probe');
  const tip = document.getElementById(term.getAttribute('aria-describedby'));
  const box = tip.getBoundingClientRect();
  const screen = document.documentElement;
  const seen = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return {
    text: tip.textContent,
    role: tip.getAttribute('role'),
    shown: !tip.hidden && tip.checkVisibility(),
    onScreen: box.left >= 0 && box.top >= 0 && box.right <= screen.clientWidth
      && box.bottom <= screen.clientHeight,
    onTop: Boolean(seen && tip.contains(seen)),
    sideways: screen.scrollWidth > screen.clientWidth,
    fontSize: parseFloat(getComputedStyle(tip).fontSize),
    focused: document.activeElement === term,
  };
}"""
SHOWN_JS = "() => !document.getElementById(" \
    "document.getElementById('glossary-probe').getAttribute('aria-describedby')).hidden"
HIDDEN_JS = f"() => !({SHOWN_JS})()"
# Keyboard focus from just before the term, as a reader tabbing through its paragraph.
BEFORE_JS = """() => {
  const start = document.createElement('span');
  start.tabIndex = -1;
  document.getElementById('glossary-probe').before(start);
  start.focus();
}"""


def page_with(built_site, definition: str) -> str:
    """The first page whose HTML has a term with this definition."""
    for name in site_pages(built_site):
        html = (built_site / name).read_text(encoding="utf-8")
        if any(unescape(title) == definition
               for title in re.findall(r'<abbr title="([^"]*)">', html)):
            return name
    raise AssertionError(f"no page has a term defined as {definition!r}")


def shown_well(tip: dict) -> bool:
    return tip == tip | {"text": DEFINITION, "role": "tooltip", "shown": True, "onScreen": True,
                         "onTop": True, "sideways": False}


def test_without_javascript_each_term_keeps_its_definition_and_its_glossary_entry(built_site):
    definitions = {definition for _, definition in ENTRIES}
    glossary = (built_site / "glossary.html").read_text(encoding="utf-8")
    anchors = [term_anchor(term) for term, _ in ENTRIES]
    assert len(set(anchors)) == len(anchors), "two terms share a glossary anchor"
    for (term, definition), anchor in zip(ENTRIES, anchors, strict=True):
        assert (f'<dt id="term-{anchor}">{escape(term)}</dt><dd>{escape(definition)}</dd>'
                in glossary), term
    uses = 0
    for name in site_pages(built_site):
        html = (built_site / name).read_text(encoding="utf-8")
        for attributes in re.findall(r"<abbr\b([^>]*)>", html):
            # The definition itself, in the HTML: nothing a script must fetch or add first.
            title = re.fullmatch(r' title="([^"]*)"', attributes)
            assert title and unescape(title.group(1)) in definitions, (name, attributes)
            uses += 1
    assert uses > 100, f"only {uses} glossary terms in the whole site"


def test_a_tap_at_phone_width_shows_a_definition_that_a_second_tap_or_one_elsewhere_closes(
        open_page, site_url, built_site):
    page = open_page(width=390, height=844, touch=True)
    page.goto(site_url + page_with(built_site, DEFINITION))
    assert page.evaluate(PROBE_JS, DEFINITION)
    assert not page.evaluate(TIP_JS)["shown"]
    page.tap("#glossary-probe")
    page.wait_for(SHOWN_JS, timeout=5, what="the definition after a tap")
    tip = page.evaluate(TIP_JS)
    assert shown_well(tip), tip
    assert tip["fontSize"] >= 14, tip  # Material's own tooltip is 10 px bold
    page.tap("#glossary-probe")
    page.wait_for(HIDDEN_JS, timeout=5, what="the definition closed by a second tap")
    page.tap("#glossary-probe")
    page.wait_for(SHOWN_JS, timeout=5, what="the definition after a third tap")
    # Elsewhere: the header's title, always on screen (the page's own title may be under
    # the header, and paragraphs near a term are full of terms and links).
    page.tap(".md-header__title")
    page.wait_for(HIDDEN_JS, timeout=5, what="the definition closed by a tap elsewhere")


def test_a_keyboard_focus_shows_a_definition_and_escape_closes_it(open_page, site_url, built_site):
    page = open_page()
    page.goto(site_url + page_with(built_site, DEFINITION))
    assert page.evaluate(PROBE_JS, DEFINITION)
    page.evaluate(BEFORE_JS)
    page.press("Tab")
    page.wait_for(SHOWN_JS, timeout=5, what="the definition on a keyboard focus")
    tip = page.evaluate(TIP_JS)
    assert shown_well(tip) and tip["focused"], tip
    assert page.evaluate("() => document.activeElement.matches(':focus-visible')")
    page.press("Escape")
    page.wait_for(HIDDEN_JS, timeout=5, what="the definition closed by Escape")
    assert page.evaluate(TIP_JS)["focused"], "Escape must leave the focus on the term"


def test_a_hover_on_a_computer_shows_the_definition_alone_and_it_stays_while_the_pointer_is_on_it(
        new_page, site_url, built_site):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + page_with(built_site, DEFINITION))
    assert page.evaluate(PROBE_JS, DEFINITION)
    page.hover("#glossary-probe")
    page.wait_for_function(SHOWN_JS, timeout=5000)
    assert shown_well(page.evaluate(TIP_JS))
    # Neither the browser's title tooltip nor Material's beside it.
    assert page.get_attribute("#glossary-probe", "title") is None
    assert page.locator(".md-tooltip2").count() == 0
    # The pointer moves onto the definition (to read or select it): it stays.
    page.hover(".glossary-tip:not([hidden])")
    page.wait_for_timeout(500)
    assert page.evaluate(SHOWN_JS)
    page.mouse.move(5, 890)
    page.wait_for_function(HIDDEN_JS, timeout=5000)


def test_a_screen_reader_gets_the_definition_as_the_terms_description_shown_or_not(
        new_page, site_url, built_site):
    page = new_page()
    page.goto(site_url + page_with(built_site, DEFINITION))
    assert page.evaluate(PROBE_JS, DEFINITION)
    # Chromium's accessibility tree, as a screen reader reads it.
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    probe = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#glossary-probe"})

    def read() -> tuple[str, str]:
        (node, *_) = cdp.send("Accessibility.getPartialAXTree",
                              {"nodeId": probe["nodeId"], "fetchRelatives": False})["nodes"]
        return node["name"]["value"], node.get("description", {}).get("value", "")

    assert page.evaluate(HIDDEN_JS)
    name, description = read()
    assert description == DEFINITION, (name, description)
    page.click("#glossary-probe")
    page.wait_for_function(SHOWN_JS, timeout=5000)
    assert read()[1] == DEFINITION
