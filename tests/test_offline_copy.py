"""The offline copy (macros/hooks/offline.py, bundle.py) and its launcher (serve.py).

- The build checks the Pyodide internals the disk path relies on and stops, naming what
  changed, instead of shipping a copy that fails in the reader's browser.
- The copy holds each runtime file once, in the scripts pages from disk load, within its
  size budget; the launcher serves those files from the scripts as the site has them.
The copy itself runs in three engines, from disk and through its launcher, in
tests/test_engines.py.
"""

from __future__ import annotations

import gzip
import io
import re
import shutil
import subprocess
import urllib.error
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from macros.hooks import offline
from macros.hooks.bundle import main as bundle_main
from macros.hooks.bundle import write_bundle
from macros.hooks.offline import OfflineError, check_loader, classic_asm, offline_files
from macros.hooks.settings import BUNDLE_BUDGET_MB
from serve import CONTENT_TYPES, OFFLINE_MANIFEST, MissingPart, OfflineParts, script_content

from .helpers import SITE, serve_site

ASM = (offline.PYODIDE_DIR / "pyodide.asm.mjs").read_text(encoding="utf-8")
LOADER = (offline.PYODIDE_DIR / "pyodide.js").read_text(encoding="utf-8")
# Node: the rewritten module, evaluated as a classic script, is a function of its URL that
# returns createPyodideModule, with no module syntax left.
EVALUATE_ASM = """
const text = require("fs").readFileSync(process.argv[1], "utf8");
const made = (0, eval)(text);
const create = made("file:///copy/assets/pyodide/x/pyodide.asm.mjs");
console.log(typeof made, typeof create, create.name);
"""


def test_the_pinned_pyodide_module_becomes_a_classic_function_of_its_url(tmp_path):
    rewritten = classic_asm(ASM)
    assert "import.meta" not in rewritten and "export default" not in rewritten
    path = tmp_path / "asm.js"
    path.write_text(rewritten)
    done = subprocess.run(["node", "-e", EVALUATE_ASM, str(path)], capture_output=True,
                          text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["function", "function", "_createPyodideModule"]


@pytest.mark.parametrize("count", [2, 4])
def test_a_module_with_another_count_of_its_url_token_is_refused_naming_the_count(count):
    if count == 2:
        text = ASM.replace("import.meta.url", "self.location.href", 1)
    else:
        text = "const here = import.meta.url;" + ASM
    with pytest.raises(OfflineError, match=rf"pyodide.asm.mjs has {count} `import.meta.url`, not 3"):
        classic_asm(text)


def test_a_module_that_does_not_end_in_its_one_default_export_is_refused():
    text = ASM.replace("export default _createPyodideModule;", "export { _createPyodideModule };")
    with pytest.raises(OfflineError, match="does not end with its one `export default"):
        classic_asm(text)


def test_module_syntax_left_after_the_rewrite_is_refused():
    text = "import x from './other.mjs';\n" + ASM
    with pytest.raises(OfflineError, match="still has `import` after the rewrite"):
        classic_asm(text)


def test_the_pinned_pyodide_loader_has_every_piece_the_offline_worker_relies_on():
    check_loader(LOADER)


@pytest.mark.parametrize("piece", list(offline.LOADER_SHAPES))
def test_a_loader_without_a_piece_the_worker_relies_on_is_refused_naming_it(piece):
    with pytest.raises(OfflineError, match=re.escape(f"pyodide.js has no `{piece}`")):
        check_loader(LOADER.replace(piece, "changed"))


def test_a_worker_answering_other_file_names_than_the_loader_asks_for_would_be_caught():
    """The names the copy answers from memory are the ones the loader check requires."""
    for name in offline.RUNTIME_FILES:
        assert any(name in piece for piece in offline.LOADER_SHAPES), name


def test_the_bundle_stops_with_a_clear_message_when_pyodide_changed(built_site, tmp_path, monkeypatch):
    changed = tmp_path / "pyodide"
    changed.mkdir()
    for name in ("pyodide.mjs", "pyodide.js"):
        (changed / name).write_bytes((offline.PYODIDE_DIR / name).read_bytes())
    (changed / "pyodide.js").write_text(LOADER.replace("globalThis.loadPyodide=", "self.load="))
    monkeypatch.setattr(offline, "PYODIDE_DIR", changed)
    with pytest.raises(SystemExit, match=r"^error: offline copy: pyodide.js has no `globalThis.loadPyodide=`"):
        write_bundle(built_site, tmp_path / "dist")
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())


