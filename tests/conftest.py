"""Shared fixtures: the real limits file, a built site, a local server and Chromium.

Site tests expect what the project's settings say: the default tax year, the publisher
and the bundle's name come from mkdocs.yml (SITE_YEAR, SITE), figures from the limits
file, so a firm's copy with its own name and years passes them unchanged.

Browser and Pyodide tests never skip: when Chromium, Node or the Pyodide package is
missing they fail with a message saying what to install (make test installs them).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from calculators import load_limits
from serve import make_server

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# The settings of this project (the copy under test when run inside a copy).
SITE = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_YEAR = int(SITE["extra"]["tax_year"])
PUBLISHER = SITE["extra"]["publisher"]["name"]
DISCLAIMER = " ".join(SITE["extra"]["publisher"]["disclaimer"].split())


@pytest.fixture(scope="session")
def limits():
    return load_limits()


@pytest.fixture(scope="session")
def site_limits(limits):
    """The limits of the site's default year (mkdocs.yml extra.tax_year)."""
    return limits.for_year(SITE_YEAR)


def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, by file name."""
    return sorted(p.name for p in site.glob("*.html"))


# Not part of a copy: tools' folders, build results and the shared Node packages (linked).
NOT_COPIED = (".git", ".venv", ".cache", "node_modules", "site", "dist", "__pycache__",
              ".pytest_cache", ".ruff_cache")


def copy_project(tmp_path: Path) -> Path:
    """A copy of the project (pages, calculators, tests, settings) in tmp_path/project."""
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(*NOT_COPIED))
    (project / "node_modules").symlink_to((ROOT / "node_modules").resolve())
    return project


def build_site(
    project: Path, site_dir: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of a project folder, as make serve runs it (env: extra variables)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        capture_output=True,
        text=True,
        # Copies of the project share the main checkout's cache of slow build results (and
        # tests run inside a copy, the cache of the checkout that made it).
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1",
                          "MBR_CACHE_DIR": os.environ.get("MBR_CACHE_DIR", str(ROOT / ".cache"))}
        | (env or {}),
        check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site")
    done = build_site(ROOT, site)
    assert done.returncode == 0, f"mkdocs build failed:\n{done.stderr}"
    return site


@contextlib.contextmanager
def serve_site(site: Path, handler_class=None) -> Iterator[str]:
    """Serves a built site with serve.py (or a variant of its handler) on a free port;
    yields its address, ending in /."""
    server = make_server(site, 0, quiet=True, **({"handler_class": handler_class} if handler_class else {}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def unzipped_bundle(built_site, tmp_path_factory) -> Path:
    """The offline copy (make bundle's zip) of the built site, unzipped: its folder."""
    from macros.hooks.bundle import write_bundle

    out = tmp_path_factory.mktemp("dist")
    archive = write_bundle(built_site, out)
    assert re.fullmatch(rf"{re.escape(SITE['extra']['bundle_name'])}-\d+\.\d+\.\d+\.zip",
                        archive.name)
    # Unzipped where readers put it: a folder name with a space and a letter outside ASCII,
    # which file:// addresses carry percent-encoded.
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(out / "Client files é")
    (folder,) = (out / "Client files é").iterdir()
    assert (folder / "serve.py").is_file() and (folder / "README.txt").is_file()
    return folder


@pytest.fixture(scope="session")
def site_url(built_site):
    with serve_site(built_site) as url:
        yield url


def require(path: str, what: str) -> None:
    if not shutil.which(path) and not Path(path).exists():
        pytest.fail(f"{what} not found at {path!r}: run `make test`, which installs it", pytrace=False)


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM, "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright gives every launch a fresh temporary profile of its own.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Opens a page in a new browser context (Playwright's context options); the test fails
    if any page of the contexts it opened has an uncaught JavaScript error. A test that adds
    routes or scripts to the context reaches it as page.context."""
    contexts = []
    errors: list[str] = []

    def open_page(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        context.on("weberror", lambda error: errors.append(str(error.error)))
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"
