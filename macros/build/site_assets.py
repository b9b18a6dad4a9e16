"""MkDocs hooks: put the browser runtime into the built site.

- Builds the calculators into a py3-none-any wheel before pages render, so the
  pages can name it, and copies it into the site after the build.
- Serves the Pyodide runtime from the pinned npm package (node_modules/pyodide),
  never from a CDN, with the site's own standard library: only the modules the
  calculators use, compiled to bytecode inside Pyodide (macros/build/pyodide_bytecode.mjs),
  and a memory snapshot of Python with the calculators loaded, for warm visits
  (macros/build/pyodide_snapshot.mjs).
- Puts runtime files in folders named by a hash of their content, so a changed
  limits file or runtime gets a new address and long cache lifetimes are safe.
- Writes brotli and gzip copies of every compressible file, which serve.py sends
  to browsers that accept them.
- Copies the iframe-worker shim (npm, pinned) that lets Material's search run
  from an offline copy opened from disk.

MBR_CACHE_DIR sets where cached results go (default .cache).
MBR_BASELINE_RUNTIME=1 builds with Pyodide's shipped standard library instead, and no
bytecode or snapshot, for the benchmark's baseline.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

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
# Compressing the runtime and building its bytecode take seconds: results are kept.
# MBR_CACHE_DIR lets test builds of project copies share it.
CACHE = Path(os.environ.get("MBR_CACHE_DIR", ROOT / ".cache"))
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".wasm", ".zip", ".svg", ".xml",
                ".txt", ".map", ".snapshot"}
MIN_COMPRESS_BYTES = 1024
BEST_BROTLI_MAX_BYTES = 16 * 1024 * 1024
CACHED_COMPRESS_BYTES = 256 * 1024

_build_temp = tempfile.TemporaryDirectory(prefix="calculators-build-")  # removed on_shutdown
_build_dir = Path(_build_temp.name)
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


def example_cases() -> list[tuple[str, dict]]:
    """Every calculator's example inputs for every year in the limits file."""
    from calculators import CALCULATORS, default_inputs, load_limits

    return [(name, default_inputs(name, year)) for name in CALCULATORS
            for year in load_limits().years]


@cache
def cases_file() -> Path:
    """The examples plus the error paths, as JSON for the Node build steps (written once)."""
    from calculators import CALCULATORS

    cases = example_cases() + [(name, {"year": "not a year"}) for name in CALCULATORS]
    cases += [("after-tax-space", {"unknown": 1}), ("no-such-calculator", {})]
    path = _build_dir / "cases.json"
    path.write_text(json.dumps(cases, default=str))
    return path


def run_node(script: Path, args: list[str], what: str) -> None:
    try:
        subprocess.run(["node", str(script), *args],
                       check=True, capture_output=True, text=True, timeout=300)
    except FileNotFoundError:
        raise PluginError(f"node not found: the site build makes the {what} in "
                          "Pyodide under Node.js (Debian package nodejs)") from None
    except subprocess.CalledProcessError as error:
        raise PluginError(f"{what} build failed:\n{error.stderr[-3000:]}") from None


def build_bytecode(wheel: Path) -> Path:
    """The site's stdlib and the calculators' bytecode, built in Pyodide (cached)."""
    sources = [wheel, BYTECODE_SCRIPT, NODE_START, SHIPPED_STDLIB,
               *(PYODIDE_DIR / n for n in PYODIDE_FILES)]
    out = CACHE / "bytecode" / content_hash(sources)
    if not all((out / name).is_file() for name in (*BUILT_RUNTIME_FILES, BYTECODE_NAME)):
        run_node(BYTECODE_SCRIPT, [str(PYODIDE_DIR), str(wheel), str(cases_file()), str(out)],
                 "Python bytecode")
    return out


