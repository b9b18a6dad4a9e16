"""The site's settings and the build's switches, read and checked in one place.

A publisher's settings, in mkdocs.yml:
- ``site_url``: the public address, ``https://…/``;
- ``extra.publisher.contact_url``: a ``mailto:`` or ``https://`` address, or none;
- ``extra.brand``: ``primary``, ``accent`` and ``dark_accent``, each ``"#rrggbb"`` and
  each readable (WCAG AA) where a reader sees it;
- ``extra.bundle_name``: the offline copy's file name.
The offline copy's options, on make bundle's command line (macros/hooks/bundle.py):
- ``BUNDLE_BUDGET_MB``: the largest zip make bundle writes (default BUNDLE_BUDGET_MB here);
- ``BUNDLE_SNAPSHOT``: ``no`` (the default) or ``yes``, the memory snapshot in the copy.
(``extra.tax_year`` is checked against the limits file by ``macros/__init__.py``.)

The build's switches, from the environment (tests, the benchmark and special builds):
- ``MBR_CACHE_DIR``: where slow build results are kept (default ``.cache``);
- ``MBR_BASELINE_RUNTIME=1``: Pyodide's shipped standard library, no bytecode, no
  snapshot (the benchmark's baseline);
- ``MBR_META_CSP=1``: the security policy in a ``<meta>`` tag, for hosts that cannot
  send headers (GitHub Pages).

``SiteSettings.read(config)`` gives them all, checked: a bad one stops the build with one
line naming the setting and saying what is allowed (SettingsError). The hooks read their
settings here and nowhere else.
"""

from __future__ import annotations

import colorsys
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]

Rgb = tuple[int, int, int]


class SettingsError(PluginError):
    """A setting the build cannot use; its message is one line naming it."""


# --- The switches --------------------------------------------------------------------------

SWITCH_HELP = {
    "MBR_CACHE_DIR": "a folder for slow build results (default .cache)",
    "MBR_BASELINE_RUNTIME": "1 (Pyodide's shipped standard library, no bytecode, no "
                            "snapshot: the benchmark's baseline) or 0",
    "MBR_META_CSP": "1 (put the Content-Security-Policy in a <meta> tag) or 0",
}


def _on_off(environ: Mapping[str, str], name: str) -> bool:
    value = environ.get(name, "")
    if value not in ("", "0", "1"):
        raise SettingsError(f"{name}: {value!r} is not allowed; use {SWITCH_HELP[name]}")
    return value == "1"


@dataclass(frozen=True)
class Switches:
    cache_dir: Path
    baseline_runtime: bool
    meta_csp: bool

    @classmethod
    def read(cls, environ: Mapping[str, str] = os.environ) -> Switches:
        return cls(cache_dir=Path(environ.get("MBR_CACHE_DIR") or ROOT / ".cache"),
                   baseline_runtime=_on_off(environ, "MBR_BASELINE_RUNTIME"),
                   meta_csp=_on_off(environ, "MBR_META_CSP"))


# --- The publisher's address and contact -----------------------------------------------------

SITE_URL_HELP = "an absolute https:// address such as https://guide.example.org/"


def check_site_url(value) -> str:
    """The site's public address, ending in /."""
    if not value:
        raise SettingsError(f"mkdocs.yml site_url: missing; set it to the site's public "
                            f"address, {SITE_URL_HELP}")
    parts = urlsplit(str(value))
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment \
            or "@" in parts.netloc:
        raise SettingsError(f"mkdocs.yml site_url: {value!r} is not {SITE_URL_HELP}")
    return str(value) if str(value).endswith("/") else f"{value}/"


def check_contact(value) -> None:
    if not value:
        return  # no contact link in the footer
    text = str(value)
    parts = urlsplit(text)
    if parts.scheme == "mailto" and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", parts.path):
        return
    if parts.scheme == "https" and parts.hostname and "@" not in parts.netloc:
        return
    raise SettingsError(f"mkdocs.yml extra.publisher.contact_url: {text!r} is neither a "
                        "mailto: address (mailto:name@example.org) nor an https:// address")


# --- The brand colours ---------------------------------------------------------------------
# The pairs checked (Material's own backgrounds and text colours):
# - primary with white: the header's and primary buttons' white text on it, and links
#   (which take the primary colour) on the light scheme's white page;
# - accent with white: hovered links and focus rings on the light scheme's page;
# - dark_accent with the dark scheme's page colour: links, buttons and focus rings there.
# One colour cannot serve as text on both a white and a dark page, hence two accents.

MIN_CONTRAST = 4.5  # WCAG 2.x AA, normal-size text
WHITE = (255, 255, 255)
# Material's slate scheme page colour, hsla(var(--md-hue) 225deg, 15%, 14%, 1).
DARK_PAGE = tuple(round(c * 255) for c in colorsys.hls_to_rgb(225 / 360, 0.14, 0.15))
BRAND_SETTINGS = {
    "primary": "header bar and links on the light page",
    "accent": "hovered links and focus rings on the light page",
    "dark_accent": "links, buttons and focus rings on the dark page",
}
HEX = re.compile(r"#[0-9a-fA-F]{6}")


