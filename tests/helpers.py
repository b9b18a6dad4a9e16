"""What the tests and the benchmarks share: where things are, the project's settings, how to
build, copy and serve the site, and how to read a calculator in a page. Fixtures live in
conftest.py; this module holds plain functions and names, so benches import it too.

Site tests expect what the project's settings say: the default tax year, the publisher
and the bundle's name come from mkdocs.yml (SITE_YEAR, SITE), figures from the limits
file, so a firm's copy with its own name and years passes them unchanged.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import tomllib
import zipfile
from collections.abc import Iterator, Mapping
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import yaml

from calculators import CALCULATORS, default_inputs, display_rows, dollars, load_limits, run
from macros.contract import MARKS
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

PAGE = "how-to.html"  # the page with the after-tax space and paycheck calculators


class NotInstalled(RuntimeError):
    """A program the tests drive is missing: the message says what to install. Tests fail
    with it, never skip."""


def require(path: str, what: str) -> None:
    if not shutil.which(path) and not Path(path).exists():
        raise NotInstalled(f"{what} not found at {path!r}: run `make test`, which installs it")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- The project, built and served ---------------------------------------------------------

def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, by file name."""
    return sorted(p.name for p in site.glob("*.html"))


# Not part of a copy: tools' folders, build results and the shared Node packages (linked).
NOT_COPIED = (".git", ".venv*", ".cache", "node_modules", "site", "dist", "__pycache__",
              ".pytest_cache", ".ruff_cache")


def copy_project(tmp_path: Path, source: Path = ROOT) -> Path:
    """A copy of the project (pages, calculators, tests, settings) in tmp_path/project."""
    project = tmp_path / "project"
    shutil.copytree(source, project, ignore=shutil.ignore_patterns(*NOT_COPIED))
    (project / "node_modules").symlink_to((ROOT / "node_modules").resolve())
    return project


# The site generator, as the Makefile's GENERATOR sets it (make test GENERATOR=…): one
# setting for both. mkdocs by default; properdocs and zensical as the Makefile says.
GENERATORS = ("mkdocs", "properdocs", "zensical")
GENERATOR = os.environ.get("GENERATOR") or "mkdocs"
if GENERATOR not in GENERATORS:
    raise RuntimeError(f"GENERATOR={GENERATOR!r}: use one of {', '.join(GENERATORS)}")


def build_site(
    project: Path, site_dir: Path, env: dict[str, str] | None = None, generator: str = GENERATOR
) -> subprocess.CompletedProcess[str]:
    """A strict build of a project folder into site_dir, as make build runs it, by the
    generator (GENERATOR by default); env: extra variables."""
    # Copies of the project share the main checkout's cache of slow build results (and
    # tests run inside a copy, the cache of the checkout that made it).
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1",
                        "MBR_CACHE_DIR": os.environ.get("MBR_CACHE_DIR", str(ROOT / ".cache"))} \
        | (env or {})
    if generator != "zensical":
        return subprocess.run(
            [sys.executable, "-m", generator, "build", "--strict", "--site-dir", str(site_dir)],
            cwd=project, capture_output=True, text=True, env=env, check=False)
    # Zensical builds only into a folder of the project and keeps its own cache in the
    # project's .cache: it builds a copy of the project, beside site_dir, then the build's
    # step runs on its site (make build GENERATOR=zensical, the same two commands).
    copy = copy_project(Path(tempfile.mkdtemp(prefix="zensical-", dir=site_dir.parent)), project)
    zensical = Path(sys.executable).with_name("zensical")
    done = subprocess.run([str(zensical), "build", "--strict"], cwd=copy, capture_output=True,
                          text=True, env=env | {"PYTHONPATH": str(copy)}, check=False)
    if done.returncode == 0:
        if site_dir.is_dir() and not any(site_dir.iterdir()):
            site_dir.rmdir()  # made for the build (tmp_path_factory.mktemp)
        shutil.move(copy / "site", site_dir)
        finish = subprocess.run([sys.executable, "-m", "macros.hooks.finish", str(site_dir)],
                                cwd=copy, capture_output=True, text=True, env=env, check=False)
        done = subprocess.CompletedProcess(done.args + finish.args, finish.returncode,
                                           done.stdout + finish.stdout, done.stderr + finish.stderr)
    shutil.rmtree(copy.parent)
    return done


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


