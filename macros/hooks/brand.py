"""MkDocs hook: the publisher's colours, from mkdocs.yml `extra.brand`, as a stylesheet.

The colours reach Material's CSS variables through a generated file,
assets/stylesheets/brand.css (the site's CSP allows no inline style); every other
stylesheet uses those variables, never a typed colour. A setting that is not a
#rrggbb colour, or a pair a reader would see that fails WCAG AA (4.5:1 for text),
stops the build with one line naming the setting and giving the ratio.

The pairs checked (Material's own backgrounds and text colours):
- primary with white: the header's and primary buttons' white text on it, and links
  (which take the primary colour) on the light scheme's white page;
- accent with white: hovered links and focus rings on the light scheme's page;
- dark_accent with the dark scheme's page colour: links, buttons and focus rings there.
One colour cannot serve as text on both a white and a dark page, hence two accents.

Also checks the offline bundle's name (`extra.bundle_name`, see bundle_name).
"""

from __future__ import annotations

import colorsys
import re
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

STYLESHEET = "assets/stylesheets/brand.css"
MIN_CONTRAST = 4.5  # WCAG 2.x AA, normal-size text
WHITE = (255, 255, 255)
# Material's slate scheme page colour, hsla(var(--md-hue) 225deg, 15%, 14%, 1).
DARK_PAGE = tuple(round(c * 255) for c in colorsys.hls_to_rgb(225 / 360, 0.14, 0.15))
SETTINGS = {
    "primary": "header bar and links on the light page",
    "accent": "hovered links and focus rings on the light page",
    "dark_accent": "links, buttons and focus rings on the dark page",
}
HEX = re.compile(r"#[0-9a-fA-F]{6}")
BUNDLE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

Rgb = tuple[int, int, int]


class BrandError(PluginError):
    """A branding setting in mkdocs.yml that cannot be used; its message is one line."""


def parse_hex(setting: str, value: Any) -> Rgb:
    if not isinstance(value, str) or not HEX.fullmatch(value):
        raise BrandError(f"mkdocs.yml extra.brand.{setting}: must be a colour written "
                         f"#rrggbb (six hex digits, quoted), got {value!r}")
    return tuple(int(value[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def luminance(rgb: Rgb) -> float:
    """WCAG relative luminance."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: Rgb, other: Rgb) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def read_brand(extra: dict[str, Any]) -> dict[str, Rgb]:
    """The validated colours of `extra.brand`; BrandError names the first bad setting."""
    brand = extra.get("brand")
    if not isinstance(brand, dict):
        raise BrandError("mkdocs.yml extra.brand: missing; it needs " + ", ".join(
            f"{key} (#rrggbb, {use})" for key, use in SETTINGS.items()))
    unknown = sorted(set(brand) - set(SETTINGS))
    if unknown:
        raise BrandError(f"mkdocs.yml extra.brand.{unknown[0]}: unknown setting; "
                         f"allowed: {', '.join(SETTINGS)}")
    colours = {}
    for key, use in SETTINGS.items():
        if key not in brand:
            raise BrandError(f"mkdocs.yml extra.brand.{key}: missing (#rrggbb, {use})")
        colours[key] = parse_hex(key, brand[key])
    for key, text, background, pair in (
        ("primary", WHITE, colours["primary"], "white text on it"),
        ("accent", colours["accent"], WHITE, "it on the white page"),
        ("dark_accent", colours["dark_accent"], DARK_PAGE, "it on the dark page"),
    ):
        ratio = contrast(text, background)
        if ratio < MIN_CONTRAST:
            raise BrandError(f"mkdocs.yml extra.brand.{key}: {brand[key]} gives {pair} a "
                             f"contrast of {ratio:.2f}:1; at least {MIN_CONTRAST}:1 is needed "
                             f"({'lighter' if background == DARK_PAGE else 'darker'} colour)")
    return colours


def bundle_name(extra: dict[str, Any], site_name: str) -> str:
    """The offline bundle's name: `extra.bundle_name`, or the site name made file-safe."""
    name = extra.get("bundle_name")
    if name is None:
        return re.sub(r"[^a-z0-9]+", "-", site_name.lower()).strip("-") or "site"
    if not isinstance(name, str) or not BUNDLE_NAME.fullmatch(name):
        raise BrandError("mkdocs.yml extra.bundle_name: must be letters, digits, '.', '-' "
                         f"or '_', starting with a letter or digit, got {name!r}")
    return name


def css(colours: dict[str, Rgb]) -> str:
    def hex_(rgb: Rgb) -> str:
        return "#" + "".join(f"{c:02x}" for c in rgb)

    def mix(rgb: Rgb, towards: Rgb, share: float) -> str:
        return hex_(tuple(round(c + (t - c) * share) for c, t in zip(rgb, towards, strict=True)))

    def faint(rgb: Rgb) -> str:
        return f"rgba({rgb[0]}, {rgb[1]}, {rgb[2]}, 0.1)"

    primary, accent, dark_accent = colours["primary"], colours["accent"], colours["dark_accent"]
    header = f"""  --md-primary-fg-color: {hex_(primary)};
  --md-primary-fg-color--light: {mix(primary, WHITE, 0.12)};
  --md-primary-fg-color--dark: {mix(primary, (0, 0, 0), 0.27)};
  --md-primary-bg-color: #ffffff;
  --md-primary-bg-color--light: rgba(255, 255, 255, 0.7);"""
    return f"""/* Generated by macros/hooks/brand.py from mkdocs.yml extra.brand: edit the settings. */
:root, [data-md-color-scheme="default"] {{
{header}
  --md-accent-fg-color: {hex_(accent)};
  --md-accent-fg-color--transparent: {faint(accent)};
  --md-typeset-a-color: {hex_(primary)};
}}
[data-md-color-scheme="slate"] {{
{header}
  --md-accent-fg-color: {hex_(dark_accent)};
  --md-accent-fg-color--transparent: {faint(dark_accent)};
  --md-typeset-a-color: {hex_(dark_accent)};
}}
"""


def on_config(config):
    read_brand(config.extra)
    bundle_name(config.extra, config.site_name)
    # After Material's own stylesheets and the calculators', so its variables win.
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    return config


def on_files(files, config):
    files.append(File.generated(config, STYLESHEET, content=css(read_brand(config.extra))))
    return files