def parse_hex(setting: str, value: Any) -> Rgb:
    if not isinstance(value, str) or not HEX.fullmatch(value):
        raise SettingsError(f"mkdocs.yml extra.brand.{setting}: must be a colour written "
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


def read_brand(extra: Mapping[str, Any]) -> dict[str, Rgb]:
    """The validated colours of `extra.brand`; SettingsError names the first bad setting."""
    brand = extra.get("brand")
    if not isinstance(brand, dict):
        raise SettingsError("mkdocs.yml extra.brand: missing; it needs " + ", ".join(
            f"{key} (#rrggbb, {use})" for key, use in BRAND_SETTINGS.items()))
    unknown = sorted(set(brand) - set(BRAND_SETTINGS))
    if unknown:
        raise SettingsError(f"mkdocs.yml extra.brand.{unknown[0]}: unknown setting; "
                            f"allowed: {', '.join(BRAND_SETTINGS)}")
    colours = {}
    for key, use in BRAND_SETTINGS.items():
        if key not in brand:
            raise SettingsError(f"mkdocs.yml extra.brand.{key}: missing (#rrggbb, {use})")
        colours[key] = parse_hex(key, brand[key])
    for key, text, background, pair in (
        ("primary", WHITE, colours["primary"], "white text on it"),
        ("accent", colours["accent"], WHITE, "it on the white page"),
        ("dark_accent", colours["dark_accent"], DARK_PAGE, "it on the dark page"),
    ):
        ratio = contrast(text, background)
        if ratio < MIN_CONTRAST:
            raise SettingsError(
                f"mkdocs.yml extra.brand.{key}: {brand[key]} gives {pair} a contrast of "
                f"{ratio:.2f}:1; at least {MIN_CONTRAST}:1 is needed "
                f"({'lighter' if background == DARK_PAGE else 'darker'} colour)")
    return colours


# --- The offline copy's name ---------------------------------------------------------------

BUNDLE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def bundle_name(extra: Mapping[str, Any], site_name: str) -> str:
    """The offline bundle's name: `extra.bundle_name`, or the site name made file-safe."""
    name = extra.get("bundle_name")
    if name is None:
        return re.sub(r"[^a-z0-9]+", "-", site_name.lower()).strip("-") or "site"
    if not isinstance(name, str) or not BUNDLE_NAME.fullmatch(name):
        raise SettingsError("mkdocs.yml extra.bundle_name: must be letters, digits, '.', '-' "
                            f"or '_', starting with a letter or digit, got {name!r}")
    return name


# --- The offline copy's size --------------------------------------------------------------
# The copy is sent as an email attachment: 10 MB (1,000,000 bytes each) passes the strictest
# common mail gateways (Gmail stops at 25 MB, Outlook at 20 MB, many firms' gateways at 10).
# The memory snapshot makes Python start sooner from disk, for about 4.3 MB more. With it
# the copy is within 2% of this budget, which the next page or calculator may pass, and its
# mail, encoded (base64 adds a third), is over 13 MB, which a gateway that counts the whole
# message refuses: the default copy leaves it out (tests/benchmark-results.md has both).
BUNDLE_BUDGET_MB = 10.0
BUDGET_HELP = (f"a size in MB above 0, such as {BUNDLE_BUDGET_MB:g} (the default); "
               "make bundle BUNDLE_BUDGET_MB=…")
SNAPSHOT_HELP = ("no (the default: the smaller copy) or yes (the memory snapshot: calculators "
                 "start sooner, about 4.3 MB more); make bundle BUNDLE_SNAPSHOT=…")


def bundle_budget(value: str) -> float:
    """The offline copy's budget in MB, from the command line."""
    try:
        budget = float(value)
    except ValueError:
        budget = 0.0
    if not 0 < budget < float("inf"):
        raise SettingsError(f"--budget-mb: {value!r} is not allowed; use {BUDGET_HELP}")
    return budget


LAUNCHER_HELP = ("no (the default: the copy made for mail, opened by double-clicking "
                 "index.html) or yes (with its launcher, serve.py, and the site's script "
                 "files: mail services refuse it); make bundle BUNDLE_LAUNCHER=…")


def bundle_launcher(value: str) -> bool:
    """Whether the offline copy carries its launcher, from the command line."""
    if value not in ("yes", "no"):
        raise SettingsError(f"--launcher: {value!r} is not allowed; use {LAUNCHER_HELP}")
    return value == "yes"


def bundle_snapshot(value: str) -> bool:
    """Whether the offline copy carries the memory snapshot, from the command line."""
    if value not in ("yes", "no"):
        raise SettingsError(f"--snapshot: {value!r} is not allowed; use {SNAPSHOT_HELP}")
    return value == "yes"


# --- All of them ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SiteSettings:
    site_url: str
    brand: dict[str, Rgb]
    bundle_name: str
    switches: Switches

    @classmethod
    def read(cls, config, environ: Mapping[str, str] = os.environ) -> SiteSettings:
        """Every setting of a MkDocs config (mkdocs.yml as loaded), checked."""
        extra = config.extra
        site_url = str(config.site_url or "")
        # `mkdocs serve` replaces site_url with its own http:// address before hooks run.
        dev_server = getattr(config, "dev_addr", None)
        if not (dev_server and site_url.startswith(f"http://{dev_server.host}:{dev_server.port}/")):
            site_url = check_site_url(config.site_url)
        check_contact((extra.get("publisher") or {}).get("contact_url"))
        return cls(site_url=site_url, brand=read_brand(extra),
                   bundle_name=bundle_name(extra, config.site_name),
                   switches=Switches.read(environ))
