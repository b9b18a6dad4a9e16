"""The browser runtime in the built site (a part of the build's step, macros/hooks/finish.py).

- Builds the calculators into a py3-none-any wheel and copies it into the site; the
  pages name it through the marks finish.py fills in.
- Serves the Pyodide runtime from the pinned npm package (node_modules/pyodide),
  never from a CDN, with the site's own standard library: only the modules the
  calculators use, compiled to bytecode inside Pyodide (macros/hooks/pyodide_bytecode.mjs),
  and a memory snapshot of Python with the calculators loaded, for warm visits
  (macros/hooks/pyodide_snapshot.mjs).
- Puts runtime files in folders named by a hash of their content, so a changed
  limits file or runtime gets a new address and long cache lifetimes are safe.
- Writes brotli and gzip copies of every compressible file, which serve.py sends
  to browsers that accept them.
- Copies the iframe-worker shim (npm, pinned) that lets Material's search run
  from an offline copy opened from disk.

Each build's state (its temporary folder, the files to copy into the site, where
the cache is) lives on one SiteBuild, made and closed by finish.py for each build:
`mkdocs serve` rebuilds in one process, and nothing carries over from one build to
the next.

Its switches (MBR_CACHE_DIR, MBR_BASELINE_RUNTIME) are read by settings.py. Under
`mkdocs serve`, dev_server.py shows a failed build's error and imports the project's
modules afresh for each build.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import brotli
from flit_core.wheel import make_wheel_in
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
PYODIDE_DIR = NODE_MODULES / "pyodide"
# The runtime files loadPyodide fetches; nothing else from the package is served.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
# Replaced by the bytecode build's own copies (the baseline keeps Pyodide's).
BUILT_RUNTIME_FILES = ("python_stdlib.zip", "pyodide-lock.json")
SHIPPED_STDLIB = PYODIDE_DIR / "python_stdlib.zip"
BYTECODE_SCRIPT = Path(__file__).resolve().parent / "pyodide_bytecode.mjs"
SNAPSHOT_SCRIPT = Path(__file__).resolve().parent / "pyodide_snapshot.mjs"
SNAPSHOT_NAME = "python-memory.snapshot"
NODE_START = Path(__file__).resolve().parent / "pyodide_calculators.mjs"  # both steps use it
BYTECODE_NAME = "calculators-pyc.zip"
SEARCH_SHIM = NODE_MODULES / "iframe-worker" / "shim" / "index.js"
SEARCH_SHIM_SITE_PATH = "assets/javascripts/iframe-worker-shim.js"
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".wasm", ".zip", ".svg", ".xml",
                ".txt", ".map", ".snapshot"}
MIN_COMPRESS_BYTES = 1024
BEST_BROTLI_MAX_BYTES = 16 * 1024 * 1024
RUNTIME_COMPRESS_BYTES = 256 * 1024  # the runtime's files, for the log

# MkDocs prints its own loggers' INFO lines: each slow step says what it is doing.
log = logging.getLogger("mkdocs.hooks.site_assets")


@dataclass
class SiteBuild:
    """One build's state: made, used and closed by finish.py's step."""

    # Compressing the runtime and building its bytecode take seconds: results are kept
    # here. Test builds of project copies point it at the main checkout's cache.
    cache: Path
    # Pyodide's shipped standard library, no bytecode and no snapshot (the benchmark's baseline).
    baseline: bool
    temp: tempfile.TemporaryDirectory = field(
        default_factory=lambda: tempfile.TemporaryDirectory(prefix="calculators-build-"))
    copies: dict[Path, str] = field(default_factory=dict)  # source file -> path in the site
    limits: Any = None  # the limits file as this build read it (set by prepare)
    _cases: Path | None = None

    @property
    def folder(self) -> Path:
        return Path(self.temp.name)

    def close(self) -> None:
        self.temp.cleanup()

    def cases_file(self) -> Path:
        """The examples plus the error paths, as JSON for the Node build steps (written once)."""
        if self._cases is None:
            from calculators import CALCULATORS

            cases = example_cases(self.limits) + [(name, {"year": "not a year"}) for name in CALCULATORS]
            cases += [("after-tax-space", {"unknown": 1}), ("no-such-calculator", {})]
            self._cases = self.folder / "cases.json"
            self._cases.write_text(json.dumps(cases, default=str))
        return self._cases

    def build_bytecode(self, wheel: Path) -> Path:
        """The site's stdlib and the calculators' bytecode, built in Pyodide (cached)."""
        sources = [wheel, BYTECODE_SCRIPT, NODE_START, SHIPPED_STDLIB,
                   *(PYODIDE_DIR / n for n in PYODIDE_FILES)]
        out = self.cache / "bytecode" / content_hash(sources)
        if all((out / name).is_file() for name in (*BUILT_RUNTIME_FILES, BYTECODE_NAME)):
            log.info("Python bytecode: cache hit (%s)", out.name)
        else:
            log.info("Compiling the standard library and the calculators to bytecode in "
                     "Pyodide…")
            run_node(BYTECODE_SCRIPT,
                     [str(PYODIDE_DIR), str(wheel), str(self.cases_file()), str(out)],
                     "Python bytecode")
        return out

    def build_snapshot(self, wheel: Path, built: Path) -> Path:
        """Python's memory with the calculators loaded, for warm visits (cached).

        Kept under a key made of the bytecode's key (which covers the wheel and the runtime)
        and this step's script: the snapshot's own bytes differ from build to build (hash
        seeds, random state) though made the same way, so the key, not the bytes, names it.
        """
        out = self.cache / "snapshot" / content_hash([SNAPSHOT_SCRIPT], built.name) / SNAPSHOT_NAME
        if out.is_file():
            log.info("Memory snapshot: cache hit (%s)", out.parent.name)
        else:
            log.info("Making the memory snapshot of Python with the calculators loaded…")
            out.parent.mkdir(parents=True, exist_ok=True)
            partial = out.with_suffix(".partial")
            run_node(SNAPSHOT_SCRIPT,
                     [str(PYODIDE_DIR), str(built / "python_stdlib.zip"), str(wheel),
                      str(built / BYTECODE_NAME), str(self.cases_file()), str(partial)],
                     "memory snapshot")
            partial.rename(out)
        return out

    def prepare(self) -> dict[str, Any]:
        """Build the wheel (and bytecode, snapshot); their site paths and sizes, by the names
        the page template uses (overrides/main.html)."""
        self.limits = fresh_limits()
        log.info("Building the calculators' wheel…")
        wheel = build_wheel(self.folder)
        same_limits_in(wheel, self.limits)
        runtime = [PYODIDE_DIR / name for name in PYODIDE_FILES]
        if self.baseline:
            runtime.append(SHIPPED_STDLIB)
            ours = {"calculator_wheel": wheel}
            ours_key = content_hash([wheel])
        else:
            built = self.build_bytecode(wheel)
            runtime = [path for path in runtime if path.name not in BUILT_RUNTIME_FILES]
            runtime += [built / name for name in BUILT_RUNTIME_FILES]
            snapshot = self.build_snapshot(wheel, built)
            ours = {"calculator_wheel": wheel, "calculator_bytecode": built / BYTECODE_NAME,
                    "python_snapshot": snapshot}
            ours_key = snapshot.parent.name  # covers the wheel, the bytecode and the runtime
        runtime_dir = f"assets/pyodide/{content_hash(runtime)}"
        self.copies.update({path: f"{runtime_dir}/{path.name}" for path in runtime})
        self.copies[SEARCH_SHIM] = SEARCH_SHIM_SITE_PATH
        # The page template names these files; a baseline build has no bytecode or snapshot.
        names: dict[str, Any] = {"calculator_bytecode": "", "python_snapshot": ""}
        for key, path in ours.items():
            self.copies[path] = names[key] = f"assets/python/{ours_key}/{path.name}"
        # Each file the browser downloads to start Python, by name: the loader's progress bar.
        names["download_sizes"] = {path.name: path.stat().st_size
                                   for path in [*runtime, *ours.values()]
                                   if path.suffix != ".snapshot"}
        names["pyodide_module"] = f"{runtime_dir}/pyodide.mjs"
        names["python_stdlib"] = f"{runtime_dir}/python_stdlib.zip"
        return names

    def finish(self, site: Path) -> None:
        """Copy the runtime and the calculators into the built site."""
        for source, target in self.copies.items():
            (site / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, site / target)


def build_wheel(out_dir: Path) -> Path:
    """Build the calculators wheel into out_dir; same sources give the same bytes."""
    # A fixed timestamp makes the wheel reproducible, so its bytes change only with its content.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "315532800")
    out_dir.mkdir(parents=True, exist_ok=True)
    return Path(make_wheel_in(ROOT / "pyproject.toml", out_dir).file)


def content_hash(files: list[Path], extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def fresh_limits():
    """This build's limits, read from the file as it is now (dev_server.py has made sure
    the project's modules are imported afresh under `mkdocs serve`)."""
    from calculators import LimitsError, load_limits

    try:
        return load_limits()
    except LimitsError as error:
        # MkDocs prints a PluginError as one line; any other exception with a traceback.
        raise PluginError(str(error)) from None


