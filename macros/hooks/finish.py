"""The build's own work, as one step on a built site folder, whatever generator made it.

    python -m macros.hooks.finish SITE_DIR [--config mkdocs.yml]

MkDocs (and ProperDocs, its fork) run it through their hook (macros/hooks/mkdocs_hook.py);
Zensical, which runs no MkDocs hook, through this command line after its build (make build
GENERATOR=zensical). In order:

1. every setting checked (settings.py), the header policy too, then the brand's stylesheet,
   assets/stylesheets/brand.css (brand.py): a bad setting stops before the slow steps;
2. the page script and the disk loader (page_script.py);
3. the runtime, the wheel, the bytecode and the snapshot, and the search's worker shim
   (site_assets.py);
4. the names only this step knows written into the pages (below);
5. robots.txt, the precompressed copies, the header policy's _headers (hosting.py);
6. last, the site's own offline copy and its size in every footer (download.py).

Why the pages get names after they are made. The pages name files that this step makes:
the runtime's and the calculators' content-hashed folders, the download sizes, the start
script (inline, its hash in the policy), the <meta> policy of a build for hosts without
headers, the offline copy's path and size. A MkDocs hook could hand them to the template
before the pages render; Zensical runs none of our code before its pages render. So the
templates (overrides/) write fixed marks, the same for every generator, and this step
replaces them in every page: one path, whatever made the pages. The marks are plain text
the generator copies as written: MARK_PATH + name inside a URL (after the template's `url`
filter, which adds "./" or "../" as each generator does), SIZES_MARK, START_MARK,
META_MARK, and download.py's SIZE_MARK.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml
from markupsafe import escape
from mkdocs.exceptions import PluginError

from macros.hooks.brand import STYLESHEET, css
from macros.hooks.download import (
    download_path,
    no_copy_reason,
    without_offline_link,
    write_download,
)
from macros.hooks.hosting import (
    HEADER_POLICY,
    OneLineErrors,
    PolicyError,
    check_policy,
    headers_file,
    meta_content_security_policy,
    robots_txt,
)
from macros.hooks.page_script import start_script, write_page_scripts
from macros.hooks.settings import ROOT, SettingsError, SiteSettings
from macros.hooks.site_assets import SiteBuild, check_runtime, precompress

log = logging.getLogger("mkdocs.hooks.finish")  # MkDocs prints its own loggers' lines

# A site path only this step knows, in a page: MARK_PATH + its name (overrides/main.html,
# overrides/partials/copyright.html), after whatever relative prefix the generator wrote.
MARK_PATH = "MBR-NAME/"
MARKED_PATH = re.compile(r"((?:\./|(?:\.\./)*)?)MBR-NAME/(\w+)")
SIZES_MARK = "MBR-DOWNLOAD-SIZES"  # the runtime's file sizes, JSON
START_MARK = "MBR-START-SCRIPT"  # the start script's text
META_MARK = "<!--MBR-META-POLICY-->"  # the <meta> policy of a build with MBR_META_CSP=1


def check_settings(config) -> SiteSettings:
    """Every setting and the header policy, checked: SettingsError names the first bad one."""
    try:
        check_policy(HEADER_POLICY)
    except PolicyError as error:
        raise SettingsError(str(error)) from None
    return SiteSettings.read(config)


def read_config(path: Path) -> SimpleNamespace:
    """The settings the step reads from mkdocs.yml, as the generators' config offers them.
    Every value as text (a firm's file may carry tags for a plugin the step does not need)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
    return SimpleNamespace(site_url=data.get("site_url"), site_name=data.get("site_name", ""),
                           extra=data.get("extra") or {})


def meta_tags() -> str:
    return (f'<meta http-equiv="Content-Security-Policy" '
            f'content="{escape(meta_content_security_policy())}">\n    '
            f'<meta name="referrer" content="{escape(HEADER_POLICY.security["Referrer-Policy"])}">')


def fill_marks(html: str, names: dict[str, Any], meta: bool, offline: str) -> str:
    """A page with the step's names in place of the template's marks."""
    def path(match: re.Match) -> str:
        value = names[match.group(2)]
        return match.group(1) + value if value else ""  # no such file in this build

    html = MARKED_PATH.sub(path, html)
    html = html.replace(SIZES_MARK, json.dumps(names["download_sizes"], sort_keys=True))
    html = html.replace(START_MARK, names["start_script"])
    html = html.replace(META_MARK, meta_tags() if meta else "")
    return html if offline else without_offline_link(html)


def finish_site(site: Path, config) -> None:
    """Everything the build does on top of the generator's pages, on the built site `site`.

    `config`: the generator's config (MkDocs) or read_config's (the command line); the step
    reads site_url, site_name and extra from it."""
    settings = check_settings(config)
    check_runtime()
    (site / STYLESHEET).parent.mkdir(parents=True, exist_ok=True)
    (site / STYLESHEET).write_text(css(settings.brand), encoding="utf-8")
    write_page_scripts(site)
    build = SiteBuild(cache=settings.switches.cache_dir, baseline=settings.switches.baseline_runtime)
    try:
        names = build.prepare()
        build.finish(site)
    finally:
        build.close()
    reason = no_copy_reason(site, settings)
    offline = "" if reason else download_path(settings)
    names |= {"start_script": start_script(), "offline_download": offline}
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        filled = fill_marks(html, names, settings.switches.meta_csp, offline)
        if filled != html:
            page.write_text(filled, encoding="utf-8")
    (site / "robots.txt").write_text(robots_txt(settings.site_url))
    precompress(site, settings.switches.cache_dir)
    (site / "_headers").write_text(headers_file(HEADER_POLICY, site))  # lists every file
    if reason:
        log.info("No offline copy to download: %s", reason)
        return
    write_download(site, offline, settings.switches.cache_dir)
    # Written again with the zip there: its cache rule.
    (site / "_headers").write_text(headers_file(HEADER_POLICY, site))


def main(argv: list[str]) -> int:
    parser = OneLineErrors(prog="python -m macros.hooks.finish",
                           description="The build's own work on a built site folder.")
    parser.add_argument("site", type=Path, metavar="SITE_DIR", help="the built site")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml",
                        help="the project's settings (default: mkdocs.yml)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} has no index.html: build the site first")
    # The step's lines, as MkDocs prints them (its loggers are "mkdocs.*"), not the libraries'.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    try:
        finish_site(args.site, read_config(args.config))
    except PluginError as error:  # a setting or a build step: one line naming it
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
