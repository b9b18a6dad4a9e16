"""MkDocs hooks: put the browser runtime into the built site.

- Builds the calculators into a py3-none-any wheel before pages render, so the
  pages can name it, and copies it into the site after the build.
- Copies the Pyodide runtime from the pinned npm package (node_modules/pyodide):
  the site serves it from its own origin, never from a CDN.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from flit_core.wheel import make_wheel_in
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
# The runtime files loadPyodide fetches; nothing else from the package is served.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")
WHEEL_DIR = "assets/python"
PYODIDE_SITE_DIR = "assets/pyodide"

_build_dir = Path(tempfile.mkdtemp(prefix="calculators-wheel-"))


def build_wheel(out_dir: Path) -> Path:
    """Build the calculators wheel into out_dir; same sources give the same bytes."""
    # A fixed timestamp makes the wheel reproducible, so its bytes change only with its content.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "315532800")
    out_dir.mkdir(parents=True, exist_ok=True)
    return Path(make_wheel_in(ROOT / "pyproject.toml", out_dir).file)


def on_config(config):
    for stale in _build_dir.glob("*.whl"):
        stale.unlink()
    wheel = build_wheel(_build_dir)
    config.extra["calculator_wheel"] = f"{WHEEL_DIR}/{wheel.name}"
    return config


def on_post_build(config):
    site = Path(config.site_dir)
    missing = [name for name in PYODIDE_FILES if not (PYODIDE_DIR / name).is_file()]
    if missing:
        raise PluginError(
            f"Pyodide runtime not found in {PYODIDE_DIR} (missing {', '.join(missing)}): "
            "run `npm ci` (make serve and make test do it for you)."
        )
    target = site / PYODIDE_SITE_DIR
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copy2(PYODIDE_DIR / name, target / name)
    wheels = site / WHEEL_DIR
    wheels.mkdir(parents=True, exist_ok=True)
    for wheel in _build_dir.glob("*.whl"):
        shutil.copy2(wheel, wheels / wheel.name)
