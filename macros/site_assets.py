"""MkDocs hooks: put the browser runtime into the built site.

- Builds the calculators into a py3-none-any wheel before pages render, so the
  pages can name it, and copies it into the site after the build.
- Serves the Pyodide runtime from the pinned npm package (node_modules/pyodide),
  never from a CDN, with the site's own standard library: only the modules the
  calculators use, compiled to bytecode inside Pyodide (macros/pyodide_bytecode.mjs),
  and a memory snapshot of Python with the calculators loaded, for warm visits
  (macros/pyodide_snapshot.mjs).
- Puts runtime files in folders named by a hash of their content, so a changed
  limits file or runtime gets a new address and long cache lifetimes are safe.
- Writes brotli and gzip copies of every compressible file, which serve.py sends
  to browsers that accept them.
- Copies the iframe-worker shim (npm, pinned) that lets Material's search run
  from an offline copy opened from disk.

MBR_CACHE_DIR sets where cached results go (default .cache).
MBR_BASELINE_RUNTIME=1 builds with Pyodide's shipped standard library instead, and no
bytecode or snapshot, for the benchmark's baseline. MBR_DROP_STDLIB_MODULE=name leaves one module out of the
site's standard library, for the test of the missing-module message.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import brotli
from flit_core.wheel import make_wheel_in
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
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
SEARCH_SHIM = NODE_MODULES / "iframe-worker" / "shim" / "index.js"
SEARCH_SHIM_SITE_PATH = "assets/javascripts/iframe-worker-shim.js"
# Brotli at its best level takes seconds on the runtime: results are kept by content hash.
# MBR_CACHE_DIR lets test builds of project copies share it.
CACHE = Path(os.environ.get("MBR_CACHE_DIR", ROOT / ".cache"))
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".wasm", ".zip", ".svg", ".xml",
                ".txt", ".map", ".snapshot"}
MIN_COMPRESS_BYTES = 1024
BEST_BROTLI_MAX_BYTES = 16 * 1024 * 1024

_build_dir = Path(tempfile.mkdtemp(prefix="calculators-build-"))
_copies: dict[Path, str] = {}  # source file -> path in the site


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


def bytecode_cases() -> list[tuple[str, dict]]:
    """Every calculator's example for every year, plus the error paths."""
    from calculators import CALCULATORS, default_inputs, load_limits

    cases = [(name, default_inputs(name, year)) for name in CALCULATORS
             for year in load_limits().years]
    cases += [(name, {"year": "not a year"}) for name in CALCULATORS]
    cases += [("after-tax-space", {"unknown": 1}), ("no-such-calculator", {})]
    return cases


def run_node(script: Path, args: list[str], what: str) -> None:
    try:
        subprocess.run(["node", str(script), *args],
                       check=True, capture_output=True, text=True, timeout=300)
    except FileNotFoundError:
        raise PluginError(f"node not found: the site build makes the {what} in "
                          "Pyodide under Node.js (Debian package nodejs)") from None
    except subprocess.CalledProcessError as error:
        raise PluginError(f"{what} build failed:\n{error.stderr[-3000:]}") from None


def write_cases() -> Path:
    cases = _build_dir / "cases.json"
    cases.write_text(json.dumps(bytecode_cases(), default=str))
    return cases


def build_bytecode(wheel: Path, drop: str) -> Path:
    """The site's stdlib and the calculators' bytecode, built in Pyodide (cached)."""
    sources = [wheel, BYTECODE_SCRIPT, SHIPPED_STDLIB, *(PYODIDE_DIR / n for n in PYODIDE_FILES)]
    out = CACHE / "bytecode" / content_hash(sources, drop)
    if all((out / name).is_file() for name in (*BUILT_RUNTIME_FILES, "calculators-pyc.zip")):
        return out
    run_node(BYTECODE_SCRIPT, [str(PYODIDE_DIR), str(wheel), str(write_cases()), str(out), drop],
             "Python bytecode")
    return out


def build_snapshot(wheel: Path, stdlib: Path, bytecode: Path) -> Path:
    """Python's memory with the calculators loaded, for warm visits (cached)."""
    sources = [wheel, stdlib, bytecode, SNAPSHOT_SCRIPT, *(PYODIDE_DIR / n for n in PYODIDE_FILES)]
    out = CACHE / "snapshot" / content_hash(sources) / SNAPSHOT_NAME
    if not out.is_file():
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_suffix(".partial")
        run_node(SNAPSHOT_SCRIPT, [str(PYODIDE_DIR), str(stdlib), str(wheel), str(bytecode),
                                   str(write_cases()), str(partial)], "memory snapshot")
        partial.rename(out)
    return out


