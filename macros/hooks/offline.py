"""The offline copy's Python for pages opened from disk (file://), with no server.

Browsers refuse module imports, fetch() and blob: workers for file:// pages, but they run
classic <script src> files. So the offline copy carries each file the calculators' worker
needs as a classic script under assets/offline/ that hands its content to the page
(base64, gzipped when that is smaller). From disk, the page (javascripts/calculators-disk.js)
loads them, starts the same worker (docs/javascripts/calculator-worker.mjs) from a data: URL,
and posts it the contents; the worker answers Pyodide's requests for its files from memory.

That leans on Pyodide internals, so this module checks them and stops the bundle with a
message naming what changed when a new Pyodide version changes them:
- pyodide.asm.mjs becomes a classic function: its `import.meta.url`s (a fixed count) become
  a parameter and its one `export default` a return;
- pyodide.js (the classic loader) still sets globalThis.loadPyodide, reads the options the
  worker passes, and asks for its files by the names the copy answers.

The copy also carries the memory snapshot (see offline_files). Over http none of this is
used: the site keeps its module worker, its snapshot in Cache Storage and its strict policy.
"""

from __future__ import annotations

import base64
import gzip
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from macros.contract import OFFLINE_CALLBACK, OFFLINE_MANIFEST

ROOT = Path(__file__).resolve().parents[2]
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
MANIFEST = OFFLINE_MANIFEST
OFFLINE_DIR = posixpath.dirname(MANIFEST)
# The global function the disk loader defines before loading the scripts: each calls it once.
CALLBACK = OFFLINE_CALLBACK

# What pyodide.asm.mjs must look like for the rewrite to be right (Pyodide 314).
ASM_URL_TOKEN = "import.meta.url"
ASM_URL_COUNT = 3
ASM_EXPORT = "export default _createPyodideModule;"
ASM_PARAMETER = "__pyodideAsmUrl"
# Pieces of pyodide.js the worker relies on: each with why.
LOADER_SHAPES = {
    "globalThis.loadPyodide=": "the classic loader sets globalThis.loadPyodide",
    ".createPyodideModule": "loadPyodide reads the createPyodideModule option",
    ".stdLibURL": "loadPyodide reads the stdLibURL option",
    ".indexURL": "loadPyodide reads the indexURL option",
    '+"pyodide.asm.wasm"': "it asks for indexURL + pyodide.asm.wasm",
    '+"pyodide-lock.json"': "it asks for indexURL + pyodide-lock.json",
    '"browser_getBinaryResponse"': "in a browser it gets its files with fetch",
}
# The site files the worker asks for, relative to the runtime folder or by the page's tag.
RUNTIME_FILES = ("pyodide.asm.wasm", "pyodide-lock.json")
TAG_FILES = ("data-stdlib", "data-wheel", "data-bytecode")


class OfflineError(Exception):
    """The site or Pyodide is not what the offline copy expects: the message says what."""


def classic_asm(text: str) -> str:
    """pyodide.asm.mjs as the source of a classic function of the module's own URL.

    Evaluated, it gives `function (url)` that returns createPyodideModule.
    """
    found = text.count(ASM_URL_TOKEN)
    if found != ASM_URL_COUNT:
        raise OfflineError(f"pyodide.asm.mjs has {found} `{ASM_URL_TOKEN}`, not {ASM_URL_COUNT}: "
                           "this Pyodide version changed the module the offline copy rewrites")
    if text.count(ASM_EXPORT) != 1 or not text.rstrip().endswith(ASM_EXPORT):
        raise OfflineError(f"pyodide.asm.mjs does not end with its one `{ASM_EXPORT}`: this "
                           "Pyodide version changed the module the offline copy rewrites")
    body = text.rstrip()[: -len(ASM_EXPORT)].replace(ASM_URL_TOKEN, ASM_PARAMETER)
    leftover = re.search(r"\bimport\.meta\b|^\s*(import|export)\s", body, re.M)
    if leftover:
        raise OfflineError(f"pyodide.asm.mjs still has `{leftover.group(0).strip()}` after the "
                           "rewrite: it cannot run as a classic script")
    return (f'(function ({ASM_PARAMETER}) {{\n"use strict";\n{body}\n'
            "return _createPyodideModule;\n})")


def check_loader(text: str) -> None:
    """Stop if pyodide.js no longer has a piece the offline worker relies on."""
    for piece, why in LOADER_SHAPES.items():
        if piece not in text:
            raise OfflineError(f"pyodide.js has no `{piece}` ({why}): this Pyodide version "
                               "changed what the offline copy relies on")


