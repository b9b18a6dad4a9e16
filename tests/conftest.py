"""Shared fixtures: the real limits file, a built site, a local server and Chromium.

Browser and Pyodide tests never skip: when Chromium, Node or the Pyodide package is
missing they fail with a message saying what to install (make test installs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from calculators import load_limits

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


@pytest.fixture(scope="session")
def limits():
    return load_limits()


def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, by file name."""
    return sorted(p.name for p in site.glob("*.html"))


def build_site(
    project: Path, site_dir: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of a project folder, as make serve runs it (env: extra variables)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        capture_output=True,
        text=True,
        # Copies of the project share the main checkout's cache of slow build results.
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1", "MBR_CACHE_DIR": str(ROOT / ".cache")}
        | (env or {}),
        check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site")
    done = build_site(ROOT, site)
    assert done.returncode == 0, f"mkdocs build failed:\n{done.stderr}"
    return site


@pytest.fixture(scope="session")
def site_url(built_site):
    sys.path.insert(0, str(ROOT))
    from serve import make_server

    server = make_server(built_site, 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


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