def build_snapshot(wheel: Path, built: Path) -> Path:
    """Python's memory with the calculators loaded, for warm visits (cached).

    Kept under a key made of the bytecode's key (which covers the wheel and the runtime)
    and this step's script: the snapshot's own bytes differ from build to build (hash
    seeds, random state) though made the same way, so the key, not the bytes, names it.
    """
    out = CACHE / "snapshot" / content_hash([SNAPSHOT_SCRIPT], built.name) / SNAPSHOT_NAME
    if not out.is_file():
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_suffix(".partial")
        run_node(SNAPSHOT_SCRIPT, [str(PYODIDE_DIR), str(built / "python_stdlib.zip"), str(wheel),
                                   str(built / BYTECODE_NAME), str(cases_file()), str(partial)],
                 "memory snapshot")
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
    if os.environ.get("MBR_BASELINE_RUNTIME") == "1":
        runtime.append(SHIPPED_STDLIB)
        ours = {"calculator_wheel": wheel}
        ours_key = content_hash([wheel])
    else:
        built = build_bytecode(wheel)
        runtime = [path for path in runtime if path.name not in BUILT_RUNTIME_FILES]
        runtime += [built / name for name in BUILT_RUNTIME_FILES]
        snapshot = build_snapshot(wheel, built)
        ours = {"calculator_wheel": wheel, "calculator_bytecode": built / BYTECODE_NAME,
                "python_snapshot": snapshot}
        ours_key = snapshot.parent.name  # covers the wheel, the bytecode and the runtime
    runtime_dir = f"assets/pyodide/{content_hash(runtime)}"
    _copies.update({path: f"{runtime_dir}/{path.name}" for path in runtime})
    _copies[SEARCH_SHIM] = SEARCH_SHIM_SITE_PATH
    # The page template names these files; a baseline build has no bytecode or snapshot.
    for key in ("calculator_bytecode", "python_snapshot"):
        config.extra[key] = ""
    for key, path in ours.items():
        _copies[path] = config.extra[key] = f"assets/python/{ours_key}/{path.name}"
    # Each file the browser downloads to start Python, by name: the loader's progress bar.
    config.extra["download_sizes"] = {path.name: path.stat().st_size
                                      for path in [*runtime, *ours.values()] if path.suffix != ".snapshot"}
    config.extra["pyodide_module"] = f"{runtime_dir}/pyodide.mjs"
    config.extra["python_stdlib"] = f"{runtime_dir}/python_stdlib.zip"
    return config


def on_post_build(config):
    site = Path(config.site_dir)
    for source, target in _copies.items():
        (site / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, site / target)
    precompress(site)


def on_shutdown():
    _build_temp.cleanup()


def precompress(site: Path) -> None:
    """Write FILE.br and FILE.gz beside each compressible file that shrinks."""
    for path in sorted(site.rglob("*")):
        if (path.suffix not in COMPRESSIBLE or not path.is_file()
                or path.stat().st_size < MIN_COMPRESS_BYTES):
            continue
        data = path.read_bytes()
        # Large files take seconds to compress: their results are kept by content hash.
        key = hashlib.sha256(data).hexdigest() if len(data) >= CACHED_COMPRESS_BYTES else ""
        for encoding, compress in (("br", _brotli), ("gz", _gzip)):
            packed = _cached(key, encoding, compress, data)
            if len(packed) < len(data):
                path.with_name(f"{path.name}.{encoding}").write_bytes(packed)


def _cached(key: str, encoding: str, compress, data: bytes) -> bytes:
    if not key:
        return compress(data)
    cached = CACHE / "compressed" / f"{key}.{encoding}"
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(compress(data))
    return cached.read_bytes()


def _brotli(data: bytes) -> bytes:
    # Level 11 takes about 25 s on the memory snapshot, which changes with every
    # calculator change; level 9 takes 1 s for 15% more bytes, downloaded in the
    # background. The runtime (under the limit) changes only with Pyodide's version.
    return brotli.compress(data, quality=11 if len(data) <= BEST_BROTLI_MAX_BYTES else 9)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)