def test_the_bundle_refuses_a_site_built_with_another_pyodide(built_site, tmp_path, monkeypatch):
    other = tmp_path / "pyodide"
    other.mkdir()
    (other / "pyodide.mjs").write_text("// another version\n")
    monkeypatch.setattr(offline, "PYODIDE_DIR", other)
    with pytest.raises(OfflineError, match="is not node_modules' Pyodide: build the site again"):
        offline_files(built_site)


def test_the_bundle_carries_every_part_its_manifest_lists_and_a_readme_saying_disk_works(bundle_archive):
    with zipfile.ZipFile(bundle_archive) as zf:
        names = set(zf.namelist())
        (folder,) = {name.split("/")[0] for name in names}
        entry = script_content(zf.read(f"{folder}/{OFFLINE_MANIFEST}").decode())
        readme = zf.read(f"{folder}/README.txt").decode()
        held: dict[str, set[int]] = {}
        counts: dict[str, int] = {}
        for part in entry["parts"]:
            info = zf.getinfo(f"{folder}/{part['src']}")
            assert info.file_size == part["bytes"]
            script = zf.read(info).decode()
            assert len(script) <= offline.CHUNK_CHARS + 1000, f"{part['src']} is one long task"
            held_part = script_content(script)
            if held_part["kind"] != "worker":
                held.setdefault(held_part["name"], set()).add(held_part["chunk"])
                counts[held_part["name"]] = held_part["chunks"]
                assert part.get("path") in (None, held_part["name"])
    assert all(held[name] == set(range(counts[name])) for name in held), "a chunk is missing"
    names = {Path(name).name for name in held}
    assert names == {"pyodide.js", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json",
                     "python_stdlib.zip", "calculators-pyc.zip",
                     *(n for n in names if n.endswith(".whl"))}
    assert "double-click index.html" in readme and "work from disk" in readme
    assert "serve.py" not in readme and SITE["site_name"] in readme


# --- One copy of the runtime, within a budget ---------------------------------------------

def manifest_of(folder: Path) -> dict:
    return script_content((folder / OFFLINE_MANIFEST).read_text(encoding="utf-8"))


def held_paths(folder: Path) -> list[str]:
    """The site paths the copy's scripts hold, each once, in the manifest's order."""
    return list(dict.fromkeys(p["path"] for p in manifest_of(folder)["parts"] if "path" in p))


def files_in(folder: Path) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]


def test_the_copy_holds_each_runtime_file_once(built_site, snapshot_bundle):
    names = files_in(snapshot_bundle)
    assert not [n for n in names if n.endswith((".br", ".gz"))], "precompressed copies are in"
    held = held_paths(snapshot_bundle)
    assert not set(held) & set(names), "a file is both a script's and a file of its own"
    assert {Path(p).name for p in held} >= {"pyodide.asm.mjs", "pyodide.asm.wasm",
                                            "python_stdlib.zip", "python-memory.snapshot"}
    # Every runtime file the site has is in the copy, as a file or in the scripts.
    runtime = [p.relative_to(built_site).as_posix() for p in built_site.glob("assets/py*/*/*")
               if p.suffix not in (".br", ".gz")]
    assert runtime and all(p in held or p in names for p in runtime), runtime


def test_the_default_copy_leaves_the_snapshot_out_and_its_readme_says_no_more(unzipped_bundle):
    assert not [n for n in files_in(unzipped_bundle) if "snapshot" in n]
    readme = (unzipped_bundle / "README.txt").read_text()
    assert "starts faster on later visits" not in readme


def test_the_copy_with_its_launcher_carries_it_and_its_readme_says_how_to_run_it(snapshot_bundle):
    readme = (snapshot_bundle / "README.txt").read_text()
    assert (snapshot_bundle / "serve.py").is_file() and "python3 serve.py" in readme
    assert "double-click index.html" in readme and "starts faster on later visits" in readme


def test_the_default_copy_is_within_its_budget(bundle_archive):
    size_mb = bundle_archive.stat().st_size / 1e6
    assert size_mb <= BUNDLE_BUDGET_MB, f"{size_mb:.2f} MB zipped, budget {BUNDLE_BUDGET_MB} MB"