def snapshot_file(site: Path) -> Path:
    (path,) = site.glob("assets/python/*/python-memory.snapshot")
    return path


def runtime_file(site: Path, name: str) -> str:
    """A runtime file's path in the site, e.g. runtime_file(site, "pyodide.asm.wasm")."""
    return next(site.glob(f"assets/pyodide/*/{name}")).relative_to(site).as_posix()


def without_module(stdlib: Path, module: str) -> None:
    """Rewrites the site's stdlib zip without one module (its entries stay stored)."""
    with zipfile.ZipFile(stdlib) as zf:
        kept = {name: zf.read(name) for name in zf.namelist()
                if name.split("/")[0].removesuffix(".pyc") != module}
    assert len(kept) < len(zf.namelist())
    with zipfile.ZipFile(stdlib, "w", zipfile.ZIP_STORED) as zf:
        for name, data in kept.items():
            zf.writestr(name, data)
    for copy in stdlib.parent.glob(stdlib.name + ".*"):
        copy.unlink()  # serve the rewritten zip itself


def link(name: str, values: Mapping[str, object] | None = None) -> str:
    """A link into a calculator, after its page's address: #calculator-NAME?field=value&...
    The values follow the "#", so no request carries them (README, "Links")."""
    query = urlencode(values or {})
    return f"#calculator-{name}" + (f"?{query}" if query else "")


def old_link(name: str, values: Mapping[str, object]) -> str:
    """The same, as the site made links before the values moved after the "#"."""
    return "?" + urlencode({"calculator": name, **values}) + f"#calculator-{name}"


def page_of(site: Path, name: str) -> str:
    """The one page of a built site that holds the named calculator."""
    pages = [p.name for p in sorted(site.glob("*.html"))
             if f'data-calculator="{name}"' in p.read_text(encoding="utf-8")]
    assert len(pages) == 1, f"{name} is on {pages}; expected exactly one page"
    return pages[0]


# --- A tax year added by `python -m calculators add-year`, filled in for a test -------------

def fill_test_year(limits_toml_path: Path, year: int):
    """Replaces every TO ENTER text of `year` (as `python -m calculators add-year` wrote it)
    with test-only figures: the year before's, each plus 1,000, its sources saying
    "test-only". Not an IRS notice: never for a real year. Returns the year's figures as
    the validator reads them (a YearLimits); the file must otherwise be valid."""
    path = Path(limits_toml_path)
    text = path.read_text(encoding="utf-8")
    before = tomllib.loads(text)["years"][str(year - 1)]

    def plus(value):  # false (not in effect the year before) counts as 0
        return [plus(v) for v in value] if isinstance(value, list) else int(value) + 1000

    test_only = {
        "source": f"Test-only figures for {year} (no IRS notice)",
        "source_url": f"https://www.irs.gov/test-only-{year}",
        "social_security_source": f"Test-only wage base for {year} (no SSA announcement)",
        "social_security_source_url": f"https://www.ssa.gov/test-only-{year}",
    }
    lines, table = [], None
    for line in text.splitlines(keepends=True):
        header = re.fullmatch(r"\[years\.(\d+)(\.roth_ira_phase_out)?\]\s*", line)
        if header:
            table = (header.group(2) or "") if int(header.group(1)) == year else None
        elif line.startswith("["):
            table = None
        elif table is not None and (match := re.match(r'(\w+) = "TO ENTER[^"]*"', line)):
            key = match.group(1)
            if table:
                value = json.dumps(plus(before["roth_ira_phase_out"][key]))
            elif key in test_only:
                value = json.dumps(test_only[key])
            else:
                value = str(plus(before[key]))
            line = f"{key} = {value}\n"
        lines.append(line)
    path.write_text("".join(lines), encoding="utf-8")
    return load_limits(path).for_year(year)


# --- Reading built HTML ----------------------------------------------------------------------

def text_of(html: str) -> str:
    """Visible text, roughly: tags removed, entities decoded, spaces folded."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def output_text(html: str, name: str) -> str:
    match = re.search(rf'<dd data-output="{name}">([^<]*)</dd>', html)
    assert match, f"no output {name}"
    return unescape(match.group(1))


# --- What a calculator should show (from the calculators package, never from the page) -----

def answer(changes: dict, output_name: str = "after_tax_room",
           name: str = "after-tax-space") -> str:
    """What the page should show after the changes to the site year's example inputs."""
    return dollars(run(name, default_inputs(name, SITE_YEAR) | changes)[output_name])