def same_limits_in(wheel: Path, limits) -> None:
    """Stop if the limits file changed between reading it and packing it into the wheel."""
    from calculators.limits import LimitsError, parse_limits

    with zipfile.ZipFile(wheel) as packed:
        text = packed.read("calculators/limits.toml").decode("utf-8")
    try:
        same = parse_limits(text) == limits
    except LimitsError:
        same = False
    if not same:
        raise PluginError("limits file: changed while the site was building; build again")


def example_cases(limits=None) -> list[tuple[str, dict]]:
    """Every calculator's example inputs for every year in the limits file (or `limits`)."""
    from calculators import CALCULATORS, default_inputs, load_limits

    limits = limits or load_limits()
    return [(name, default_inputs(name, year, limits)) for name in CALCULATORS
            for year in limits.years]


def run_node(script: Path, args: list[str], what: str) -> None:
    try:
        subprocess.run(["node", str(script), *args],
                       check=True, capture_output=True, text=True, timeout=300)
    except FileNotFoundError:
        raise PluginError(f"node not found: the site build makes the {what} in "
                          "Pyodide under Node.js (Debian package nodejs)") from None
    except subprocess.CalledProcessError as error:
        raise PluginError(f"{what} build failed:\n{error.stderr[-3000:]}") from None


def check_runtime() -> None:
    """Stop, saying what to run, when the pinned npm packages are not installed."""
    missing = [p for p in [*(PYODIDE_DIR / n for n in PYODIDE_FILES), SHIPPED_STDLIB, SEARCH_SHIM]
               if not p.is_file()]
    if missing:
        raise PluginError(
            f"Browser runtime not found (missing {', '.join(str(p) for p in missing)}): "
            "run `npm ci` (make serve and make test do it for you)."
        )


