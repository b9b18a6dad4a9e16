"""The offline copy's Python runtime, stored once, for pages opened from disk and for its launcher.

Browsers refuse module imports, fetch() and blob: workers for file:// pages, but they load
other files from disk in frames, and a frame may post a message to the page that holds it,
whatever its origin (every file:// page is an origin of its own, or an opaque one). So the
offline copy carries each file the calculators' worker needs as HTML documents under
assets/offline/ (no script files: mail services refuse those, even inside a zip), each with
one inline script that posts its content to its parent (base64, gzipped when that is
smaller). From disk, the page (the disk loader, docs/javascripts/calculators/disk.js) loads
them in hidden frames, starts the same worker (docs/javascripts/calculator-worker.mjs) from
a data: URL, and posts it the contents; the worker answers Pyodide's requests for its files
from memory.

These parts are the copy's only copy of those files: the bundle leaves out the site's
own (and every precompressed .br/.gz), and the launcher (serve.py) answers a request for
one of them from the parts, as gzip, so that served pages work as on the site. The
manifest names the site path each part holds, for the launcher.

That leans on Pyodide internals, so this module checks them and stops the bundle with a
message naming what changed when a new Pyodide version changes them:
- pyodide.asm.mjs can become a classic function: its `import.meta.url`s (a fixed count)
  become a parameter and its one `export default` a return. The script holds the module as
  the site serves it, with that recipe (CLASSIC), which the worker applies from disk;
- pyodide.js (the classic loader) still sets globalThis.loadPyodide, reads the options the
  worker passes, and asks for its files by the names the copy answers.

The copy carries the memory snapshot too when asked (see offline_files). Over
http none of the disk path is used: the site keeps its module worker, its snapshot in Cache
Storage and its strict policy.
"""

from __future__ import annotations

import base64
import gzip
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from macros.contract import OFFLINE_MANIFEST
from serve import part_document

ROOT = Path(__file__).resolve().parents[2]
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
MANIFEST = OFFLINE_MANIFEST
OFFLINE_DIR = posixpath.dirname(MANIFEST)

# What pyodide.asm.mjs must look like for the rewrite to be right (Pyodide 314).
ASM_URL_TOKEN = "import.meta.url"
ASM_URL_COUNT = 3
ASM_EXPORT = "export default _createPyodideModule;"
ASM_PARAMETER = "__pyodideAsmUrl"
ASM_RETURNS = "_createPyodideModule"
# How the worker makes the module a classic function from disk: the text before `export`,
# with `token` replaced by `parameter`, between `before` and `after`; classic_asm does the
# same here, so the build checks what the worker will run.
CLASSIC = {
    "token": ASM_URL_TOKEN,
    "parameter": ASM_PARAMETER,
    "export": ASM_EXPORT,
    "before": f'(function ({ASM_PARAMETER}) {{\n"use strict";\n',
    "after": f"\nreturn {ASM_RETURNS};\n}})",
}
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
    body = text[: text.rindex(CLASSIC["export"])].replace(CLASSIC["token"], CLASSIC["parameter"])
    leftover = re.search(r"\bimport\.meta\b|^\s*(import|export)\s", body, re.M)
    if leftover:
        raise OfflineError(f"pyodide.asm.mjs still has `{leftover.group(0).strip()}` after the "
                           "rewrite: it cannot run as a classic script")
    return f"{CLASSIC['before']}{body}{CLASSIC['after']}"


def check_loader(text: str) -> None:
    """Stop if pyodide.js no longer has a piece the offline worker relies on."""
    for piece, why in LOADER_SHAPES.items():
        if piece not in text:
            raise OfflineError(f"pyodide.js has no `{piece}` ({why}): this Pyodide version "
                               "changed what the offline copy relies on")


@dataclass
class Part:
    """One part: its file name, what its document posts, and the site path it holds a chunk
    of (None for the parts only pages from disk use)."""

    name: str
    content: dict
    path: str | None = None


# Each part holds at most this much base64 text: the browser parses and runs each script
# in one task on the page's thread, and a script of several megabytes holds that thread
# for tens of milliseconds (more on a phone's CPU).
CHUNK_CHARS = 512 * 1024