def expected_change(name: str):
    """The calculator's own example change (field, value), the rows CPython displays then
    in the site year, and their headline row (which the change must move, so that a stale
    page cannot pass)."""
    calculator = CALCULATORS[name]
    field, value = calculator.example
    inputs = default_inputs(name, SITE_YEAR)
    expected_rows = display_rows(calculator, run(name, inputs | {field: value}))
    headline = next(r for r in expected_rows if r["kind"] == "value" and r["headline"])
    before = display_rows(calculator, run(name, inputs))
    before_headline = next(r for r in before if r["kind"] == "value" and r["headline"])
    assert headline["text"] != before_headline["text"], "the change must move the answer"
    return field, value, expected_rows, headline


# --- A calculator in a page: conditions in JavaScript, for every engine -----------------------
# Null-safe: during a navigation the old page, without this calculator, may answer.

READY_JS = ("(name) => document.querySelector(`#calculator-${name} [data-status]`)"
            "?.textContent.startsWith('Ready')")
OUTPUT_JS = ("([calculator, name, text]) => document.querySelector("
             "`#calculator-${calculator} [data-output=\"${name}\"]`)?.textContent === text")
MARKED_JS = "(name) => performance.getEntriesByName(name).length > 0"
MARK_TIME_JS = "(name) => performance.getEntriesByName(name)[0].startTime"
FIRST_RESULT = MARKS["firstResult"]
FROM_SNAPSHOT = MARKS["fromSnapshot"]
DOWNLOADED = MARKS["snapshotDownloaded"]
PYTHON_ASKED = MARKS["pythonAsked"]

# In Playwright's Chromium: Python's start with a fresh cache takes seconds on this machine.
READY_TIMEOUT_MS = 60_000


def status(page, calculator: str = "after-tax-space") -> str:
    return page.inner_text(f"#calculator-{calculator} [data-status]")


def output(page, name: str, calculator: str = "after-tax-space") -> str:
    return page.inner_text(f'#calculator-{calculator} [data-output="{name}"]')


def wait_ready(page, name: str = "after-tax-space") -> None:
    """Until the named calculator on the page has its first live result, scrolled into view
    first as a reader would: Python starts when a reader comes near a calculator."""
    page.locator(f"#calculator-{name}").scroll_into_view_if_needed(timeout=READY_TIMEOUT_MS)
    page.wait_for_function(READY_JS, arg=name, timeout=READY_TIMEOUT_MS)


def wait_all_ready(page) -> None:
    """Until every calculator on the page has its first live result."""
    for block in page.query_selector_all(".calculator[data-calculator]"):
        wait_ready(page, block.get_attribute("data-calculator"))


def wait_output(page, name: str, text: str, calculator: str = "after-tax-space") -> None:
    """Until the calculator's output shows the text (null-safe, as wait_ready)."""
    page.wait_for_function(OUTPUT_JS, arg=[calculator, name, text], timeout=10_000)


def marked(page, name: str) -> bool:
    return page.evaluate(MARKED_JS, name)


def wait_marked(page, name: str) -> None:
    page.wait_for_function(MARKED_JS, arg=name, timeout=READY_TIMEOUT_MS)


def pdf_pages_text(pdf: bytes, folder: Path) -> list[str]:
    """The text of each page of a PDF, by poppler's pdftotext (pages split by form feeds)."""
    require("pdftotext", "pdftotext (Debian package poppler-utils)")
    (folder / "handout.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(folder / "handout.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]  # each page ends in a form feed


def first_visit_then_cached(page, url: str) -> None:
    """A first visit: Python starts afresh, then the snapshot downloads in the background."""
    page.goto(url)
    wait_ready(page)
    assert not marked(page, FROM_SNAPSHOT)
    wait_marked(page, DOWNLOADED)


# --- A server that misbehaves as networks do -----------------------------------------------

