"""MkDocs hook for the authoring loop (`mkdocs serve`, make dev): every rebuild uses the
files as they are now, and a failed one shows its error in the browser.

- Before each build, the project's modules (calculators, macros) imported by the last
  build are forgotten, so an edited calculator or limits file is imported afresh and the
  page text, the pre-rendered results and the wheel all come from the files as they are.
  The project folder goes first on the path, so plain `mkdocs build` finds them too.
- A failed rebuild replaces the site with one page naming the error (see on_serve).
"""

from __future__ import annotations

import logging
import sys
import traceback
from html import escape
from pathlib import Path

from mkdocs import utils
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger("mkdocs.hooks.dev_server")  # MkDocs prints its own loggers' lines


@event_priority(110)  # before site_assets.py (100) reads the limits file
def on_config(config):
    if sys.path[:1] != [str(ROOT)]:
        sys.path.insert(0, str(ROOT))
    for name in [n for n in sys.modules if n.split(".")[0] in ("calculators", "macros")]:
        del sys.modules[name]
    return config


def on_serve(server, config, builder):
    """Under `mkdocs serve`, a failed rebuild leaves a page that shows its error.

    MkDocs would otherwise keep the last good site and hold every request until a build
    succeeds. Instead the site folder is emptied and its 404 page, which the server
    sends for any address, names the error; it reloads itself until a build succeeds.
    """
    site = Path(config.site_dir)

    def build_or_show_error(config=None):
        try:
            builder(config)
        except Exception as error:  # any failure must replace the stale site
            show_build_error(site, error)
            # Returning normally lets the server send the error page and reload open pages.

    server.builder = build_or_show_error
    return server


def show_build_error(site: Path, error: Exception) -> None:
    """Replace the built site by one page naming the error."""
    if isinstance(error, Abort) and isinstance(error.__context__, MkDocsException):
        error = error.__context__  # "Aborted with a BuildError!" hides the message
    if isinstance(error, MkDocsException):
        message = str(error)  # MkDocs has logged it
    else:  # a bug, not a bad input: the traceback helps whoever fixes it
        traceback.print_exception(error)
        message = f"{type(error).__name__}: {error}"
    log.error("The build failed: the site shows its error until a build succeeds.")
    utils.clean_directory(str(site))
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        # Tries again every 2 seconds: the next good build replaces this page.
        '<meta http-equiv="refresh" content="2"><title>Build failed</title></head>'
        f"<body><h1>The site did not build</h1><pre>{escape(message)}</pre>"
        "<p>Fix the error; this page reloads when the site builds again.</p></body></html>"
    )
    for name in ("404.html", "index.html"):
        (site / name).write_text(page, encoding="utf-8")