def encoded(name: str, kind: str, data: bytes, site_path: str | None = None,
            **fields) -> list[Part]:
    """The file as scripts of at most CHUNK_CHARS of base64 each (gzipped if that is smaller);
    the page joins the chunks by name and index, the launcher by the manifest's order.
    fields: more for the worker, in every chunk."""
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    zipped = len(packed) < len(data)
    text = base64.b64encode(packed if zipped else data).decode("ascii")
    chunks = [text[at:at + CHUNK_CHARS] for at in range(0, len(text), CHUNK_CHARS)] or [""]
    return [Part(f"{name}.{index}" if len(chunks) > 1 else name,
                 {"kind": kind, "name": name, "gzip": zipped, "chunk": index,
                  "chunks": len(chunks), **fields, "base64": chunk},
                 site_path)
            for index, chunk in enumerate(chunks)]


@dataclass
class OfflineCopy:
    """What the offline copy adds to the site, and what it leaves out of it."""

    files: dict[str, bytes]  # assets/offline/: the parts, by their path in the copy
    # Site files the copy does not carry as they are: those the scripts hold (the launcher
    # serves them from the scripts), and the snapshot when it is left out.
    left_out: set[str]


def tag_paths(site: Path) -> dict[str, str]:
    """The worker's and the runtime's site paths as a calculator page's start script
    names them."""
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        tag = re.search(r'<script (data-worker="[^"]*"[^>]*)>', html)
        if not tag:
            continue
        attrs = dict(re.findall(r'(data-[a-z]+)="([^"]*)"', tag.group(1)))
        folder = PurePosixPath(page.relative_to(site).as_posix()).parent
        return {name: posixpath.normpath(folder / value) for name, value in attrs.items() if value}
    raise OfflineError(f"{site} has no calculator page: build the site first")


def offline_files(site: Path, snapshot: bool = False) -> OfflineCopy:
    """The scripts of assets/offline/ for this built site, and the site files they replace.

    snapshot: carry the memory snapshot of Python with the calculators loaded, as the served
    site keeps it for warm visits. From disk nothing is kept between pages, so without it
    every page starts Python afresh, and served by the launcher every visit is a first
    one. It makes the first result sooner, for a larger zip (settings.BUNDLE_BUDGET_MB says
    why the default copy leaves it out): `make bench` measures both (tests/bench_offline.py;
    results in tests/benchmark-results.md).
    """
    paths = tag_paths(site)
    module = paths["data-pyodide"]
    if (site / module).read_bytes() != (PYODIDE_DIR / "pyodide.mjs").read_bytes():
        raise OfflineError(f"{module} is not node_modules' Pyodide: build the site again")
    runtime = str(PurePosixPath(module).parent)
    asm = f"{runtime}/pyodide.asm.mjs"
    loader = (PYODIDE_DIR / "pyodide.js").read_text(encoding="utf-8")
    check_loader(loader)
    worker = (site / paths["data-worker"]).read_text(encoding="utf-8")
    files = [asm, *(f"{runtime}/{name}" for name in RUNTIME_FILES)]
    files += [paths[attr] for attr in TAG_FILES if attr in paths]
    snapshot_path = paths.get("data-snapshot")  # a baseline build has none
    missing = [path for path in [*files, *([snapshot_path] if snapshot_path else [])]
               if not (site / path).is_file()]
    if missing:
        raise OfflineError(f"the built site lacks {', '.join(missing)}: build the site again")
    classic_asm((site / asm).read_text(encoding="utf-8"))  # stops if the recipe no longer fits
    parts = [
        Part("worker", {"kind": "worker", "text": worker}),
        *encoded("pyodide.js", "script", loader.encode()),
        *(part for path in files for part in encoded(
            path, "file", (site / path).read_bytes(), path, **({"classic": CLASSIC} if path == asm else {}))),
    ]
    if snapshot and snapshot_path:
        parts += encoded(snapshot_path, "snapshot", (site / snapshot_path).read_bytes(), snapshot_path)
    out: dict[str, bytes] = {}
    listed = []
    for index, part in enumerate(parts):
        src = f"{OFFLINE_DIR}/{index}-{PurePosixPath(part.name).name}.html"
        out[src] = part_document(part.content).encode()
        listed.append({"src": src, "bytes": len(out[src]), **({"path": part.path} if part.path else {})})
    out[MANIFEST] = part_document({"kind": "manifest", "parts": listed}).encode()
    left_out = {part.path for part in parts if part.path}
    if snapshot_path:
        left_out.add(snapshot_path)
    return OfflineCopy(out, left_out)
