"""One description of a result, two renderers (calculators/display.py).

The build writes each calculator's display trees as escaped HTML; the browser builds
the same trees with DOM calls. Both refuse tags and attributes off the allow-list.
"""

from __future__ import annotations

import pytest

from calculators import CALCULATORS, default_inputs, display, load_limits, run
from calculators.display import PARTS, element
from macros.page.forms import node_html

from .helpers import ROOT, SITE_YEAR, page_of, wait_ready

SCRIPT_PARTS = ROOT / "docs" / "javascripts" / "calculators"
HOSTILE = '<img src=x onerror="alert(1)"> & </td><script>alert(2)</script>'


def default_display(name: str) -> dict:
    limits = load_limits()
    inputs = default_inputs(name, SITE_YEAR, limits)
    return display(CALCULATORS[name], run(name, inputs, limits))


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_built_page_holds_the_html_of_each_display_tree(built_site, name):
    html = (built_site / page_of(built_site, name)).read_text(encoding="utf-8")
    start = html.index(f'<div id="calculator-{name}"')
    end = html.find('<div id="calculator-', start + 1)
    html = html[start:end if end > 0 else len(html)]  # this calculator's block only
    parts = default_display(name)
    assert set(parts) == set(PARTS)
    for part, tree in parts.items():
        if tree is None:
            assert f'data-display="{part}"' not in html
        else:
            assert tree["attrs"]["data-display"] == part
            assert node_html(tree) in html, f"{name}: the page's {part} is not its tree's HTML"


def test_text_and_attributes_are_escaped_in_the_html():
    tree = element("td", {"class": HOSTILE}, HOSTILE)
    assert node_html(tree) == (
        '<td class="&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;/td&gt;'
        '&lt;script&gt;alert(2)&lt;/script&gt;">'
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;/td&gt;"
        "&lt;script&gt;alert(2)&lt;/script&gt;</td>"
    )


@pytest.mark.parametrize(
    ("tag", "attrs"),
    [("script", {}), ("a", {}), ("img", {}), ("style", {}), ("foreignObject", {}),
     ("td", {"onclick": "x"}), ("td", {"style": "color: red"}), ("svg", {"href": "x"}),
     ("span", {"srcdoc": "x"})],
)
def test_tags_and_attributes_off_the_allow_list_are_refused_by_both_python_sides(tag, attrs):
    with pytest.raises(ValueError, match="is not allowed"):
        element(tag, attrs)
    # A tree made by hand (as JSON could be) is refused by the serializer too.
    with pytest.raises(ValueError, match="is not allowed"):
        node_html({"tag": tag, "attrs": attrs, "children": []})


def test_the_browser_script_draws_with_dom_calls_only():
    source = "".join(part.read_text(encoding="utf-8") for part in SCRIPT_PARTS.glob("*.js"))
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                      "DOMParser", "createContextualFragment", ".style"):
        assert forbidden not in source


PARTS_HTML = """(name) => [...document.querySelectorAll(
    `#calculator-${name} [data-display]`)].map(e => [e.dataset.display, e.outerHTML])"""


def stale(tree, mode: str):
    """The tree as an out-of-date page might hold it: emptied, or every text replaced."""
    if mode == "emptied":
        return {"tag": tree["tag"], "attrs": {"data-display": tree["attrs"]["data-display"],
                                              "class": "stale", "hidden": ""}, "children": []}
    if isinstance(tree, str):
        return "stale"
    return tree | {"children": [stale(child, mode) for child in tree["children"]]}


@pytest.mark.parametrize("mode", ["emptied", "texts-changed"])
@pytest.mark.parametrize("name", list(CALCULATORS))
def test_live_result_dom_equals_the_prerendered_dom_for_the_default_scenario(
        new_page, warm_page, site_url, built_site, name, mode):
    url = site_url + page_of(built_site, name)
    static = new_page(java_script_enabled=False)
    static.goto(url)
    prerendered = static.evaluate(PARTS_HTML, name)
    trees = {part: tree for part, tree in default_display(name).items() if tree}
    assert [part for part, _ in prerendered] == list(trees)

    # The live page arrives with its results out of date, so what it shows once ready
    # was built by the script from the tree Pyodide sent.
    def out_of_date(route):
        html = route.fetch().text()
        for tree in trees.values():
            assert html.count(node_html(tree)) == 1
            html = html.replace(node_html(tree), node_html(stale(tree, mode)))
        route.fulfill(body=html, content_type="text/html")

    live = warm_page()
    live.route(url, out_of_date)
    live.goto(url)
    assert live.evaluate(PARTS_HTML, name) != prerendered
    live.locator(f"#calculator-{name}").scroll_into_view_if_needed()
    wait_ready(live, name)
    assert live.evaluate(PARTS_HTML, name) == prerendered