def precompress(site: Path, cache: Path) -> None:
    """Write FILE.br and FILE.gz beside each compressible file that shrinks."""
    hits = misses = 0
    for path in sorted(site.rglob("*")):
        if (path.suffix not in COMPRESSIBLE or not path.is_file()
                or path.stat().st_size < MIN_COMPRESS_BYTES):
            continue
        data = path.read_bytes()
        runtime = len(data) >= RUNTIME_COMPRESS_BYTES  # seconds each when not in the cache
        for encoding in ("br", "gz"):
            if runtime and not cached_compression(data, encoding, cache).is_file():
                if not misses:
                    log.info("Compressing the runtime (brotli and gzip, kept in %s)…", cache)
                misses += 1
            else:
                hits += runtime
            packed = compressed(data, encoding, cache)
            if len(packed) < len(data):
                path.with_name(f"{path.name}.{encoding}").write_bytes(packed)
    if hits and not misses:
        log.info("Compressed runtime: cache hit (%d files)", hits)


def cached_compression(data: bytes, encoding: str, cache: Path) -> Path:
    return cache / "compressed" / f"{hashlib.sha256(data).hexdigest()}.{encoding}"


def compressed(data: bytes, encoding: str, cache: Path) -> bytes:
    """The data compressed ("br" or "gz"), kept in the cache by content hash: brotli's best
    level takes a fifth of a second even on a small page, and most files are the same from
    one build to the next."""
    cached = cached_compression(data, encoding, cache)
    if cached.is_file():
        return cached.read_bytes()
    packed = _brotli(data) if encoding == "br" else _gzip(data)
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(f"{cached.name}.{os.getpid()}.partial")  # builds run side by side
    partial.write_bytes(packed)
    partial.replace(cached)
    return packed


def _brotli(data: bytes) -> bytes:
    # Level 11 takes about 25 s on the memory snapshot, which changes with every
    # calculator change; level 9 takes 1 s for 15% more bytes, downloaded in the
    # background. The runtime (under the limit) changes only with Pyodide's version.
    return brotli.compress(data, quality=11 if len(data) <= BEST_BROTLI_MAX_BYTES else 9)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)