SAMPLER_PATH = "/__sampler.js"
# Injected first in the head of every page by ScriptedServer(sample=True): from the page's
# start, every 50 ms, what the after-tax space calculator shows beside which values, as the
# tests of "a figure belongs to the inputs beside it" check them (test_results_match_inputs).
SAMPLER_JS = """(() => {
  window.__samples = [];
  const visible = (node) => Boolean(node) && node.checkVisibility();
  const read = () => {
    const block = document.querySelector('#calculator-after-tax-space');
    const form = block && block.querySelector('form');
    if (!form) return;
    const outputs = {};
    block.querySelectorAll('[data-output]').forEach((dd) => {
      if (visible(dd) && dd.textContent.trim()) outputs[dd.dataset.output] = dd.textContent;
    });
    const summary = block.querySelector('[data-summary] strong');
    window.__samples.push({
      t: performance.timeOrigin + performance.now(),
      complete: Boolean(block.querySelector('[data-print-date]')),
      state: block.dataset.results || 'example',
      values: Object.fromEntries(new FormData(form).entries()),
      outputs,
      summary: visible(summary) ? summary.textContent : null,
      warnings: [...block.querySelectorAll('[data-warnings] li')].filter(visible).map((li) => li.textContent),
      status: block.querySelector('[data-status]')?.textContent || '',
    });
  };
  window.__sampleNow = read;
  window.__stopSampling = () => clearInterval(timer);
  const timer = setInterval(read, 50);
})();
"""


def with_sampler(html: str, src: str) -> str:
    """The page with a script tag for SAMPLER_JS (served at src) first in its head."""
    return html.replace("<head>", f'<head><script src="{src}"></script>', 1)


class ScriptedServer:
    """serve.py's handler on a port of its own (a new origin: nothing cached from other
    tests), that records when each file is asked for and can:
    - hold: hold back the files whose path ends with a key until the event is set;
    - faults: fail the files whose path ends with a key, as a network or host does:
      "404"; "drop" (the connection closed, no answer); "reset" (a TCP reset, no answer);
      "truncate" (half the body, then the connection closed); "stall" (half the body, then
      nothing until the test ends); "refuse" (served as text/plain, which a module worker
      must not run);
    - sample: put SAMPLER_JS first in every page's head.
    `failed_at` records when (ms since the epoch) each fault was dealt."""

    def __init__(self, site: Path, faults: dict[str, str] | None = None,
                 holds: dict[str, threading.Event] | None = None, sample: bool = False):
        import functools
        import time

        from serve import SiteHandler

        self.requests: list[tuple[float, str]] = []
        self.failed_at: dict[str, float] = {}
        self.done = threading.Event()
        server = self
        faults, holds = faults or {}, holds or {}

        class Handler(SiteHandler):
            def do_GET(self):
                path = self.path.split("?")[0]
                server.requests.append((time.time() * 1000, path))
                if sample and path == SAMPLER_PATH:
                    self._send(200, "text/javascript", SAMPLER_JS.encode())
                    return
                for suffix, event in holds.items():
                    if path.endswith(suffix):
                        event.wait(120)
                fault = next((mode for suffix, mode in faults.items() if path.endswith(suffix)), None)
                if fault:
                    self._fail(fault, path)
                elif sample and path.endswith((".html", "/")):
                    file = Path(self.translate_path(path))
                    html = file.read_text(encoding="utf-8") if file.is_file() else ""
                    if not html:
                        super().do_GET()
                        return
                    html = with_sampler(html, SAMPLER_PATH)
                    self._send(200, "text/html", html.encode())
                else:
                    super().do_GET()

            def finish(self):
                with contextlib.suppress(OSError, ValueError):  # a connection it closed
                    super().finish()

            def _send(self, status: int, kind: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _fail(self, fault: str, path: str) -> None:
                server.failed_at[path] = time.time() * 1000
                if fault == "404":
                    self.send_error(404)
                    return
                if fault in ("drop", "reset"):
                    if fault == "reset":  # closing with a zero linger sends RST
                        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                                   struct.pack("ii", 1, 0))
                    self.close_connection = True
                    self.connection.close()
                    return
                body = Path(self.translate_path(path)).read_bytes()
                if fault == "refuse":
                    self._send(200, "text/plain", body)
                    return
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(path))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                server.failed_at[path] = time.time() * 1000  # the last byte sent
                if fault == "stall":
                    server.done.wait(120)
                self.close_connection = True

        self.server = make_server(site, 0, quiet=True)
        self.server.RequestHandlerClass = functools.partial(Handler, directory=str(site))
        self.server.daemon_threads = True
        self.holds = holds
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.done.set()
        for event in self.holds.values():
            event.set()
        self.server.shutdown()
        self.server.server_close()