@dataclass
class Part:
    """One classic script: what it holds (a site path, or a script the worker runs) and its text."""

    name: str
    script: str


# Each script holds at most this much base64 text: the browser parses and runs each script
# in one task on the page's thread, and a script of several megabytes holds that thread
# for tens of milliseconds (more on a phone's CPU).
CHUNK_CHARS = 512 * 1024


def encoded(name: str, kind: str, data: bytes) -> list[Part]:
    """The file as scripts of at most CHUNK_CHARS of base64 each (gzipped if that is smaller);
    the page joins the chunks by name and index."""
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    zipped = len(packed) < len(data)
    text = base64.b64encode(packed if zipped else data).decode("ascii")
    chunks = [text[at:at + CHUNK_CHARS] for at in range(0, len(text), CHUNK_CHARS)] or [""]
    return [Part(f"{name}.{index}" if len(chunks) > 1 else name,
                 f"{CALLBACK}({json.dumps({'kind': kind, 'name': name, 'gzip': zipped, 'chunk': index, 'chunks': len(chunks), 'base64': chunk})});\n")
            for index, chunk in enumerate(chunks)]


def tag_paths(site: Path) -> dict[str, str]:
    """The runtime's site paths as a calculator page's first script tag names them."""
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        tag = re.search(r'<script src="[^"]*javascripts/calculators-start\.js"([^>]*)>', html)
        if not tag:
            continue
        attrs = dict(re.findall(r'(data-[a-z]+)="([^"]*)"', tag.group(1)))
        folder = PurePosixPath(page.relative_to(site).as_posix()).parent
        attrs["src"] = re.search(r'src="([^"]*)"', tag.group(0)).group(1)
        return {name: posixpath.normpath(folder / value) for name, value in attrs.items() if value}
    raise OfflineError(f"{site} has no calculator page: build the site first")


def offline_files(site: Path, snapshot: bool = True) -> dict[str, bytes]:
    """The files of assets/offline/ for this built site, by their path in the site.

    snapshot: carry the memory snapshot of Python with the calculators loaded, as the served
    site keeps it for warm visits. From disk nothing is kept between pages, so without it
    every page would start Python afresh. It makes the first result sooner, for a larger
    zip: `make bench` measures both (tests/bench_offline.py; results in
    tests/benchmark-results.md).
    """
    paths = tag_paths(site)
    module = paths["data-pyodide"]
    if (site / module).read_bytes() != (PYODIDE_DIR / "pyodide.mjs").read_bytes():
        raise OfflineError(f"{module} is not node_modules' Pyodide: build the site again")
    asm = (site / module).parent / "pyodide.asm.mjs"
    loader = (PYODIDE_DIR / "pyodide.js").read_text(encoding="utf-8")
    check_loader(loader)
    worker = (site / paths["src"]).with_name("calculator-worker.mjs").read_text(encoding="utf-8")
    runtime = str(PurePosixPath(module).parent)
    files = [f"{runtime}/{name}" for name in RUNTIME_FILES]
    files += [paths[attr] for attr in TAG_FILES if attr in paths]
    missing = [path for path in files if not (site / path).is_file()]
    if missing:
        raise OfflineError(f"the built site lacks {', '.join(missing)}: build the site again")
    parts = [
        Part("worker", f"{CALLBACK}({json.dumps({'kind': 'worker', 'text': worker})});\n"),
        *encoded("pyodide.js", "script", loader.encode()),
        *encoded("pyodide.asm.mjs", "script", classic_asm(asm.read_text(encoding="utf-8")).encode()),
        *(part for path in files for part in encoded(path, "file", (site / path).read_bytes())),
    ]
    if snapshot and "data-snapshot" in paths:  # a baseline build has none
        snapshot_path = paths["data-snapshot"]
        parts += encoded(snapshot_path, "snapshot", (site / snapshot_path).read_bytes())
    out = {f"{OFFLINE_DIR}/{index}-{PurePosixPath(part.name).name}.js": part.script.encode()
           for index, part in enumerate(parts)}
    manifest = {"kind": "manifest",
                "parts": [{"src": path, "bytes": len(data)} for path, data in out.items()]}
    out[MANIFEST] = f"{CALLBACK}({json.dumps(manifest)});\n".encode()
    return out
