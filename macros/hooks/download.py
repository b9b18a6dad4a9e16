"""MkDocs hook: the site offers its own offline copy, downloads/<bundle_name>-<version>.zip.

The copy is the one `make bundle` makes for mail (macros/hooks/bundle.py), made from the
built site itself, after every other build step (it needs the runtime, the bytecode and
the pages as built), from files already there: a few seconds. It does not contain itself.

Every page's footer (overrides/partials/copyright.html) links to it with its size, which
only the finished zip knows: the pages carry SIZE_MARK, replaced here with the size in MB,
and their precompressed copies are written again.

A build for hosts that cannot send headers (MBR_META_CSP=1) offers no copy: its pages'
policy, a <meta> tag, would go with them into the copy and block the copy's inline scripts
and the search's frame from disk (bundle.py refuses such a site).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.plugins import event_priority

from macros.hooks.bundle import DOWNLOADS, package_version, write_bundle
from macros.hooks.hosting import HEADER_POLICY, headers_file
from macros.hooks.settings import BUNDLE_BUDGET_MB, SettingsError, Switches, bundle_name
from macros.hooks.site_assets import compressed

log = logging.getLogger("mkdocs.hooks.download")
# What the footer shows until the zip is made; replaced in every page by its size.
SIZE_MARK = "MBR-OFFLINE-COPY-SIZE"


def download_path(config) -> str:
    """The copy's path in the site: downloads/<bundle_name>-<version>.zip."""
    version = package_version()
    try:
        name = bundle_name(config.extra, config.site_name)
    except SettingsError:
        name = "offline-copy"  # settings.py stops the build with the message
    return f"{DOWNLOADS}/{name}-{version}.zip"


def megabytes(size: int) -> str:
    """A file's size as the footer gives it: MB of 1,000,000 bytes, one decimal."""
    return f"{size / 1e6:.1f} MB"


@event_priority(-50)  # after hosting.py's on_config
def on_config(config):
    meta = bool(config.extra.get("meta_content_security_policy"))  # hosting.py set it
    # overrides/partials/copyright.html links to it when set.
    config.extra["offline_download"] = "" if meta else download_path(config)
    config.extra["offline_download_size"] = SIZE_MARK
    return config


@event_priority(-50)  # after every other step: site_assets.py's runtime, hosting.py's _headers
def on_post_build(config):
    path = config.extra.get("offline_download")
    site = Path(config.site_dir)
    cache = Switches.read().cache_dir
    if not path:
        log.info("No offline copy to download: a build with MBR_META_CSP=1 cannot carry one")
        return
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
    # hosting.py wrote _headers before the zip was there: again, with its cache rule.
    (site / "_headers").write_text(headers_file(HEADER_POLICY, site))
    log.info("Offline copy for download: %s (%s)", path, size)
