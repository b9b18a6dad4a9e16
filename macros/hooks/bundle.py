"""The offline copy: the built site and a read-me, in one zip, within a budget.

Usage: python -m macros.hooks.bundle SITE_DIR OUT_DIR [--budget-mb MB] [--snapshot yes|no]
                                     [--launcher yes|no]
(make bundle runs it; BUNDLE_BUDGET_MB=…, BUNDLE_SNAPSHOT=… and BUNDLE_LAUNCHER=… pass
the options; make bundle-launcher is BUNDLE_LAUNCHER=yes)

Writes OUT_DIR/<bundle_name>-<version>.zip (mkdocs.yml `extra.bundle_name`) whose single
folder holds the site and README.txt. The copy is sent by email, and mail services refuse
script files, even inside a zip (tests/mail-blocked-types.txt): by default its pages carry
every script inline (MailPages) and it holds no .js/.mjs file and no launcher. The Python
runtime is in it once: as the HTML documents of assets/offline/ (macros/hooks/offline.py),
which pages opened from disk load in hidden frames. The site's own copies of those files,
every precompressed .br/.gz, the search-language packs (the site is in English) and the
site's own download of the copy (downloads/) stay out.

--launcher yes: the copy for those who serve it, with its launcher (serve.py, standard
library only, bound to 127.0.0.1, which serves the runtime from the same documents) and the
site's pages and script files as they are. Mail services refuse it.

A zip over its budget (settings.BUNDLE_BUDGET_MB unless --budget-mb) is not written, and
the command says by how much and what to do.
"""

from __future__ import annotations

import posixpath
import re
import sys
import tomllib
import zipfile
from pathlib import Path
from urllib.parse import quote

import yaml

from macros.hooks.hosting import OneLineErrors
from macros.hooks.offline import OfflineError, offline_files
from macros.hooks.settings import (
    BUDGET_HELP,
    BUNDLE_BUDGET_MB,
    LAUNCHER_HELP,
    SNAPSHOT_HELP,
    SettingsError,
    bundle_budget,
    bundle_launcher,
    bundle_name,
    bundle_snapshot,
)

ROOT = Path(__file__).resolve().parents[2]
README = """{site_name}, offline copy (version {version})

To read it, double-click index.html in this folder (unzip the whole copy first: opened
from inside the zip, a page cannot reach the copy's other files). Every page, the search
and every calculator work from disk, with no other file and no installation: the calculators run Python inside your browser, with your numbers, and
nothing is sent anywhere. A calculator takes a few seconds to start the first time you use
it on a page. Links to a calculator with your numbers in them work from disk too, on this
computer.

Tested from disk in Chrome (Chromium), Firefox and Safari's engine (WebKit). Every page
opened from disk starts Python afresh, as nothing is kept between pages.
{launcher}The copy makes no request to any other site.
"""
LAUNCHER = """
If you prefer, you can serve the same files instead (needs Python 3):
  1. Open a terminal in this folder.
  2. Run:  python3 serve.py
  3. Open the address it prints (http://127.0.0.1:8000/) in your browser.
{served}"""
SERVED_WITH_SNAPSHOT = ("Served, a calculator starts faster on later visits, and links you copy "
                        "can be opened\nby anyone who runs the same copy.\n")
SERVED = "Served, links you copy can be opened by anyone who runs the same copy.\n"
# Precompressed copies the site build writes for web hosts.
PRECOMPRESSED = (".br", ".gz")
# The site's own download of the copy (macros/hooks/download.py): not in the copy.
DOWNLOADS = "downloads"
# Material's search-language packs (and their support): lunr has English built in, the
# site's only language (theme.language), and loads none of them.
LANGUAGE_PACK = re.compile(r"assets/javascripts/lunr/.*")
# The copy made for mail carries no script file (mail services refuse them, even inside a
# zip: see tests/mail-blocked-types.txt): its pages carry their scripts inline.
SCRIPT_FILES = (".js", ".mjs")
# Not used by the copy: source maps, and what only a web host or a served copy reads.
UNUSED = (".map",)
UNUSED_PATHS = ("_headers", "search/search_index.json", "search/search_index.js")
# The site's "Read offline" link (overrides/partials/copyright.html): the copy does not
# offer itself.
OFFLINE_LINK = re.compile(r'\s*<p class="mbr-read-offline"[^>]*>.*?</p>', re.S)
SCRIPT_TAG = re.compile(r'<script src="([^"]+)"( defer)?></script>')
SEARCH_WORKER = re.compile(r'"search": "[^"]*workers/search\.\w+\.min\.js"')
SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S*\s*$")
# Material's bundle, from disk, loads the search index as the script search/search_index.js
# (the offline plugin's); the copy's pages define the index inline, and that load becomes
# one of an empty script.
INDEX_LOAD = re.compile(r'`\$\{new URL\("search/search_index\.js",[\w$]+\.base\)\}`')
EMPTY_SCRIPT = '"data:text/javascript,"'
# Material's page helpers, a file of the site's (overrides/partials/javascripts/base.html),
# find the site root from their own address; inline, from the page's.
HELPERS = "javascripts/theme/helpers.js"
HELPERS_SCOPE = 'new URL("../..",document.currentScript.src)'
# The search's worker shim (npm iframe-worker) writes the worker's script tag into a frame,
# then waits for the frame's load event. The copy's worker is a data: URL, which loads at
# once: the frame has loaded before the shim listens, and the search never starts. Inline,
# the shim also takes a frame that has loaded already.
SHIM = "assets/javascripts/iframe-worker-shim.js"
SHIM_READY = "this.r=new Promise((t,i)=>{this.w.onload=t,this.w.onerror=i})"
SHIM_READY_FIXED = ('this.r=new Promise((t,i)=>{this.w.document.readyState==="complete"?t():'
                    "(this.w.onload=t,this.w.onerror=i)})")
