"""Build-time code: what runs around the page rendering, never inside a page.

The MkDocs hook that packs the calculators' wheel, the Pyodide runtime, the bytecode
and the memory snapshot into the site (``site_assets.py``, with its Node scripts),
and the offline bundle (``bundle.py``). Page-time code lives in ``macros/page``.
"""
