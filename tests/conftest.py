"""Shared fixtures: the real limits file, a built site, a local server and Chromium.

Plain helpers (paths, settings, building and serving, reading a calculator in a page) are
in tests/helpers.py. Browser and Pyodide tests never skip: when Chromium, Node or the
Pyodide package is missing they fail with a message saying what to install (make test
installs them).
"""

from __future__ import annotations

import fcntl
import math
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import ClassVar

import pytest
from _pytest.nodeid import NodeId

from calculators import load_limits
from serve import SiteHandler

from . import engines
from .helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SITE,
    SITE_YEAR,
    NotInstalled,
    build_site,
    free_port,
    page_of,
    require,
    serve_site,
)

# Fixtures that drive a browser: a test that takes one, directly or through another
# fixture, is marked `browser` (and only such a test), so that `-m "not browser"` runs the
# rest: the quick loop, make check.
BROWSER_FIXTURES = {"browser", "new_page", "warm_page", "running_engines", "engine", "open_page",
                    "live_pages", "live", "chromium_live"}


# Tests run in two processes (pytest-xdist, --dist loadgroup). Those of one engine go to one
# process, which starts that engine once and keeps its live pages; Chromium's shared
# context and live pages (warm_page, chromium_live) go with Chromium. The tests of a
# module-scoped build go together too, so that one process builds it.
CHROMIUM_SHARED = {"warm_page", "chromium_live"}
MODULE_BUILDS = {"meta_csp_site", "own_copy"}
# Handed out first, the longest first (WebKit: half the work of the other process), then the other groups,
# then the single tests (pyproject.toml: --no-loadscope-reorder keeps this order).
FIRST_GROUPS = ("webkit", "firefox", "chromium")


@pytest.hookimpl(wrapper=True)  # marks before xdist's hook reads them into the tests' ids
def pytest_collection_modifyitems(items):
    groups = {}
    for item in items:
        used = set(item.fixturenames)
        if BROWSER_FIXTURES & used:
            item.add_marker(pytest.mark.browser)
        params = getattr(item, "callspec", None)
        engine = params.params.get("engine") if params else None
        if engine or CHROMIUM_SHARED & used:
            groups[id(item)] = engine or "chromium"
        elif MODULE_BUILDS & used:
            groups[id(item)] = item.path.stem
        if id(item) in groups:
            item.add_marker(pytest.mark.xdist_group(groups[id(item)]))
    yield
    for item in items:
        # pytest-xdist 3.8 writes the group into item._nodeid, which pytest 9.2 no longer
        # reads (pytest-xdist issue 1386): into the id, as xdist means to, until it does.
        if "_nodeid" in vars(item):
            item._id = NodeId.parse(vars(item).pop("_nodeid"))
    rank = {group: n for n, group in enumerate(FIRST_GROUPS)}
    items.sort(key=lambda item: rank.get(groups.get(id(item)), len(rank) + (id(item) not in groups)))


@pytest.fixture(scope="session")
def limits():
    return load_limits()


@pytest.fixture(scope="session")
def site_limits(limits):
    """The limits of the site's default year (mkdocs.yml extra.tax_year)."""
    return limits.for_year(SITE_YEAR)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id) -> Path:
    if os.environ.get("MBR_TEST_SITE"):  # the project's site, built already (test_own_copy)
        return Path(os.environ["MBR_TEST_SITE"])
    # One build for both test processes, in the temporary folder they share: the first to
    # take the lock builds, the other finds the site built (tests only read it).
    shared = tmp_path_factory.getbasetemp()
    shared = shared.parent if worker_id != "master" else shared
    site, built = shared / "site", shared / "site.built"
    lock = ROOT / ".cache" / "build.lock"
    lock.parent.mkdir(exist_ok=True)
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if not built.is_file():
            done = build_site(ROOT, site)
            assert done.returncode == 0, f"mkdocs build failed:\n{done.stderr}"
            built.touch()
    return site


@pytest.fixture(scope="session")
def bundle_archive(built_site, tmp_path_factory) -> Path:
    """The offline copy of the built site as make bundle writes it, with its defaults: the zip."""
    from macros.hooks.bundle import write_bundle

    archive = write_bundle(built_site, tmp_path_factory.mktemp("dist"))
    assert re.fullmatch(rf"{re.escape(SITE['extra']['bundle_name'])}-\d+\.\d+\.\d+\.zip",
                        archive.name)
    return archive


def unzipped(archive: Path) -> Path:
    # Unzipped where readers put it: a folder name with a space and a letter outside ASCII,
    # which file:// addresses carry percent-encoded.
    out = archive.parent / "Client files é"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(out)
    (folder,) = out.iterdir()
    assert (folder / "README.txt").is_file()
    return folder


@pytest.fixture(scope="session")
def unzipped_bundle(bundle_archive) -> Path:
    """The offline copy made for mail (make bundle's zip) of the built site, unzipped: its
    folder."""
    return unzipped(bundle_archive)


@pytest.fixture(scope="session")
def snapshot_bundle(built_site, tmp_path_factory) -> Path:
    """The larger offline copy, with the memory snapshot and its launcher (make bundle
    BUNDLE_SNAPSHOT=yes BUNDLE_LAUNCHER=yes), unzipped: its folder. Its size is the
    benchmark's to report: no budget here."""
    from macros.hooks.bundle import write_bundle

    folder = unzipped(write_bundle(built_site, tmp_path_factory.mktemp("dist"), snapshot=True,
                                   budget_mb=math.inf, launcher=True))
    assert (folder / "serve.py").is_file()
    return folder