def test_a_copy_over_its_budget_is_refused_and_not_written(built_site, tmp_path):
    with pytest.raises(SystemExit, match=r"^error: the offline copy would be \d+\.\d\d MB zipped, "
                       r"over its budget of 2 MB \(BUNDLE_BUDGET_MB\); not written: leave out the "
                       r"memory snapshot \(BUNDLE_SNAPSHOT=no"):
        write_bundle(built_site, tmp_path, snapshot=True, budget_mb=2)
    assert not list(tmp_path.glob("*.zip"))


@pytest.mark.parametrize(("argument", "message"), [
    ("--budget-mb=abc", "--budget-mb: 'abc' is not allowed; use a size in MB above 0"),
    ("--budget-mb=0", "--budget-mb: '0' is not allowed"),
    ("--budget-mb=-3", "--budget-mb: '-3' is not allowed"),
    ("--budget-mb=nan", "--budget-mb: 'nan' is not allowed"),
    ("--snapshot=maybe", "--snapshot: 'maybe' is not allowed; use no (the default"),
    ("--snapshot=", "--snapshot: '' is not allowed"),
    ("--launcher=maybe", "--launcher: 'maybe' is not allowed; use no (the default: the copy made for mail"),
])
def test_a_bad_bundle_option_is_refused_in_one_line_naming_it(argument, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        bundle_main([str(tmp_path / "site"), str(tmp_path / "dist"), argument])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert "BUNDLE_" in err  # the make bundle variable that passes it


# --- Through mail: no type a mail service refuses, at any depth -----------------------------

BLOCKED_TYPES = Path(__file__).with_name("mail-blocked-types.txt")


def blocked_types() -> dict[str, set[str]]:
    """tests/mail-blocked-types.txt (a copy of ../shared/mail/blocked-types.txt): the file
    types each mail service refuses, by section."""
    sections: dict[str, set[str]] = {}
    for line in BLOCKED_TYPES.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("["):
            section = sections.setdefault(line.strip("[]"), set())
        elif line:
            section.add(line)
    return sections


def types_at_every_depth(archive: zipfile.ZipFile, at: str = "") -> list[tuple[str, str]]:
    """(path, type) of every file in the archive and in the archives inside it."""
    found = []
    for name in archive.namelist():
        if name.endswith("/"):
            continue
        suffix = PurePosixPath(name).suffix.lower().lstrip(".")
        found.append((at + name, suffix))
        if suffix in ("zip", "whl", "jar"):
            with zipfile.ZipFile(io.BytesIO(archive.read(name))) as inner:
                found += types_at_every_depth(inner, f"{at}{name}!/")
    return found


def test_the_copy_made_for_mail_holds_no_type_gmail_refuses_at_any_depth(bundle_archive):
    lists = blocked_types()
    gmail, outlook = lists["gmail: any depth"], lists["outlook: the attached file itself"]
    assert {"js", "mjs", "exe"} <= gmail and {"py", "js"} <= outlook  # the list was read
    assert bundle_archive.suffix.lstrip(".") not in gmail | outlook  # the attachment itself
    with zipfile.ZipFile(bundle_archive) as zf:
        found = types_at_every_depth(zf)
        refused = [path for path, kind in found if kind in gmail]
        assert not refused, f"Gmail refuses the copy for {len(refused)} files: {refused[:5]}"
        # Nor a script under another name: a part of the runtime is an HTML document.
        parts = [name for name in zf.namelist() if "/assets/offline/" in name]
        assert parts and all(zf.read(name).startswith(b"<!doctype html>") for name in parts)
        pages = [name for name in zf.namelist() if name.endswith(".html") and name not in parts]
        assert not [name for name in pages if b'<script src="' in zf.read(name)]
    kinds = {kind for _, kind in found}
    assert kinds <= {"html", "css", "svg", "png", "txt", "xml"}, kinds
    assert not [path for path, _ in found if "/lunr/" in path or path.endswith("serve.py")]


def test_the_copy_made_for_mail_is_within_its_budget_and_gmails_limit(bundle_archive):
    size = bundle_archive.stat().st_size
    assert size <= BUNDLE_BUDGET_MB * 1e6 < 25e6, f"{size / 1e6:.2f} MB zipped"


# --- The site's own download ---------------------------------------------------------------

def test_the_footer_offers_the_sites_own_copy_with_its_size_and_it_downloads(built_site, site_url,
                                                                           bundle_archive):
    html = (built_site / "about.html").read_text(encoding="utf-8")
    link = re.search(r'<p class="mbr-read-offline">\s*<a href="([^"]+)" download>Read offline</a>'
                     r'(.*?)</p>', html, re.S)
    assert link, "no Read offline link in the footer"
    href, text = link.groups()
    assert re.fullmatch(rf"downloads/{re.escape(SITE['extra']['bundle_name'])}-\d+\.\d+\.\d+\.zip", href)
    copy = built_site / href
    assert f"({copy.stat().st_size / 1e6:.1f} MB)" in text and "double-click index.html" in text
    status, headers, body = get(site_url + href)
    assert (status, headers["Content-Type"], body) == (200, "application/zip", copy.read_bytes())
    assert headers["Cache-Control"] == "no-cache"
    with zipfile.ZipFile(io.BytesIO(body)) as zf:  # the copy made for mail, not itself
        names = zf.namelist()
        assert not [n for n in names if "/downloads/" in n or n.endswith((".js", ".mjs", ".py"))]
        assert not [n for n in names if n.endswith(".html") and b"mbr-read-offline" in zf.read(n)]
        # The copy make bundle makes, whose tests (from disk in three engines) stand for it.
        assert names == zipfile.ZipFile(bundle_archive).namelist()


# --- The launcher, serving the runtime from the scripts ---------------------------------

def get(url: str, gzip_ok: bool = False, method: str = "GET"):
    """(status, headers, body) of a request to the launcher."""
    request = urllib.request.Request(url, method=method,
                                     headers={"Accept-Encoding": "gzip" if gzip_ok else "identity"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_launcher_serves_each_runtime_file_as_the_site_has_it(built_site, snapshot_bundle):
    held = held_paths(snapshot_bundle)
    with serve_site(snapshot_bundle) as url:
        for path in held:
            site_bytes = (built_site / path).read_bytes()
            status, headers, body = get(url + path)
            assert (status, body) == (200, site_bytes), path
            assert headers["Content-Type"] == CONTENT_TYPES[Path(path).suffix]
            assert "immutable" in headers["Cache-Control"]  # the site's _headers, as served
            status, headers, body = get(url + path, gzip_ok=True)
            if headers["Content-Encoding"] == "gzip":
                body = gzip.decompress(body)
            assert (status, body) == (200, site_bytes), path
        wasm = next(p for p in held if p.endswith(".wasm"))
        status, headers, body = get(url + wasm, gzip_ok=True, method="HEAD")
        assert status == 200 and not body and headers["Content-Encoding"] == "gzip"
        assert 0 < int(headers["Content-Length"]) < (built_site / wasm).stat().st_size


def test_the_launcher_answers_a_folder_without_index_with_the_404_page(snapshot_bundle):
    page_404 = (snapshot_bundle / "404.html").read_bytes()
    with serve_site(snapshot_bundle) as url:
        for folder in ("assets/", "assets/offline/", "search/"):
            status, headers, body = get(url + folder)
            assert (status, headers["Content-Type"], body) == (404, "text/html", page_404), folder
        assert get(url)[0] == 200  # a folder with an index.html is its page


def test_the_launcher_names_a_missing_script_and_answers_404(snapshot_bundle, tmp_path):
    folder = tmp_path / "copy"
    pages = shutil.ignore_patterns("*.html", "search")  # not needed here; the parts are
    shutil.copytree(snapshot_bundle, folder,
                    ignore=lambda at, names: set() if at.endswith("offline") else pages(at, names))
    parts = manifest_of(folder)["parts"]
    wasm = next(p for p in parts if p.get("path", "").endswith(".wasm"))
    (folder / wasm["src"]).unlink()
    with pytest.raises(MissingPart, match=rf"this copy lacks the file {re.escape(wasm['src'])}; "
                       "unzip the whole copy again"):
        OfflineParts(folder).read("/" + wasm["path"])
    with serve_site(folder) as url:
        assert get(url + wasm["path"])[0] == 404