# Safe in a data: URL written unquoted in an attribute (the search's iframe shim does).
DATA_URL_SAFE = "-_.!~*();:/,=+[]{}|^$@"


def inline_text(text: str, what: str) -> str:
    """A script's text, to go between <script> and </script> unchanged in meaning."""
    text = SOURCE_MAP.sub("", text)
    for bad in ("</script", "<!--"):
        if bad in text.lower():
            raise SystemExit(f"error: {what} has `{bad}`, which cannot be inline in a page: "
                             "the offline copy cannot carry it")
    return text


class MailPages:
    """The site's pages with every script inline, for the copy made for mail."""

    def __init__(self, site: Path):
        self.site = site
        worker = SOURCE_MAP.sub("", self.read(f"assets/javascripts/workers/{self.search_worker_name()}"))
        # The search worker runs in the iframe shim's frame, which loads it from its URL
        # (with `?time` added: the `//` makes that a comment).
        self.search_worker = "data:text/javascript," + quote(worker + "\n//", safe=DATA_URL_SAFE)
        index = (site / "search/search_index.json").read_text(encoding="utf-8")
        self.index_script = f"<script>var __index = {index.replace('<', chr(92) + 'u003c')}</script>"
        self.disk_script = self.script_tag(self.read("javascripts/calculators-disk.js"),
                                           "javascripts/calculators-disk.js")

    def search_worker_name(self) -> str:
        (worker,) = (self.site / "assets/javascripts/workers").glob("search.*.min.js")
        return worker.name

    def read(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")

    @staticmethod
    def script_tag(text: str, what: str) -> str:
        return f"<script>{inline_text(text, what)}</script>"

    def page(self, path: str) -> str:
        html = self.read(path)
        folder = posixpath.dirname(path)
        deferred: list[str] = []

        def inline(match: re.Match) -> str:
            src = match.group(1).split("?")[0]
            target = src.lstrip("/") if src.startswith("/") else posixpath.normpath(
                posixpath.join(folder, src))
            text = self.read(target)
            if target.startswith("assets/javascripts/bundle."):
                found = len(INDEX_LOAD.findall(text))
                if found != 1:
                    raise SystemExit(f"error: {target} loads search/search_index.js {found} "
                                     "times the copy knows, not once: this Material version "
                                     "changed how it reads the search index from disk")
                text = INDEX_LOAD.sub(EMPTY_SCRIPT, text)
                return self.index_script + self.script_tag(text, target)
            if target == HELPERS:  # its scope from the page's address, as Material has it inline
                root = posixpath.relpath(".", folder or ".")
                if text.count(HELPERS_SCOPE) != 1:
                    raise SystemExit(f"error: {target} has no `{HELPERS_SCOPE}` to make inline")
                text = text.replace(HELPERS_SCOPE, f'new URL("{root}/",location)')
            if target == SHIM:
                if text.count(SHIM_READY) != 1:
                    raise SystemExit(f"error: {target} has no `{SHIM_READY}`: this version "
                                     "of iframe-worker changed what the offline copy fixes")
                text = text.replace(SHIM_READY, SHIM_READY_FIXED)
            tag = self.script_tag(text, target)
            if match.group(2):  # deferred: after the page, as the browser runs it
                deferred.append(tag)
                return ""
            return tag

        html = SCRIPT_TAG.sub(inline, html)
        if 'data-worker="' in html:
            deferred.insert(0, self.disk_script)
        if deferred:  # before the page's own </body>, its last (scripts may write one)
            end = html.rfind("</body>")
            if end < 0:
                raise SystemExit(f"error: {path} has no </body> for its deferred scripts")
            html = html[:end] + "".join(deferred) + html[end:]
        html, found = SEARCH_WORKER.subn(f'"search": "{self.search_worker}"', html)
        if found != 1:
            raise SystemExit(f"error: {path} names the search worker {found} times, not once: "
                             "this Material version changed its page configuration")
        html = OFFLINE_LINK.sub("", html)
        left = re.search(r'<script [^>]*src="', html)
        if left:
            raise SystemExit(f"error: {path} still loads a script file ({left.group(0)}…): "
                             "the offline copy cannot inline it")
        return html


def package_version() -> str:
    """The project's version (pyproject.toml), in the copy's name."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def bundle_settings() -> tuple[str, str, str]:
    """The site's name, the bundle's name (mkdocs.yml) and the version (pyproject.toml)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    version = package_version()
    try:
        name = bundle_name(config.get("extra") or {}, config["site_name"])
    except SettingsError as error:
        raise SystemExit(f"error: {error}") from None
    return config["site_name"], name, version


def write_bundle(site: Path, out_dir: Path, snapshot: bool = False,
                 budget_mb: float = BUNDLE_BUDGET_MB, launcher: bool = False,
                 target: Path | None = None) -> Path:
    """snapshot: carry the memory snapshot (a larger copy whose calculators start sooner).
    launcher: the copy with its launcher (serve.py) and the site's pages and script files as
    they are, for those who serve it; mail services refuse it. Without it, the copy made for
    mail: every page carries its scripts inline, and the copy holds no script file.
    target: where to write the zip (default OUT_DIR/<bundle_name>-<version>.zip).
    Stops, writing nothing, when the zip would be over budget_mb (MB of 1,000,000 bytes)."""
    if not (site / "index.html").is_file():
        raise SystemExit(f"error: {site} has no index.html: build the site first")
    if 'http-equiv="Content-Security-Policy"' in (site / "index.html").read_text(encoding="utf-8"):
        # From disk, a <meta> policy blocks the search's iframe shim: the copy must come
        # from a build for a host that sends headers (serve.py sends them from _headers).
        raise SystemExit(f"error: {site} was built with MBR_META_CSP=1, for hosts without "
                         "headers; build it without that for the offline copy")
    try:
        offline = offline_files(site, snapshot)
    except OfflineError as error:
        raise SystemExit(f"error: offline copy: {error}") from None
    site_name, bundle, version = bundle_settings()
    name = f"{bundle}-{version}"
    target = target or out_dir / f"{name}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    downloads = f"{DOWNLOADS}/"

    def carried(path: Path) -> bool:
        relative = path.relative_to(site).as_posix()
        if (path.suffix in PRECOMPRESSED or relative in offline.left_out
                or relative.startswith(downloads) or LANGUAGE_PACK.fullmatch(relative)):
            return False  # the copy does not contain itself, nor other languages' search
        return launcher or not (path.suffix in SCRIPT_FILES + UNUSED or relative in UNUSED_PATHS)

    files = sorted(p for p in site.rglob("*") if p.is_file() and carried(p))
    readme = README.format(site_name=site_name, version=version, launcher=LAUNCHER.format(
        served=SERVED_WITH_SNAPSHOT if snapshot else SERVED) if launcher else "")
    pages = None if launcher else MailPages(site)
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            relative = path.relative_to(site).as_posix()
            if pages and path.suffix == ".html":
                info = zipfile.ZipInfo.from_file(path, f"{name}/{relative}")
                zf.writestr(info, pages.page(relative), compress_type=zipfile.ZIP_DEFLATED,
                            compresslevel=9)
            else:
                zf.write(path, f"{name}/{relative}")
        for path, data in offline.files.items():
            info = zipfile.ZipInfo(f"{name}/{path}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16  # rw-r--r--, as the site's own files
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        if launcher:
            zf.write(ROOT / "serve.py", f"{name}/serve.py")
        zf.writestr(f"{name}/README.txt", readme)
    size_mb = partial.stat().st_size / 1e6
    if size_mb > budget_mb:
        partial.unlink()  # a copy over budget is not one to send
        advice = ("leave out the memory snapshot (BUNDLE_SNAPSHOT=no: a smaller copy whose "
                  "calculators start slower), or raise the budget" if snapshot
                  else "raise the budget, or make the site smaller")
        raise SystemExit(f"error: the offline copy would be {size_mb:.2f} MB zipped, over its "
                         f"budget of {budget_mb:g} MB (BUNDLE_BUDGET_MB); not written: {advice}")
    partial.replace(target)
    return target


def main(argv: list[str]) -> int:
    parser = OneLineErrors(prog="python -m macros.hooks.bundle",
                           description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, metavar="SITE_DIR", help="the built site")
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="where to write the zip")
    parser.add_argument("--budget-mb", default=str(BUNDLE_BUDGET_MB), help=BUDGET_HELP)
    parser.add_argument("--snapshot", default="no", help=SNAPSHOT_HELP)
    parser.add_argument("--launcher", default="no", help=LAUNCHER_HELP)
    args = parser.parse_args(argv)
    try:
        budget = bundle_budget(args.budget_mb)
        snapshot = bundle_snapshot(args.snapshot)
        launcher = bundle_launcher(args.launcher)
    except SettingsError as error:
        parser.error(str(error))
    target = write_bundle(args.site, args.out, snapshot, budget, launcher)
    print(f"Wrote {target} ({target.stat().st_size / 1e6:.1f} MB; budget {budget:g} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
