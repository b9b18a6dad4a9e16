"""Build-time code: what runs around the page rendering, never inside a page.

Named ``hooks``, not ``build``: many tools and ignore-file templates treat a folder
called ``build`` as output (Black skips it, GitHub's Python .gitignore ignores it).

- ``finish.py``: the build's own work, one step on a built site folder whatever generator
  made it (``python -m macros.hooks.finish SITE_DIR``): settings and brand, page script,
  runtime, wheel, bytecode, snapshot, header policy, robots.txt, the offline copy.
- ``mkdocs_hook.py``: MkDocs hook (ProperDocs runs it too); calls ``finish.py``.
- ``dev_server.py``: MkDocs hook for ``mkdocs serve``: fresh modules, a failed build's error.
- ``settings.py``: every setting and switch, checked.
- ``brand.py``: the publisher's colours as ``brand.css``.
- ``site_assets.py``: the calculators' wheel, the Pyodide runtime, the bytecode and the memory
  snapshot, content-hashed and precompressed. Its Node steps: ``pyodide_calculators.mjs``
  (starts Pyodide with the calculators), ``pyodide_bytecode.mjs`` and ``pyodide_snapshot.mjs``.
- ``page_script.py``: the calculators' page script, from its parts and the contract.
- ``hosting.py``: the header policy, ``_headers``, ``robots.txt`` and the nginx
  configuration (command line: ``python -m macros.hosting``).
- ``bundle.py``: the offline copy (``make bundle``), with ``offline.py``: the runtime
  as HTML documents for pages opened from disk.
- ``download.py``: the site's own offline copy, linked from every footer.

Page-time code lives in ``macros/page``.
"""
