"""The offline bundle: the built site, its launcher and a read-me, in one zip, within a budget.

Usage: python -m macros.hooks.bundle SITE_DIR OUT_DIR [--budget-mb MB] [--snapshot yes|no]
(make bundle runs it; BUNDLE_BUDGET_MB=… and BUNDLE_SNAPSHOT=… pass the options)

Writes OUT_DIR/<bundle_name>-<version>.zip (mkdocs.yml `extra.bundle_name`) whose single
folder holds the site, serve.py (standard library only, bound to 127.0.0.1) and README.txt.
The Python runtime is in it once: as the scripts of assets/offline/ (macros/hooks/offline.py),
which pages opened from disk load and from which the launcher serves the site's runtime
files. The site's own copies of those files, and every precompressed .br/.gz (compression
gains nothing on 127.0.0.1), stay out.

The copy is sent by email: a zip over its budget (settings.BUNDLE_BUDGET_MB unless
--budget-mb) is not written, and the command says by how much and what to do.
"""

from __future__ import annotations

import sys
import tomllib
import zipfile
from pathlib import Path

import yaml

from macros.hooks.hosting import OneLineErrors
from macros.hooks.offline import OfflineError, offline_files
from macros.hooks.settings import (
    BUDGET_HELP,
    BUNDLE_BUDGET_MB,
    SNAPSHOT_HELP,
    SettingsError,
    bundle_budget,
    bundle_name,
    bundle_snapshot,
)

ROOT = Path(__file__).resolve().parents[2]
README = """{site_name}, offline copy (version {version})

Open index.html in this folder (double-click it). Every page, the search and every
calculator work from disk: the calculators run Python inside your browser, with your
numbers, and nothing is sent anywhere. A calculator takes a few seconds to start the
first time you use it on a page. Links to a calculator with your numbers in them
work from disk too, on this computer.

Tested from disk in Chrome (Chromium), Firefox and Safari's engine (WebKit). Every page
opened from disk starts Python afresh, as nothing is kept between pages.

If you prefer, you can serve the same files instead (needs Python 3):
  1. Open a terminal in this folder.
  2. Run:  python3 serve.py
  3. Open the address it prints (http://127.0.0.1:8000/) in your browser.
{served}The copy makes no request to any other site either way.
"""
SERVED_WITH_SNAPSHOT = ("Served, a calculator starts faster on later visits, and links you copy "
                        "can be opened\nby anyone who runs the same copy. ")
SERVED = "Served, links you copy can be opened by anyone who runs the same copy.\n"
# Precompressed copies the site build writes for web hosts.
PRECOMPRESSED = (".br", ".gz")


def bundle_settings() -> tuple[str, str, str]:
    """The site's name, the bundle's name (mkdocs.yml) and the version (pyproject.toml)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    try:
        name = bundle_name(config.get("extra") or {}, config["site_name"])
    except SettingsError as error:
        raise SystemExit(f"error: {error}") from None
    return config["site_name"], name, version


def write_bundle(site: Path, out_dir: Path, snapshot: bool = False,
                 budget_mb: float = BUNDLE_BUDGET_MB) -> Path:
    """snapshot: carry the memory snapshot (a larger copy whose calculators start sooner).
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
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.zip"
    files = sorted(p for p in site.rglob("*") if p.is_file() and p.suffix not in PRECOMPRESSED
                   and p.relative_to(site).as_posix() not in offline.left_out)
    readme = README.format(site_name=site_name, version=version,
                           served=SERVED_WITH_SNAPSHOT if snapshot else SERVED)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            zf.write(path, f"{name}/{path.relative_to(site).as_posix()}")
        for path, data in offline.files.items():
            info = zipfile.ZipInfo(f"{name}/{path}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16  # rw-r--r--, as the site's own files
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        zf.write(ROOT / "serve.py", f"{name}/serve.py")
        zf.writestr(f"{name}/README.txt", readme)
    size_mb = target.stat().st_size / 1e6
    if size_mb > budget_mb:
        target.unlink()  # a copy over budget is not one to send
        advice = ("leave out the memory snapshot (BUNDLE_SNAPSHOT=no: a smaller copy whose "
                  "calculators start slower), or raise the budget" if snapshot
                  else "raise the budget, or make the site smaller")
        raise SystemExit(f"error: the offline copy would be {size_mb:.2f} MB zipped, over its "
                         f"budget of {budget_mb:g} MB (BUNDLE_BUDGET_MB); not written: {advice}")
    return target


def main(argv: list[str]) -> int:
    parser = OneLineErrors(prog="python -m macros.hooks.bundle",
                           description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, metavar="SITE_DIR", help="the built site")
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="where to write the zip")
    parser.add_argument("--budget-mb", default=str(BUNDLE_BUDGET_MB), help=BUDGET_HELP)
    parser.add_argument("--snapshot", default="no", help=SNAPSHOT_HELP)
    args = parser.parse_args(argv)
    try:
        budget = bundle_budget(args.budget_mb)
        snapshot = bundle_snapshot(args.snapshot)
    except SettingsError as error:
        parser.error(str(error))
    target = write_bundle(args.site, args.out, snapshot, budget)
    print(f"Wrote {target} ({target.stat().st_size / 1e6:.1f} MB; budget {budget:g} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
