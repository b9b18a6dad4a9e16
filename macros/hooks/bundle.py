"""The offline bundle: the built site, its launcher and a read-me, in one zip.

Usage: python -m macros.hooks.bundle SITE_DIR OUT_DIR   (make bundle runs it)
Writes OUT_DIR/<bundle_name>-<version>.zip (mkdocs.yml `extra.bundle_name`) whose
single folder holds the site, its Python for pages opened from disk (assets/offline/,
made by macros/hooks/offline.py), serve.py (standard library only, bound to 127.0.0.1)
and README.txt.
"""

from __future__ import annotations

import sys
import tomllib
import zipfile
from pathlib import Path

import yaml

from macros.hooks.offline import OfflineError, offline_files
from macros.hooks.settings import SettingsError, bundle_name

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
Served, a calculator starts faster on later visits, and links you copy can be opened
by anyone who runs the same copy. The copy makes no request to any other site either way.
"""


def bundle_settings() -> tuple[str, str, str]:
    """The site's name, the bundle's name (mkdocs.yml) and the version (pyproject.toml)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    try:
        name = bundle_name(config.get("extra") or {}, config["site_name"])
    except SettingsError as error:
        raise SystemExit(f"error: {error}") from None
    return config["site_name"], name, version


def write_bundle(site: Path, out_dir: Path, snapshot: bool = True) -> Path:
    """snapshot: False leaves the memory snapshot out of assets/offline/ (the benchmark's variant)."""
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
    # The launcher serves the brotli copies; the gzip ones are for older browsers that a
    # local copy does not need, and would add a third to the download.
    files = sorted(p for p in site.rglob("*") if p.is_file() and p.suffix != ".gz")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            zf.write(path, f"{name}/{path.relative_to(site).as_posix()}")
        for path, data in offline.items():
            info = zipfile.ZipInfo(f"{name}/{path}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16  # rw-r--r--, as the site's own files
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        zf.write(ROOT / "serve.py", f"{name}/serve.py")
        zf.writestr(f"{name}/README.txt",
                    README.format(site_name=site_name, version=version))
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m macros.hooks.bundle SITE_DIR OUT_DIR", file=sys.stderr)
        return 2
    target = write_bundle(Path(argv[0]), Path(argv[1]))
    print(f"Wrote {target} ({target.stat().st_size / 1_000_000:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
