"""The authoring loop: plain `mkdocs serve` on a copy of the project, edited while it runs.

After an edit to the limits file and a calculator the rebuilt site's page text,
pre-rendered results, form defaults and calculator wheel all show the new figure and
code; after a bad figure the
server shows the one-line error and serves nothing of the old site.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path

from calculators import default_inputs, dollars, run
from calculators.limits import parse_limits

from .helpers import ROOT, copy_project, output_text, text_of

MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"  # the console script authors type, not python -m
REBUILD_SECONDS = 600  # a changed wheel means new bytecode and a new snapshot, built in Node


def get(url: str) -> tuple[int, str | bytes]:
    try:
        with urllib.request.urlopen(url, timeout=REBUILD_SECONDS) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    try:
        return status, body.decode("utf-8")
    except UnicodeDecodeError:
        return status, body


@contextmanager
def mkdocs_serve(project: Path, log: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=out, stderr=subprocess.STDOUT,
            env=os.environ | {"NO_MKDOCS_2_WARNING": "1", "MBR_CACHE_DIR": str(ROOT / ".cache")},
        )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(check, what: str, log: Path):
    deadline = time.monotonic() + REBUILD_SECONDS
    while time.monotonic() < deadline:
        try:
            found = check()
        except (urllib.error.URLError, ConnectionError):
            found = None
        if found:
            return found
        time.sleep(1)
    raise AssertionError(f"mkdocs serve: {what} did not happen; its log:\n{log.read_text()}")


def runtime_files(page: str) -> dict[str, str]:
    """The calculator script's data-wheel, data-bytecode and data-snapshot addresses."""
    tag = re.search(r"<script[^>]*data-wheel=[^>]*>", page).group(0)
    return {k: unescape(v) for k, v in re.findall(r'data-(wheel|bytecode|snapshot)="([^"]*)"', tag)}


def form_value(page: str, calculator: str, field: str) -> str:
    match = re.search(rf'<input id="{calculator}-{field}"[^>]*value="([^"]*)"', page)
    assert match, f"no input {field} in {calculator}'s form"
    return unescape(match.group(1))


def test_mkdocs_serve_rebuilds_everything_from_the_edited_limits_file_and_shows_a_bad_one(
        tmp_path):
    project = copy_project(tmp_path)
    limits_file = project / "calculators" / "limits.toml"
    original = limits_file.read_text()
    site_year = int(re.search(r"^\s*tax_year: (\d+)", (project / "mkdocs.yml").read_text(),
                              re.M).group(1))
    block = original.index(f"[years.{site_year}]")
    deferral = re.compile(r"^elective_deferral_limit = (\d+)$", re.M)
    old_limit = int(deferral.search(original, block).group(1))
    new_limit = old_limit + 1234  # an odd figure that appears nowhere else
    log = tmp_path / "serve.log"

    with mkdocs_serve(project, log) as url:
        first = wait_for(lambda: get(url + "how-to.html")[0] == 200 and get(url + "how-to.html")[1],
                         "the first build", log)
        old_files = runtime_files(first)

        limits_file.write_text(original[:block] + deferral.sub(
            f"elective_deferral_limit = {new_limit}", original[block:], 1))
        # And a calculator's code, in the same edit: the build must not keep the old module.
        module = project / "calculators" / "after_tax_space.py"
        module.write_text(module.read_text().replace('"After-tax room"', '"Room for after-tax"'))
        new_limits = parse_limits(limits_file.read_text())
        defaults = default_inputs("after-tax-space", site_year, new_limits)
        # The form's example defers the year's whole limit: its default follows the file.
        assert defaults["elective_deferrals"] == new_limit

        page = wait_for(
            lambda: (p := get(url + "how-to.html")[1]) and form_value(
                p, "after-tax-space", "elective_deferrals") == str(new_limit) and p,
            "the rebuild after the edit", log)

        # Page text: the home page states the new limit.
        home = text_of(get(url + "index.html")[1])
        assert dollars(new_limit) in home and dollars(old_limit) not in home
        # Pre-rendered result: 415(c) - new 402(g) limit - 6,000 employer money.
        expected = run("after-tax-space", defaults, new_limits)
        assert expected["after_tax_room"] == (
            new_limits.for_year(site_year).annual_additions_limit - new_limit - 6000)
        assert output_text(page, "after_tax_room") == dollars(expected["after_tax_room"])
        assert "<dt>Room for after-tax</dt>" in page and "<dt>After-tax room</dt>" not in page
        # The live calculator: the wheel the page names carries the edited file, and the
        # bytecode and snapshot beside it were made from that wheel (same folder key).
        files = runtime_files(page)
        assert files != old_files
        assert len({Path(f).parent for f in files.values()}) == 1
        status, wheel = get(url + files["wheel"])
        assert status == 200
        with zipfile.ZipFile(io.BytesIO(wheel)) as packed:
            assert packed.read("calculators/limits.toml").decode() == limits_file.read_text()
            assert packed.read("calculators/after_tax_space.py").decode() == module.read_text()
        for name in ("bytecode", "snapshot"):
            assert get(url + files[name])[0] == 200

        # A bad figure: the build fails, and every address answers with its one line.
        limits_file.write_text(limits_file.read_text().replace(
            f"elective_deferral_limit = {new_limit}", "elective_deferral_limit = -5"))
        says = f"year {site_year}: field 'elective_deferral_limit': must be a positive amount"
        status, error_page = wait_for(
            lambda: (r := get(url + "how-to.html"))[0] == 404 and r, "the failed rebuild", log)
        assert says in unescape(error_page)
        assert 'data-output="after_tax_room"' not in error_page
        assert dollars(new_limit) not in text_of(get(url + "index.html")[1])
        assert get(url + files["wheel"])[0] == 404
        assert says in log.read_text() and "Traceback" not in log.read_text()
