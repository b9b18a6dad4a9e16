"""Page-time code: what runs while MkDocs renders a page (calculator forms, the glossary).

The figures and filters themselves are registered by ``macros/__init__.py``; the
build-time side (packing the runtime, the bundle, host configuration) is ``macros/hooks``.
"""
