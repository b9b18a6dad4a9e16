"""The site's header policy, defined once, and what each kind of host needs from it.

The policy (HEADER_POLICY): the security headers every response carries, and the cache
rule of each class of path (pages revalidated; content-hashed runtime folders, named by
site_assets.py, kept a year as immutable; everything else a short while). From it:

- ``_headers`` in the built site (Netlify, Cloudflare Pages), which serve.py also reads,
  so the local server and the offline copy's launcher send the same policy;
- an nginx ``server {}`` block: ``python -m macros.hosting nginx --root DIR --listen ADDR``;
- a ``<meta>`` Content-Security-Policy for hosts that cannot send headers (GitHub Pages):
  build with MBR_META_CSP=1.

The build's step (macros/hooks/finish.py) checks that nginx can express the policy and
writes ``_headers`` and ``robots.txt`` into the built site.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

# The types nginx sends are serve.py's: the launcher, standard library only, cannot import this.
from macros.hooks.page_script import start_script_hash
from serve import CONTENT_TYPES

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
SHORT = "public, max-age=300"

# Only this origin; WebAssembly compilation for Pyodide; no inline script but the
# calculators' start script, by its hash (macros/hooks/page_script.py says why), no inline
# style, no plugins, no framing by other sites. Workers get it too, from their own response.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": f"'self' 'wasm-unsafe-eval' {start_script_hash()}",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}
# Browsers ignore these in a <meta> policy (CSP Level 3, section 3.3): only a header carries them.
HEADER_ONLY_DIRECTIVES = ("frame-ancestors", "report-uri", "report-to", "sandbox")


def policy_text(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {sources}" for name, sources in directives.items())


@dataclass(frozen=True)
class PathClass:
    """Paths that share a cache rule: under one of `folders` (URL paths ending in "/"), or
    ending with one of `suffixes` ("/" is a folder's index page); neither: every path."""

    name: str
    cache_control: str
    folders: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()

    def matches(self, url_path: str) -> bool:
        if self.folders:
            return url_path.startswith(self.folders)
        if self.suffixes:
            return url_path.endswith(self.suffixes)
        return True


@dataclass(frozen=True)
class HeaderPolicy:
    security: dict[str, str]
    classes: tuple[PathClass, ...]  # the first that matches a path gives its cache rule

    def cache_class(self, url_path: str) -> PathClass:
        return next(c for c in self.classes if c.matches(url_path))

    def headers_for(self, url_path: str) -> dict[str, str]:
        return {**self.security, "Cache-Control": self.cache_class(url_path).cache_control}


HEADER_POLICY = HeaderPolicy(
    security={
        "Content-Security-Policy": policy_text(CONTENT_SECURITY_POLICY),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        # frame-ancestors says the same to current browsers; this, to older ones.
        "X-Frame-Options": "SAMEORIGIN",
    },
    classes=(
        # site_assets.py names these folders by a hash of their content: a new build of
        # the runtime or the calculators gets a new address, so a year is safe.
        PathClass("content-hashed runtime", IMMUTABLE,
                  folders=("/assets/pyodide/", "/assets/python/")),
        # The offline copy (macros/hooks/download.py): its name changes with the version
        # only, and a rebuild changes its content: always ask whether it changed.
        PathClass("offline copy", REVALIDATE, folders=("/downloads/",)),
        # A page names the runtime's current folders: always ask whether it changed.
        PathClass("page", REVALIDATE, suffixes=(".html", "/")),
        PathClass("everything else", SHORT),
    ),
)

class PolicyError(ValueError):
    """A header policy or a host setting that a host configuration cannot carry."""


# --- Checks -----------------------------------------------------------------------------

HEADER_NAME = re.compile(r"[A-Za-z0-9-]+")
# Printable ASCII that needs no escaping in an nginx "quoted string" or a _headers line:
# no double quote, backslash or $ (nginx variables), no control characters.
SAFE_VALUE = re.compile(r'[ !#%&-\[\]-~]+')


def check_policy(policy: HeaderPolicy) -> None:
    """Raise PolicyError naming the first rule nginx (or _headers) cannot express as meant."""
    for name, value in [*policy.security.items(),
                        *(("Cache-Control", c.cache_control) for c in policy.classes)]:
        if not HEADER_NAME.fullmatch(name):
            raise PolicyError(f"header policy: header name {name!r} is not a valid header name")
        if not SAFE_VALUE.fullmatch(value):
            raise PolicyError(f"header policy: {name} value {value!r} has a character nginx "
                              'cannot send as written (allowed: printable ASCII but " \\ $)')
    if "Cache-Control" in policy.security:
        raise PolicyError("header policy: Cache-Control belongs to the path classes, "
                          "not the security headers")
    *specific, last = policy.classes
    if last.folders or last.suffixes:
        raise PolicyError(f"header policy: the last path class ({last.name!r}) must match "
                          "every path (no folders, no suffixes)")
    seen_suffix_class = None
    for index, path_class in enumerate(specific):
        if bool(path_class.folders) == bool(path_class.suffixes):
            raise PolicyError(f"header policy: path class {path_class.name!r} needs folders or "
                              "suffixes, not both or neither (one nginx location each)")
        for folder in path_class.folders:
            if not (folder.startswith("/") and folder.endswith("/")):
                raise PolicyError(f"header policy: folder {folder!r} of {path_class.name!r} "
                                  "must start and end with /")
            # nginx takes a folder location before any suffix (regex) location, and the
            # longest folder first; the policy takes the first class that matches.
            if seen_suffix_class:
                raise PolicyError(
                    f"header policy: folder class {path_class.name!r} comes after suffix class "
                    f"{seen_suffix_class!r}; nginx matches folders first, so list it before")
            for later in specific[index + 1:]:
                for other in later.folders:
                    if other.startswith(folder):
                        raise PolicyError(
                            f"header policy: folder {other!r} of {later.name!r} is inside "
                            f"{folder!r} of the earlier {path_class.name!r}; nginx would "
                            "take the longer one, so list it first")
        if path_class.suffixes:
            seen_suffix_class = path_class.name


# --- Renderings -------------------------------------------------------------------------

def meta_content_security_policy() -> str:
    """The policy a <meta http-equiv> tag can carry: without the header-only directives."""
    return policy_text({name: sources for name, sources in CONTENT_SECURITY_POLICY.items()
                        if name not in HEADER_ONLY_DIRECTIVES})


def site_paths(site: Path) -> list[str]:
    """The URL path of every file in a built site, without the precompressed copies."""
    return sorted("/" + p.relative_to(site).as_posix() for p in site.rglob("*")
                  if p.is_file() and p.suffix not in (".br", ".gz") and p.name != "_headers")


def headers_file(policy: HeaderPolicy, site: Path) -> str:
    """The _headers file (Netlify, Cloudflare Pages) for a built site.

    Both hosts apply every rule whose pattern matches and join the values of a header set
    twice, so the security headers go on /* and each path gets its Cache-Control from
    exactly one rule: a folder whose every file is of one class, else the file itself."""
    check_policy(policy)
    lines = ["# Generated by the site build from macros/hooks/hosting.py: edit the policy there.",
             "/*"]
    lines += [f"  {name}: {value}" for name, value in policy.security.items()]
    for pattern, path_class in _cache_rules(policy, site_paths(site), "/"):
        lines += ["", pattern, f"  Cache-Control: {path_class.cache_control}"]
    return "\n".join(lines) + "\n"


def _cache_rules(policy: HeaderPolicy, paths: list[str], folder: str):
    """(pattern, class) pairs covering `paths`, all under `folder`, without overlaps."""
    named = [c for c in policy.classes if folder in c.folders]
    if named:
        yield folder + "*", named[0]
        return
    classes = {policy.cache_class(p) for p in paths}
    holds_named = any(f.startswith(folder) for c in policy.classes for f in c.folders)
    if len(classes) == 1 and folder != "/" and not holds_named:
        yield folder + "*", classes.pop()
        return
    if folder + "index.html" in paths:
        yield folder, policy.cache_class(folder)
    subfolders: dict[str, list[str]] = {}
    for path in paths:
        rest = path[len(folder):]
        if "/" in rest:
            subfolders.setdefault(folder + rest.split("/")[0] + "/", []).append(path)
        else:
            yield path, policy.cache_class(path)
    for sub, inside in sorted(subfolders.items()):
        yield from _cache_rules(policy, inside, sub)


def nginx_server(policy: HeaderPolicy, root: Path, listen: str) -> str:
    """An nginx server {} block (for the http {} context) serving the built site at `root`."""
    check_policy(policy)
    if not SAFE_VALUE.fullmatch(str(root)):
        raise PolicyError(f"--root: {str(root)!r} has a character nginx cannot take in a path "
                          "(a quote, backslash, $ or control character)")
    types = "\n".join(f"        {kind} {' '.join(s[1:] for s, k in CONTENT_TYPES.items() if k == kind)};"
                      for kind in dict.fromkeys(CONTENT_TYPES.values()))
    out = [
        "# Generated by `python -m macros.hosting nginx` from macros/hooks/hosting.py.",
        "# Put it in nginx's http {} context (Debian: /etc/nginx/sites-enabled/). Needs the",
        "# brotli static module (Debian: libnginx-mod-http-brotli-static).",
        "server {",
        f"    listen {listen};",
        f'    root "{root}";',
        "    index index.html;",
        "    charset utf-8;",
        "    # The site's own types: a module worker (.mjs) and WebAssembly need theirs.",
        "    types {",
        types,
        "    }",
        "    default_type application/octet-stream;",
        "    # The kernel sends the files (as Debian's nginx.conf also sets for every site).",
        "    sendfile on;",
        "    tcp_nopush on;",
        "    # The build wrote FILE.br and FILE.gz beside each file that compresses.",
        "    brotli_static on;",
        "    gzip_static on;",
        "    gzip_vary on;",
        "    gzip_proxied any;",
        "    server_tokens off;",
        "    error_page 404 /404.html;",
        "    # nginx drops a server's add_header lines in any location that has its own, so",
        "    # each location lists every header; `always` puts them on the 404 page too.",
    ]
    for path_class in policy.classes:
        if path_class.folders:
            matches = [f"^~ {folder}" for folder in path_class.folders]
        elif path_class.suffixes:
            ends = "|".join(re.escape(s) for s in path_class.suffixes)
            matches = [f'~ "({ends})$"']
        else:
            matches = ["/"]
        headers = {**policy.security, "Cache-Control": path_class.cache_control}
        out += [f"    # {path_class.name}"]
        for match in matches:
            out += [f"    location {match} {{"]
            out += [f'        add_header {name} "{value}" always;' for name, value in headers.items()]
            out += ["    }"]
    return "\n".join([*out, "}"]) + "\n"


def robots_txt(site_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n"


# --- Command line -----------------------------------------------------------------------

LISTEN = re.compile(r"(?:(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})")


class OneLineErrors(argparse.ArgumentParser):
    """Bad arguments get one line naming the argument, not the usage text too."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def main(argv: list[str]) -> int:
    parser = OneLineErrors(
        prog="python -m macros.hosting",
        description="Host configuration for a built site, from the header policy.")
    commands = parser.add_subparsers(dest="command", required=True)
    nginx = commands.add_parser("nginx", help="print an nginx server {} block for the site")
    nginx.add_argument("--root", required=True, type=Path,
                       help="the built site folder, as nginx will find it")
    nginx.add_argument("--listen", required=True,
                       help="address and port for nginx's listen, e.g. 80 or 127.0.0.1:8080")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if not (root / "index.html").is_file() or not (root / "404.html").is_file():
        parser.error(f"--root: {args.root} has no index.html and 404.html: build the site "
                     "first (make build) and name its folder")
    listen = LISTEN.fullmatch(args.listen)
    if not listen or not 0 < int(listen.group(1)) < 65536:
        parser.error(f"--listen: {args.listen!r} is not PORT or ADDRESS:PORT with a port "
                     "from 1 to 65535 (e.g. 80, 127.0.0.1:8080, [::1]:8080)")
    try:
        print(nginx_server(HEADER_POLICY, root, args.listen), end="")
    except PolicyError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
