"""The offline copy's Python for pages opened from disk (macros/hooks/offline.py): the
build checks the Pyodide internals it relies on and stops, naming what changed, instead of
shipping a copy that fails in the reader's browser. The copy itself runs in three engines
from disk in tests/test_engines.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from macros.hooks import offline
from macros.hooks.bundle import write_bundle
from macros.hooks.offline import OfflineError, check_loader, classic_asm, offline_files

from .helpers import SITE

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


def test_the_bundle_carries_every_part_its_manifest_lists_and_a_readme_saying_disk_works(built_site, tmp_path):
    archive = write_bundle(built_site, tmp_path)
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        (folder,) = {name.split("/")[0] for name in names}
        manifest = zf.read(f"{folder}/assets/offline/manifest.js").decode()
        readme = zf.read(f"{folder}/README.txt").decode()
        entry = json.loads(re.fullmatch(r"MBR_OFFLINE\((.*)\);\n", manifest, re.S).group(1))
        held: dict[str, set[int]] = {}
        counts: dict[str, int] = {}
        for part in entry["parts"]:
            info = zf.getinfo(f"{folder}/{part['src']}")
            assert info.file_size == part["bytes"]
            script = zf.read(info).decode()
            assert len(script) <= offline.CHUNK_CHARS + 1000, f"{part['src']} is one long task"
            held_part = json.loads(re.fullmatch(r"MBR_OFFLINE\((.*)\);\n", script, re.S).group(1))
            if held_part["kind"] != "worker":
                held.setdefault(held_part["name"], set()).add(held_part["chunk"])
                counts[held_part["name"]] = held_part["chunks"]
    assert all(held[name] == set(range(counts[name])) for name in held), "a chunk is missing"
    names = {Path(name).name for name in held}
    assert names == {"pyodide.js", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json",
                     "python_stdlib.zip", "calculators-pyc.zip", "python-memory.snapshot",
                     *(n for n in names if n.endswith(".whl"))}
    assert "Open index.html" in readme and "work from disk" in readme
    assert "python3 serve.py" in readme and SITE["site_name"] in readme
