"""The site offers its own offline copy, downloads/<bundle_name>-<version>.zip.

The copy is the one `make bundle` makes for mail (macros/hooks/bundle.py), made from the
built site itself, last in the build's step (macros/hooks/finish.py: it needs the runtime,
the bytecode and the pages as built), from files already there: a few seconds. It does not
contain itself.

Every page's footer (overrides/partials/copyright.html) links to it with its size, which
only the finished zip knows: the pages carry SIZE_MARK, replaced here with the size in MB,
and their precompressed copies are written again.

A build for hosts that cannot send headers (MBR_META_CSP=1) offers no copy: its pages'
policy, a <meta> tag, would go with them into the copy and block the copy's inline scripts
and the search's frame from disk (bundle.py refuses such a site). Nor does a site without
the search index the copy carries (search/search_index.json, from Material's search with
the offline plugin): a generator that makes its own search (Zensical) gets no copy.
"""

from __future__ import annotations

import logging
from pathlib import Path

from macros.hooks.bundle import DOWNLOADS, OFFLINE_LINK, package_version, write_bundle
from macros.hooks.settings import BUNDLE_BUDGET_MB, SiteSettings
from macros.hooks.site_assets import compressed

log = logging.getLogger("mkdocs.hooks.download")
# What the footer shows until the zip is made; replaced in every page by its size.
SIZE_MARK = "MBR-OFFLINE-COPY-SIZE"
SEARCH_INDEX = "search/search_index.json"


def download_path(settings: SiteSettings) -> str:
    """The copy's path in the site: downloads/<bundle_name>-<version>.zip."""
    return f"{DOWNLOADS}/{settings.bundle_name}-{package_version()}.zip"


def no_copy_reason(site: Path, settings: SiteSettings) -> str:
    """Why this built site can offer no offline copy, or "" when it can."""
    if settings.switches.meta_csp:
        return "a build with MBR_META_CSP=1 cannot carry one"
    if not (site / SEARCH_INDEX).is_file():
        return f"the site has no {SEARCH_INDEX} (Material's search), which the copy carries"
    return ""


def without_offline_link(html: str) -> str:
    """A page without its footer's "Read offline" paragraph."""
    return OFFLINE_LINK.sub("", html)


def megabytes(size: int) -> str:
    """A file's size as the footer gives it: MB of 1,000,000 bytes, one decimal."""
    return f"{size / 1e6:.1f} MB"


def write_download(site: Path, path: str, cache: Path) -> None:
    """The copy at `path` in the site, and its size in every page that links to it (their
    compressed copies made again through the build's cache)."""
    target = write_bundle(site, site / DOWNLOADS, budget_mb=BUNDLE_BUDGET_MB, target=site / path)
    size = megabytes(target.stat().st_size)
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if SIZE_MARK not in html:
            continue
        data = html.replace(SIZE_MARK, size).encode()
        page.write_bytes(data)
        for encoding in ("br", "gz"):
            packed = page.with_name(f"{page.name}.{encoding}")
            if packed.is_file():
                packed.write_bytes(compressed(data, encoding, cache))
    log.info("Offline copy for download: %s (%s)", path, size)
