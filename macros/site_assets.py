"""MkDocs hooks: put the browser runtime into the built site.

- Builds the calculators into a py3-none-any wheel before pages render, so the
  pages can name it, and copies it into the site after the build.
- Copies the Pyodide runtime from the pinned npm package (node_modules/pyodide):
  the site serves it from its own origin, never from a CDN.
- Both go into folders named by a hash of their content, so a changed limits file
  or runtime gets a new address and long cache lifetimes are safe.
- Copies the iframe-worker shim (npm, pinned) that lets Material's search run
  from an offline copy opened from disk.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from flit_core.wheel import make_wheel_in
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
PYODIDE_DIR = NODE_MODULES / "pyodide"
# The runtime files loadPyodide fetches; nothing else from the package is served.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")
SEARCH_SHIM = NODE_MODULES / "iframe-worker" / "shim" / "index.js"
SEARCH_SHIM_SITE_PATH = "assets/javascripts/iframe-worker-shim.js"

_build_dir = Path(tempfile.mkdtemp(prefix="calculators-wheel-"))
_copies: dict[Path, str] = {}  # source file -> path in the site


def build_wheel(out_dir: Path) -> Path:
    """Build the calculators wheel into out_dir; same sources give the same bytes."""
    # A fixed timestamp makes the wheel reproducible, so its bytes change only with its content.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "315532800")
    out_dir.mkdir(parents=True, exist_ok=True)
    return Path(make_wheel_in(ROOT / "pyproject.toml", out_dir).file)


def content_hash(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def on_config(config):
    missing = [p for p in [*(PYODIDE_DIR / n for n in PYODIDE_FILES), SEARCH_SHIM] if not p.is_file()]
    if missing:
        raise PluginError(
            f"Browser runtime not found (missing {', '.join(str(p) for p in missing)}): "
            "run `npm ci` (make serve and make test do it for you)."
        )
    for stale in _build_dir.glob("*.whl"):
        stale.unlink()
    wheel = build_wheel(_build_dir)
    wheel_path = f"assets/python/{content_hash([wheel])}/{wheel.name}"
    runtime = [PYODIDE_DIR / name for name in PYODIDE_FILES]
    runtime_dir = f"assets/pyodide/{content_hash(runtime)}"
    _copies.clear()
    _copies[wheel] = wheel_path
    _copies.update({path: f"{runtime_dir}/{path.name}" for path in runtime})
    _copies[SEARCH_SHIM] = SEARCH_SHIM_SITE_PATH
    config.extra["calculator_wheel"] = wheel_path
    config.extra["pyodide_module"] = f"{runtime_dir}/pyodide.mjs"
    return config


def on_post_build(config):
    site = Path(config.site_dir)
    for source, target in _copies.items():
        (site / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, site / target)