def on_config(config):
    missing = [p for p in [*(PYODIDE_DIR / n for n in PYODIDE_FILES), SHIPPED_STDLIB, SEARCH_SHIM]
               if not p.is_file()]
    if missing:
        raise PluginError(
            f"Browser runtime not found (missing {', '.join(str(p) for p in missing)}): "
            "run `npm ci` (make serve and make test do it for you)."
        )
    for stale in _build_dir.glob("*.whl"):
        stale.unlink()
    wheel = build_wheel(_build_dir)
    runtime = [PYODIDE_DIR / name for name in PYODIDE_FILES]
    _copies.clear()
    ours = [wheel]  # the calculators: wheel, then bytecode and snapshot if built
    if os.environ.get("MBR_BASELINE_RUNTIME") == "1":
        runtime.append(SHIPPED_STDLIB)
    else:
        drop = os.environ.get("MBR_DROP_STDLIB_MODULE", "")
        built = build_bytecode(wheel, drop)
        runtime = [path for path in runtime if path.name not in BUILT_RUNTIME_FILES]
        runtime += [built / name for name in BUILT_RUNTIME_FILES]
        bytecode = built / "calculators-pyc.zip"
        ours.append(bytecode)
        if not drop:  # without the module the calculators cannot run, so no snapshot
            ours.append(build_snapshot(wheel, built / "python_stdlib.zip", bytecode))
    runtime_dir = f"assets/pyodide/{content_hash(runtime)}"
    # Named by content, except the snapshot: its bytes differ from build to build (hash
    # seeds, random state) though made the same way, so its cache key (a hash of what it
    # is made from, runtime included) names it instead; an unchanged site keeps its URLs.
    made = [path for path in ours if path.name != SNAPSHOT_NAME]
    made_from = "".join(path.parent.name for path in ours if path.name == SNAPSHOT_NAME)
    ours_dir = f"assets/python/{content_hash(made, made_from)}"
    _copies.update({path: f"{runtime_dir}/{path.name}" for path in runtime})
    _copies.update({path: f"{ours_dir}/{path.name}" for path in ours})
    _copies[SEARCH_SHIM] = SEARCH_SHIM_SITE_PATH
    site_path = {path.name: f"{ours_dir}/{path.name}" for path in ours}
    config.extra["calculator_wheel"] = site_path[wheel.name]
    config.extra["calculator_bytecode"] = site_path.get("calculators-pyc.zip", "")
    config.extra["python_snapshot"] = site_path.get(SNAPSHOT_NAME, "")
    config.extra["pyodide_module"] = f"{runtime_dir}/pyodide.mjs"
    config.extra["python_stdlib"] = f"{runtime_dir}/python_stdlib.zip"
    return config


def on_post_build(config):
    site = Path(config.site_dir)
    for source, target in _copies.items():
        (site / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, site / target)
    precompress(site)


def precompress(site: Path) -> None:
    """Write FILE.br and FILE.gz beside each compressible file that shrinks."""
    for path in sorted(site.rglob("*")):
        if (path.suffix not in COMPRESSIBLE or not path.is_file()
                or path.stat().st_size < MIN_COMPRESS_BYTES):
            continue
        data = path.read_bytes()
        for suffix, compress in ((".br", _brotli), (".gz", _gzip)):
            packed = compress(data)
            if len(packed) < len(data):
                path.with_name(path.name + suffix).write_bytes(packed)


def _brotli(data: bytes) -> bytes:
    if len(data) < 256 * 1024:
        return brotli.compress(data, quality=11)
    cached = CACHE / "brotli" / hashlib.sha256(data).hexdigest()
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        # Level 11 takes about 25 s on the memory snapshot, which changes with every
        # calculator change; level 9 takes 1 s for 15% more bytes, downloaded in the
        # background. The runtime (under the limit) changes only with Pyodide's version.
        quality = 11 if len(data) <= BEST_BROTLI_MAX_BYTES else 9
        cached.write_bytes(brotli.compress(data, quality=quality))
    return cached.read_bytes()


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)
