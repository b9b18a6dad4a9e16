"""Serve a built site on 127.0.0.1 with the right types for Pyodide's files.

Usage: python3 serve.py [--port 8000] [DIRECTORY]   (standard library only)

With no DIRECTORY it serves ./site if that holds a built site (the project), else the
folder this file is in (the unzipped offline copy, where it ships as the launcher).
The headers (security, cache) are the site's own `_headers` file, written by the build
from the project's one header policy (macros/hooks/hosting.py), read as Netlify and
Cloudflare Pages read it: every rule whose path matches applies.

In the offline copy, the Python runtime's files are only in the parts that pages opened
from disk load (assets/offline/*.html, made by macros/hooks/offline.py): a request for one
of them is answered from those parts, as gzip where they hold it so (every browser takes gzip).
A folder without an index.html gets the site's 404 page, never a listing of its files.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import functools
import gzip
import io
import json
import os
import re
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

HeaderRules = list[tuple[re.Pattern[str], list[tuple[str, str]]]]


def read_header_rules(text: str) -> HeaderRules:
    """The rules of a _headers file: a path pattern line (`*` matches anything), then
    indented `Name: value` lines; `#` starts a comment."""
    rules: HeaderRules = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            pattern = "".join(".*" if part == "*" else re.escape(part)
                              for part in re.split(r"(\*)", line.strip()))
            rules.append((re.compile(pattern), []))
        elif rules:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(rules: HeaderRules, url_path: str) -> dict[str, str]:
    """Every matching rule's headers; a header set by two rules gets both values."""
    headers: dict[str, str] = {}
    for pattern, pairs in rules:
        if pattern.fullmatch(url_path):
            for name, value in pairs:
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


# Types by file ending: every ending in the built site (a test checks). The one list: nginx's
# configuration (macros/hooks/hosting.py) takes it from here, as this file must stay
# standard-library only (it is the offline copy's launcher). Module workers and WebAssembly
# streaming refuse files served with other types.
CONTENT_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".xml": "text/xml",
    ".txt": "text/plain",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/vnd.microsoft.icon",
    ".snapshot": "application/octet-stream",
}


# The offline copy's parts (macros/hooks/offline.py): HTML documents, each with one inline
# script that posts its content to the page that loaded it in a hidden frame, as
# {OFFLINE_CALLBACK: content}; the manifest lists them. Defined here, as this file must stay
# standard-library only; macros/contract.py gives them to the page script from here.
OFFLINE_MANIFEST = "assets/offline/manifest.html"
OFFLINE_CALLBACK = "MBR_OFFLINE"
PART_START = f'<!doctype html><meta charset="utf-8"><script>parent.postMessage({{"{OFFLINE_CALLBACK}":'
PART_END = '}, "*");</script>\n'


def part_document(content: dict) -> str:
    """An offline part: the HTML document that posts `content` to its parent. JSON is a JS
    expression; with every `<` escaped, nothing in it can end or confuse the script."""
    return PART_START + json.dumps(content).replace("<", "\\u003c") + PART_END


class MissingPart(Exception):
    """A script the offline copy's manifest lists is not in the folder: the message names it."""


def script_content(text: str) -> dict:
    """What an offline copy's part hands to the page (part_document's content)."""
    if not (text.startswith(PART_START) and text.endswith(PART_END)):
        raise ValueError("not a part of the offline copy (an HTML document that posts "
                         f"{{{OFFLINE_CALLBACK}: …}} to its parent)")
    return json.loads(text[len(PART_START):-len(PART_END)])


class OfflineParts:
    """The site files the offline copy holds only in its scripts, by URL path (e.g.
    /assets/pyodide/…/pyodide.asm.wasm): each is the scripts' base64 chunks, joined."""

    def __init__(self, directory: Path):
        self.directory = Path(directory).resolve()
        self.sources: dict[str, list[str]] = {}  # URL path -> its scripts, in order
        self.loaded: dict[str, tuple[bytes, bool]] = {}
        manifest = self.directory / OFFLINE_MANIFEST
        if manifest.is_file():
            for part in script_content(manifest.read_text(encoding="utf-8"))["parts"]:
                if part.get("path"):
                    self.sources.setdefault("/" + part["path"], []).append(part["src"])

    def read(self, url_path: str) -> tuple[bytes, bool] | None:
        """(the file's bytes, whether gzipped), or None if the scripts do not hold it."""
        if url_path not in self.sources:
            return None
        if url_path not in self.loaded:
            chunks = []
            for src in self.sources[url_path]:
                script = (self.directory / src).resolve()
                if not script.is_relative_to(self.directory) or not script.is_file():
                    raise MissingPart(f"this copy lacks the file {src}; unzip the whole copy again")
                try:
                    chunks.append(script_content(script.read_text(encoding="utf-8")))
                except (ValueError, UnicodeDecodeError):
                    raise MissingPart(f"this copy's file {src} is damaged; unzip the whole "
                                      "copy again") from None
            chunks.sort(key=lambda chunk: chunk["chunk"])
            try:
                data = base64.b64decode("".join(chunk["base64"] for chunk in chunks), validate=True)
            except ValueError:
                raise MissingPart(f"this copy's files for {url_path} are damaged; unzip the "
                                  "whole copy again") from None
            self.loaded[url_path] = (data, chunks[0]["gzip"])
        return self.loaded[url_path]


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def send_head(self):
        """Send FILE.br or FILE.gz, written by the site build, to a browser that accepts it;
        a file the offline copy holds in its scripts, from them."""
        path = self.translate_path(self.path)
        accepted = {token.split(";")[0].strip()
                    for token in self.headers.get("Accept-Encoding", "").split(",")}
        if not os.path.exists(path):
            url_path = "/" + Path(os.path.relpath(path, self.directory)).as_posix()
            try:
                held = self.server.offline.read(url_path)
            except MissingPart as missing:
                self.log_error("%s", missing)
                held = None
            if held:
                return self.send_held(path, *held, "gzip" in accepted)
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

    def send_held(self, path: str, data: bytes, gzipped: bool, takes_gzip: bool):
        if gzipped and not takes_gzip:
            data, gzipped = gzip.decompress(data), False
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(data)

    def list_directory(self, path):
        """A folder without an index.html: the site's 404 page, not a listing of its files,
        which no host of the site sends (nginx without autoindex refuses it too, with 403)."""
        self.send_error(404)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        """A missing file gets the site's own 404 page, as nginx and the static hosts send it."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self) -> None:
        url_path = unquote(urlsplit(self.path).path)
        for name, value in headers_for(self.server.header_rules, url_path).items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        if not getattr(self.server, "quiet", False):
            super().log_message(format, *args)


def make_server(directory: Path, port: int, quiet: bool = False,
                handler_class: type[SiteHandler] = SiteHandler) -> ThreadingHTTPServer:
    """A server of the built site in `directory`, with the headers of its _headers file."""
    handler = functools.partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.quiet = quiet  # type: ignore[attr-defined]
    server.offline = OfflineParts(directory)  # type: ignore[attr-defined]
    server.header_rules = read_header_rules(  # type: ignore[attr-defined]
        (Path(directory) / "_headers").read_text(encoding="utf-8"))
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
    if not (directory / "index.html").is_file() or not (directory / "_headers").is_file():
        parser.error(f"{directory} has no index.html and _headers: build the site first "
                     "(make serve does)")
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
