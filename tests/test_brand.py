"""Branding is settings: colours, logo, favicon and the bundle's name come from mkdocs.yml.

The colour checks are WCAG 2.x contrast ratios, checked here against hand-known pairs;
a bad setting stops the build with one line naming it.
"""

from __future__ import annotations

import re

import pytest

from macros.hooks.brand import css
from macros.hooks.settings import (
    DARK_PAGE,
    WHITE,
    SettingsError,
    bundle_name,
    contrast,
    read_brand,
)

from .helpers import ROOT, SITE, build_site, copy_project

BRAND = SITE["extra"]["brand"]
STYLESHEETS = ROOT / "docs" / "stylesheets"


def test_contrast_ratio_matches_wcag_reference_pairs():
    # Black on white is the maximum, (1 + 0.05) / (0 + 0.05) = 21; a colour with itself is 1.
    assert contrast((0, 0, 0), WHITE) == pytest.approx(21)
    assert contrast((0x77, 0x77, 0x77), (0x77, 0x77, 0x77)) == 1
    # #767676 on white is the classic lightest grey passing AA: 4.54:1.
    assert contrast((0x76, 0x76, 0x76), WHITE) == pytest.approx(4.54, abs=0.01)


def test_dark_page_is_materials_slate_background():
    # hsl(225deg, 15%, 14%) = #1e2129
    assert DARK_PAGE == (0x1E, 0x21, 0x29)


def test_the_projects_own_colours_pass():
    colours = read_brand(SITE["extra"])
    assert contrast(WHITE, colours["primary"]) >= 4.5
    assert contrast(colours["accent"], WHITE) >= 4.5
    assert contrast(colours["dark_accent"], DARK_PAGE) >= 4.5


def brand(**changes):
    return {"brand": BRAND | changes}


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        # Material's own teal #009688 with white text: 3.67:1 (the reason for custom colours).
        (brand(primary="#009688"),
         "mkdocs.yml extra.brand.primary: #009688 gives white text on it a contrast of 3.67:1; "
         "at least 4.5:1 is needed (darker colour)"),
        # Yellow on white: 1.22:1.
        (brand(accent="#ffeb3b"), "extra.brand.accent: #ffeb3b gives it on the white page "
                                  "a contrast of 1.22:1"),
        (brand(dark_accent="#283593"), "extra.brand.dark_accent: #283593 gives it on the dark page "
                                       "a contrast of 1.55:1; at least 4.5:1 is needed (lighter colour)"),
        (brand(primary="teal"), "extra.brand.primary: must be a colour written #rrggbb "
                                "(six hex digits, quoted), got 'teal'"),
        (brand(accent="#12345"), "extra.brand.accent: must be a colour written #rrggbb"),
        (brand(primary=0x00695C), "got 26972"),
        ({"brand": {"primary": "#00695c", "accent": "#283593"}},
         "extra.brand.dark_accent: missing"),
        (brand(secondary="#000000"), "extra.brand.secondary: unknown setting"),
        ({}, "mkdocs.yml extra.brand: missing"),
    ],
    ids=["primary-fails-white-text", "accent-fails-white-page", "dark-accent-fails-dark-page",
         "colour-name", "short-hex", "number", "missing-key", "unknown-key", "no-brand"],
)
def test_bad_colour_setting_is_refused_naming_it(extra, says):
    with pytest.raises(SettingsError) as refused:
        read_brand(extra)
    message = str(refused.value)
    assert says in message
    assert "\n" not in message


def test_brand_stylesheet_sets_materials_variables_in_both_schemes():
    sheet = css(read_brand(brand(primary="#123456", accent="#0b3d91", dark_accent="#ffcc80")))
    light, dark = sheet.split('[data-md-color-scheme="slate"]')
    assert "--md-primary-fg-color: #123456;" in light and "--md-primary-fg-color: #123456;" in dark
    assert "--md-accent-fg-color: #0b3d91;" in light and "--md-typeset-a-color: #123456;" in light
    assert "--md-accent-fg-color: #ffcc80;" in dark and "--md-typeset-a-color: #ffcc80;" in dark


def test_stylesheets_type_no_brand_colour():
    # Only the error colour (a meaning, not a brand) is typed, once per scheme.
    for sheet in STYLESHEETS.glob("*.css"):
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.S)
        typed = re.findall(r"^.*#[0-9a-fA-F]{3,8}\b.*$", text, re.M)
        assert all("--calculator-error-color:" in line for line in typed), (sheet.name, typed)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"bundle_name": "acme-guide"}, "acme-guide"),
        ({}, "the-mega-backdoor-roth-guide"),  # from the site name below
    ],
)
def test_bundle_name_is_the_setting_or_the_site_name(extra, expected):
    assert bundle_name(extra, "The Mega Backdoor Roth guide") == expected


@pytest.mark.parametrize("bad", ["../escape", "with space", "", "-dash-first", 7])
def test_bad_bundle_name_is_refused_naming_the_setting(bad):
    with pytest.raises(SettingsError, match=r"^mkdocs.yml extra.bundle_name: must be letters"):
        bundle_name({"bundle_name": bad}, "Site")


def test_built_pages_use_the_logo_favicon_and_brand_stylesheet(built_site):
    logo, favicon = SITE["theme"]["logo"], SITE["theme"]["favicon"]
    assert (built_site / logo).is_file() and (built_site / favicon).is_file()
    html = (built_site / "how-to.html").read_text(encoding="utf-8")
    assert f'<link rel="icon" href="{favicon}">' in html
    assert f'<img src="{logo}"' in html
    assert '<link rel="stylesheet" href="assets/stylesheets/brand.css">' in html
    # After the calculators' stylesheet, so its variables are the ones in force.
    assert html.index("stylesheets/calculators.css") < html.index("assets/stylesheets/brand.css")
    sheet = (built_site / "assets" / "stylesheets" / "brand.css").read_text()
    assert f"--md-primary-fg-color: {BRAND['primary'].lower()};" in sheet


def test_a_failing_colour_stops_the_build_with_one_line(tmp_path):
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        f'primary: "{BRAND["primary"]}"', 'primary: "#26a69a"', 1))
    done = build_site(project, tmp_path / "site")
    assert done.returncode != 0
    # White on #26a69a: 2.998 -> 3.00:1.
    assert re.search(r"^ERROR +- +mkdocs.yml extra.brand.primary: #26a69a gives white text on it "
                     r"a contrast of 3.00:1; at least 4.5:1 is needed \(darker colour\)$",
                     done.stderr, re.M), done.stderr
    assert "Traceback" not in done.stderr