@pytest.fixture(scope="session")
def launcher(snapshot_bundle):
    """The unzipped offline copy with its launcher, served by it (serve.py in it, as a
    reader runs it): its address, ending in /."""
    port = free_port()
    # Started from another folder: the launcher serves its own folder.
    process = subprocess.Popen([sys.executable, str(snapshot_bundle / "serve.py"), "--port", str(port)],
                               cwd=snapshot_bundle.parent, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


class RecordingHandler(SiteHandler):
    """serve.py's handler, keeping every request line the server receives."""

    lines: ClassVar[list[str]] = []

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        RecordingHandler.lines.append(self.requestline)
        return parsed


@pytest.fixture(scope="session")
def site_url(built_site):
    with serve_site(built_site, RecordingHandler) as url:
        yield url


@pytest.fixture
def site_requests(site_url):
    """site_requests(): the request lines site_url's server has received during the test."""
    first = len(RecordingHandler.lines)
    return lambda: RecordingHandler.lines[first:]


@pytest.fixture(scope="session")
def browser():
    try:
        require(CHROMIUM, "Chromium")
    except NotInstalled as missing:
        pytest.fail(str(missing), pytrace=False)
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


# --- The three engines (tests/engines.py) -----------------------------------------------------

@pytest.fixture(scope="session")
def running_engines(browser):
    """Each engine, started once for the session when first needed, by name."""
    running: dict[str, engines.Engine] = {}

    def started(name: str) -> engines.Engine:
        if name not in running:
            try:
                running[name] = engines.start(name, browser)
            except NotInstalled as missing:
                pytest.fail(str(missing), pytrace=False)
        return running[name]

    yield started
    for engine in running.values():
        engine.close()


@pytest.fixture(scope="module", params=engines.ENGINES)
def engine(request, running_engines) -> engines.Engine:
    """Each engine in turn: a test that takes it runs in Chromium, Firefox ESR and WebKitGTK."""
    return running_engines(request.param)


@pytest.fixture
def open_page(engine):
    """Opens pages in the engine (engines.Engine.new_page); the test fails if any of them had
    an uncaught JavaScript error."""
    pages: list[engines.Page] = []

    def open_one(**options) -> engines.Page:
        page = engine.new_page(**options)
        pages.append(page)
        return page

    yield open_one
    errors = [error for page in pages for error in page.errors()]
    for page in pages:
        page.close()
    assert not errors, f"JavaScript errors in {engine.name}: {errors}"


# --- Live calculators, shared -----------------------------------------------------------------
# Most browser tests need a calculator that answers, not a Python that starts: they share
# one live page per engine, page and size, kept for the session, and get it back with the
# calculator reset to its example. Only the tests about starting start Python themselves.

CURRENT_JS = "(name) => document.querySelector(`#calculator-${name}`).dataset.results === 'current'"
RESET_JS = """(name) => {
  const block = document.querySelector(`#calculator-${name}`);
  block.scrollIntoView();
  const form = block.querySelector('form');
  form.reset();
  form.dispatchEvent(new Event('change'));
}"""


@pytest.fixture(scope="session")
def live_pages(running_engines, site_url, built_site):
    """live_pages(engine name, calculator, width, height): the engine's page of that
    calculator on the served site, live, with the calculator at its example values."""
    pages: dict[tuple, engines.Page] = {}

    def live(engine_name: str, name: str, width: int = 1280, height: int = 900) -> engines.Page:
        page_name = page_of(built_site, name)
        key = (engine_name, page_name, width, height)
        if key not in pages:
            pages[key] = running_engines(engine_name).new_page(width=width, height=height)
            pages[key].goto(site_url + page_name)
        page = pages[key]
        page.evaluate(RESET_JS, name)  # starts Python if need be; out of date from here on
        page.wait_for(CURRENT_JS, name, what=f"the {name} calculator at its example values")
        return page

    yield live
    for page in pages.values():
        page.close()


@pytest.fixture
def live(engine, live_pages):
    """live(calculator, width, height) in this test's engine; the test fails on a JavaScript
    error in the page while it ran."""
    used: list[tuple[engines.Page, int]] = []

    def get(name: str = "after-tax-space", width: int = 1280, height: int = 900) -> engines.Page:
        page = live_pages(engine.name, name, width, height)
        used.append((page, len(page.errors())))
        return page

    yield get
    errors = [error for page, before in used for error in page.errors()[before:]]
    assert not errors, f"JavaScript errors in {engine.name}: {errors}"


@pytest.fixture
def chromium_live(live_pages):
    """live(calculator) in Chromium, as a Playwright page, for tests that need Playwright's
    own calls; the test fails on a JavaScript error in the page while it ran."""
    used: list[tuple[engines.Page, int]] = []

    def get(name: str = "after-tax-space", width: int = 1280, height: int = 900):
        page = live_pages("chromium", name, width, height)
        used.append((page, len(page.errors())))
        return page.page

    yield get
    errors = [error for page, before in used for error in page.errors()[before:]]
    assert not errors, f"JavaScript errors in Chromium: {errors}"


@pytest.fixture
def warm_page(running_engines):
    """Opens Playwright pages in Chromium's shared context, where Python starts from the
    snapshot as on a reader's later visit; the test fails on a JavaScript error in them."""
    pages: list[engines.Page] = []

    def open_page(width: int = 1280, height: int = 900):
        pages.append(running_engines("chromium").new_page(width=width, height=height))
        return pages[-1].page

    yield open_page
    errors = [error for page in pages for error in page.errors()]
    for page in pages:
        page.close()
    assert not errors, f"JavaScript errors: {errors}"
