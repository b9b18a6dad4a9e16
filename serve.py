"""Serve a built site on 127.0.0.1 with the right types for Pyodide's files.

Usage: python3 serve.py [--port 8000] [DIRECTORY]   (standard library only)

With no DIRECTORY it serves ./site if that holds a built site (the project), else the
folder this file is in (the unzipped offline copy, where it ships as the launcher).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

# Only this origin; WebAssembly compilation for Pyodide; no inline script or style,
# no plugins, no framing by other sites. Workers get it too, from their own response.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])


class SiteHandler(SimpleHTTPRequestHandler):
    # Module workers and WebAssembly streaming refuse files served with other types.
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".whl": "application/zip",
        ".zip": "application/zip",
        ".json": "application/json",
    }

    def send_head(self):
        """Send FILE.br or FILE.gz, written by the site build, to a browser that accepts it."""
        path = self.translate_path(self.path)
        accepted = {token.split(";")[0].strip()
                    for token in self.headers.get("Accept-Encoding", "").split(",")}
        if os.path.isfile(path):
            for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
                if encoding in accepted and os.path.isfile(path + suffix):
                    packed = open(path + suffix, "rb")  # noqa: SIM115 - the caller closes it
                    size = os.fstat(packed.fileno()).st_size
                    self.send_response(200)
                    self.send_header("Content-Type", self.guess_type(path))
                    self.send_header("Content-Encoding", encoding)
                    self.send_header("Content-Length", str(size))
                    self.send_header("Vary", "Accept-Encoding")
                    self.end_headers()
                    return packed
        return super().send_head()

    def end_headers(self) -> None:
        # Runtime files live in content-hashed folders: their address changes with them.
        immutable = self.path.startswith(("/assets/pyodide/", "/assets/python/"))
        self.send_header(
            "Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-cache"
        )
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        if not getattr(self.server, "quiet", False):
            super().log_message(format, *args)


def make_server(directory: Path, port: int, quiet: bool = False,
                handler_class: type[SiteHandler] = SiteHandler) -> ThreadingHTTPServer:
    handler = functools.partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.quiet = quiet  # type: ignore[attr-defined]
    return server


def default_directory() -> Path:
    project_site = Path("site")
    if (project_site / "index.html").is_file():
        return project_site
    return Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=None,
                        help="built site (default: ./site, else this file's folder)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    args = parser.parse_args(argv)
    directory = args.directory or default_directory()
    if not (directory / "index.html").is_file():
        parser.error(f"{directory} has no index.html: build the site first (make serve does)")
    if not 0 < args.port < 65536:
        parser.error("--port must be from 1 to 65535")
    try:
        server = make_server(directory, args.port)
    except OSError as error:
        parser.error(f"cannot listen on 127.0.0.1:{args.port}: {error.strerror}")
    print(f"Serving {directory} at http://127.0.0.1:{args.port}/ : open that address in your "
          "browser (Ctrl+C to stop)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
