"""Build-time code: what runs around the page rendering, never inside a page.

Named ``hooks``, not ``build``: many tools and ignore-file templates treat a folder
called ``build`` as output (Black skips it, GitHub's Python .gitignore ignores it).

- ``brand.py``: MkDocs hook; the publisher's colours as ``brand.css``, checked for contrast.
- ``site_assets.py``: MkDocs hook; packs the calculators' wheel, the Pyodide runtime, the
  bytecode and the memory snapshot into the site, content-hashed and precompressed.
  Its Node steps: ``pyodide_calculators.mjs`` (starts Pyodide with the calculators),
  ``pyodide_bytecode.mjs`` and ``pyodide_snapshot.mjs``.
- ``hosting.py``: MkDocs hook and command line; the header policy, ``_headers``,
  ``robots.txt`` and the nginx configuration.
- ``bundle.py``: the offline copy (``make bundle``), with ``offline.py``: the runtime
  as HTML documents for pages opened from disk.
- ``download.py``: MkDocs hook, last; the site's own offline copy, linked from every footer.

Page-time code lives in ``macros/page``.
"""
