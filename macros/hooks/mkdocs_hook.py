"""MkDocs hook (ProperDocs runs it too): the build's own work, macros/hooks/finish.py, on the
site MkDocs has just built. Thin on purpose: Zensical runs no hook, so nothing the site needs
may live here (finish.py says why the pages get their names after they are made).

Before any page renders, the settings are checked, so a bad one stops the build at once
with one line naming it, and the site's address takes its final "/" (settings.py);
`mkdocs serve` keeps its own http:// address.
"""

from __future__ import annotations

import sys
from pathlib import Path

# MkDocs loads a hook with only its own folder on the path; the project's modules are needed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from macros.hooks.finish import check_settings, finish_site
from macros.hooks.site_assets import check_runtime


def on_config(config):
    config.site_url = check_settings(config).site_url
    check_runtime()
    return config


def on_post_build(config):
    finish_site(Path(config.site_dir), config)
