"""The public website on real hosts: one header policy (macros/hooks/hosting.py) and its
renderings, Debian's nginx serving the built site with the generated server block, the
meta-tag policy for hosts without headers, what search engines and link previews read,
and the publisher settings the build refuses.

nginx tests never skip: when nginx or its brotli module is missing they fail saying what
to install (make test installs them).
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import brotli
import pytest
import yaml
from mkdocs.exceptions import PluginError

from macros.hooks.bundle import write_bundle
from macros.hooks.hosting import (
    CONTENT_TYPES,
    HEADER_POLICY,
    IMMUTABLE,
    HeaderPolicy,
    PathClass,
    PolicyError,
    check_policy,
    meta_content_security_policy,
    nginx_server,
    site_paths,
)
from macros.hooks.mkdocs_hook import on_config as hosting_hook
from macros.hooks.settings import SettingsError, check_contact, check_site_url
from serve import headers_for, read_header_rules

from .helpers import (
    DOWNLOADED,
    FROM_SNAPSHOT,
    ROOT,
    answer,
    build_site,
    copy_project,
    free_port,
    link,
    marked,
    require,
    runtime_file,
    serve_site,
    site_pages,
    wait_marked,
    wait_output,
    wait_ready,
)

NGINX = "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
SITE_URL = CONFIG["site_url"]
PAGE = "how-to.html"


@contextlib.contextmanager
def serve_with_nginx(site: Path, workdir: Path) -> Iterator[str]:
    """Debian's nginx serving a built site with the generated server block on a free
    loopback port, everything it writes under `workdir`; yields its address, ending in /."""
    require(NGINX, "nginx (Debian package nginx)")
    require(str(BROTLI_MODULE), "nginx's brotli module (Debian package libnginx-mod-http-brotli-static)")
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (workdir / "site.conf").write_text(nginx_server(HEADER_POLICY, site, f"127.0.0.1:{port}"))
    temp_paths = "\n".join(f"    {kind}_temp_path {workdir}/{kind};"
                           for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (workdir / "nginx.conf").write_text(f"""\
load_module {BROTLI_MODULE};
# Root runs the tests in containers: the workers then read the test's own folders.
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
{temp_paths}
    include {workdir}/site.conf;
}}
""")
    process = subprocess.Popen([NGINX, "-p", str(workdir), "-e", str(workdir / "error.log"),
                                "-c", str(workdir / "nginx.conf"), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                pytest.fail(f"nginx did not start: {process.stderr.read()}", pytrace=False)
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if time.monotonic() > deadline:
                pytest.fail("nginx did not open its port within 10 s", pytrace=False)
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def nginx_url(built_site, tmp_path_factory):
    with serve_with_nginx(built_site, tmp_path_factory.mktemp("nginx")) as url:
        yield url


def fetch(url: str, encodings: str | None = None, method: str = "GET"):
    """(status, headers, body) of a response, errors included, body as sent."""
    request = urllib.request.Request(url, method=method)
    if encodings is not None:
        request.add_header("Accept-Encoding", encodings)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def media_type(headers) -> str:
    return headers["Content-Type"].split(";")[0].strip()


# --- The definition and its renderings ----------------------------------------------------


def test_the_policy_is_one_nginx_can_express():
    check_policy(HEADER_POLICY)
    assert HEADER_POLICY.cache_class("/how-to.html").cache_control == "no-cache"
    assert HEADER_POLICY.cache_class("/").cache_control == "no-cache"
    assert HEADER_POLICY.cache_class("/assets/pyodide/abc/pyodide.asm.wasm").cache_control == IMMUTABLE
    assert HEADER_POLICY.cache_class("/javascripts/calculators.js").cache_control == "public, max-age=300"


@pytest.mark.parametrize(
    ("policy", "says"),
    [
        (HeaderPolicy({"X-Test": "a$b"}, (PathClass("all", "no-cache"),)),
         "X-Test value 'a$b' has a character nginx cannot send"),
        (HeaderPolicy({"X-Test": 'say "hi"'}, (PathClass("all", "no-cache"),)),
         "X-Test value"),
        (HeaderPolicy({"Cache-Control": "no-store"}, (PathClass("all", "no-cache"),)),
         "Cache-Control belongs to the path classes"),
        (HeaderPolicy({}, (PathClass("pages", "no-cache", suffixes=(".html",)),)),
         "the last path class ('pages') must match every path"),
        # nginx takes a ^~ folder location before any regex location, whatever the order.
        (HeaderPolicy({}, (PathClass("pages", "no-cache", suffixes=(".html",)),
                           PathClass("runtime", IMMUTABLE, folders=("/assets/",)),
                           PathClass("all", "no-cache"))),
         "folder class 'runtime' comes after suffix class 'pages'"),
        # nginx takes the longest folder; the policy, the first class.
        (HeaderPolicy({}, (PathClass("assets", "max-age=60", folders=("/assets/",)),
                           PathClass("runtime", IMMUTABLE, folders=("/assets/pyodide/",)),
                           PathClass("all", "no-cache"))),
         "folder '/assets/pyodide/' of 'runtime' is inside '/assets/'"),
        (HeaderPolicy({}, (PathClass("both", "no-cache", folders=("/a/",), suffixes=(".html",)),
                           PathClass("all", "no-cache"))),
         "path class 'both' needs folders or suffixes, not both"),
    ],
    ids=["dollar", "quote", "cache-in-security", "no-catch-all", "suffix-before-folder",
         "nested-folder", "folder-and-suffix"],
)
def test_a_policy_nginx_cannot_express_is_refused_naming_the_rule(policy, says, tmp_path):
    with pytest.raises(PolicyError, match=re.escape(says)):
        nginx_server(policy, tmp_path, "8080")


def test_headers_file_gives_every_file_exactly_the_policys_headers(built_site):
    # Read as Netlify and Cloudflare Pages read it (serve.py's reader): every matching rule
    # applies and a header set twice gets both values, so one stray overlap shows here.
    rules = read_header_rules((built_site / "_headers").read_text())
    paths = [*site_paths(built_site), "/"]
    assert len(paths) > 50
    for path in paths:
        assert headers_for(rules, path) == HEADER_POLICY.headers_for(path), path


def test_the_runtime_folders_the_pages_name_are_the_policys_immutable_ones(built_site):
    # site_assets.py names the folders; the policy must cache what it names for a year.
    html = (built_site / PAGE).read_text()
    named = re.findall(r'data-(?:pyodide|stdlib|wheel|bytecode|snapshot)="([^"]+)"', html)
    assert len(named) == 5
    for path in named:
        assert HEADER_POLICY.cache_class("/" + path).cache_control == IMMUTABLE, path


def test_every_kind_of_file_in_the_site_has_its_type(built_site):
    suffixes = {Path(p).suffix for p in site_paths(built_site)}
    assert suffixes <= set(CONTENT_TYPES), suffixes - set(CONTENT_TYPES)


def test_nginx_and_serve_py_send_the_policy_and_the_same_types_for_every_file(
        built_site, nginx_url, site_url):
    for path in [*site_paths(built_site), "/"]:
        expected = HEADER_POLICY.headers_for(path)
        kind = CONTENT_TYPES[Path(path).suffix or ".html"]
        for server in (nginx_url, site_url):
            status, headers, _ = fetch(server + path.lstrip("/"), method="HEAD")
            assert status == 200, (server, path)
            for name, value in expected.items():
                assert headers.get_all(name) == [value], (server, path, name)
            assert media_type(headers) == kind, (server, path)


# --- nginx ------------------------------------------------------------------------------


def test_nginx_sends_the_runtime_brotli_or_gzip_and_immutable(built_site, nginx_url):
    for name, kind in (("pyodide.asm.wasm", "application/wasm"), ("pyodide.mjs", "text/javascript")):
        path = runtime_file(built_site, name)
        original = (built_site / path).read_bytes()
        for accepts, encoding, decode in (("gzip, deflate, br", "br", brotli.decompress),
                                          ("gzip", "gzip", gzip.decompress),
                                          ("identity", None, bytes)):
            status, headers, body = fetch(nginx_url + path, accepts)
            assert status == 200
            assert headers["Content-Encoding"] == encoding, (name, accepts)
            assert decode(body) == original
            assert media_type(headers) == kind
            assert headers["Cache-Control"] == IMMUTABLE
            if encoding:
                assert headers["Vary"] == "Accept-Encoding"


def test_nginx_revalidates_pages_and_sends_them_compressed(nginx_url):
    status, headers, body = fetch(nginx_url + PAGE, "br")
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    assert headers["Content-Encoding"] == "br"
    assert b'data-calculator="after-tax-space"' in brotli.decompress(body)


def test_a_missing_page_gets_the_sites_404_page_and_status(built_site, nginx_url, site_url):
    for server in (nginx_url, site_url):
        status, headers, body = fetch(server + "no/such/page.html", "identity")
        assert status == 404
        assert body == (built_site / "404.html").read_bytes()
        assert media_type(headers) == "text/html"
        for name, value in HEADER_POLICY.security.items():
            assert headers[name] == value


def test_nginx_serves_robots_txt_naming_the_sitemap(nginx_url):
    status, headers, body = fetch(nginx_url + "robots.txt")
    assert status == 200 and media_type(headers) == "text/plain"
    assert f"Sitemap: {SITE_URL}sitemap.xml" in body.decode()


def collect_violations(page) -> list[str]:
    """CSP violations the page (console, including its worker's) and its DOM report."""
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.add_init_script("""addEventListener('securitypolicyviolation', (e) =>
        console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));""")
    return violations


def live_result(new_page, url: str):
    """Opens the calculator page, changes an input, waits for the live answer; returns the
    page and the CSP violations seen so far."""
    page = new_page()
    violations = collect_violations(page)
    page.goto(url + PAGE)
    wait_ready(page)
    page.fill("#after-tax-space-employer_contributions", "10000")
    # 415(c) - 402(g) - 10,000 in the site year (2026: 72,000 - 24,500 - 10,000 = 37,500)
    wait_output(page, "after_tax_room", answer({"employer_contributions": 10000}))
    return page, violations


def test_under_nginx_a_calculator_is_live_and_the_next_visit_starts_from_the_snapshot(
        new_page, nginx_url):
    page, violations = live_result(new_page, nginx_url)
    assert not violations, violations
    wait_marked(page, DOWNLOADED)
    # The next visit, by a scenario link: Python from the snapshot the first one kept.
    inputs = {"year": "2025", "age": "55", "compensation": "250000", "elective_deferrals": "31000",
              "employer_contributions": "10000"}
    page.goto(nginx_url + "index.html")  # away first: the same page with a new "#" is no visit
    page.goto(nginx_url + PAGE + link("after-tax-space", inputs))
    wait_ready(page)
    assert marked(page, FROM_SNAPSHOT)
    # Worked example B, 2025: 70,000 - (31,000 - 7,500 catch-up) - 10,000 = 36,500
    wait_output(page, "after_tax_room", "$36,500")
    assert page.input_value("#after-tax-space-age") == "55"
    assert not violations, violations


# --- Search engines and link previews ---------------------------------------------------


def meta(html: str, attribute: str, name: str) -> str | None:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return unescape(match.group(1)) if match else None


def test_site_url_is_a_valid_https_address_in_mkdocs_yml():
    assert check_site_url(SITE_URL) == SITE_URL


def test_sitemap_lists_every_page_by_its_absolute_address(built_site):
    listed = re.findall(r"<loc>([^<]+)</loc>", (built_site / "sitemap.xml").read_text())
    pages = [name for name in site_pages(built_site) if name != "404.html"]
    assert sorted(listed) == sorted(SITE_URL + name for name in pages)
    robots = (built_site / "robots.txt").read_text()
    assert re.search(rf"^Sitemap: {re.escape(SITE_URL)}sitemap\.xml$", robots, re.M)


def test_every_page_has_its_canonical_address_and_link_preview_tags(built_site):
    description = CONFIG["site_description"]
    for name in site_pages(built_site):
        if name == "404.html":
            continue
        html = (built_site / name).read_text()
        assert f'<link rel="canonical" href="{SITE_URL}{name}">' in html, name
        assert meta(html, "property", "og:url") == SITE_URL + name
        title = meta(html, "property", "og:title")
        assert title and meta(html, "name", "twitter:title") == title
        page_description = meta(html, "name", "description")
        assert page_description
        assert meta(html, "property", "og:description") == page_description
        assert meta(html, "name", "twitter:description") == page_description
        assert meta(html, "name", "twitter:card") == "summary"
        if name != "index.html":
            assert title != CONFIG["site_name"], name
    # A page without a description of its own (the 404 page) gets the site's.
    assert meta((built_site / "404.html").read_text(), "name", "description") == description


# Each page's own description, distinct from the others: tests/test_page_content.py.


# --- Publisher settings the build refuses -------------------------------------------------


@pytest.mark.parametrize("value", ["https://guide.example.org", "https://a.example/guide/"])
def test_good_site_addresses_are_taken_with_a_closing_slash(value):
    assert check_site_url(value).endswith("/")


@pytest.mark.parametrize("value", [None, "", "http://guide.example.org/", "guide.example.org",
                                   "https:///x", "https://u:p@guide.example.org/",
                                   "https://guide.example.org/?x=1"])
def test_bad_site_addresses_are_refused_naming_the_setting(value):
    with pytest.raises(SettingsError, match=r"^mkdocs\.yml site_url: "):
        check_site_url(value)


@pytest.mark.parametrize("value", ["mailto:guide@example.org", "https://example.com/contact", None])
def test_good_contacts_are_taken(value):
    check_contact(value)


@pytest.mark.parametrize("value", ["javascript:alert(1)", "http://example.com/c", "mailto:nobody",
                                   "guide@example.org", "https://"])
def test_bad_contacts_are_refused_naming_the_setting(value):
    with pytest.raises(SettingsError, match=r"^mkdocs\.yml extra\.publisher\.contact_url: "):
        check_contact(value)


def hook_config(site_url: str) -> SimpleNamespace:
    """What the hook reads of MkDocs's config, with `mkdocs serve`'s default address."""
    return SimpleNamespace(site_url=site_url, site_name=CONFIG["site_name"],
                           extra={"publisher": {}, "brand": CONFIG["extra"]["brand"]},
                           dev_addr=SimpleNamespace(host="127.0.0.1", port=8000))


def test_mkdocs_serve_may_put_its_own_address_in_site_url():
    # `mkdocs serve` sets site_url to where it serves before the hooks see the config.
    assert hosting_hook(hook_config("http://127.0.0.1:8000/")).site_url == "http://127.0.0.1:8000/"
    with pytest.raises(PluginError, match=re.escape("mkdocs.yml site_url: 'http://127.0.0.1:9000/'")):
        hosting_hook(hook_config("http://127.0.0.1:9000/"))


def edit_file(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("name", "old", "new", "env", "says"),
    [
        ("mkdocs.yml", f"site_url: {SITE_URL}\n", "", {}, "mkdocs.yml site_url: missing"),
        ("mkdocs.yml", f"site_url: {SITE_URL}", "site_url: http://guide.example.org/", {},
         "mkdocs.yml site_url: 'http://guide.example.org/' is not an absolute https:// address"),
        ("mkdocs.yml", "contact_url: mailto:guide@example.org", "contact_url: javascript:alert(1)",
         {}, "mkdocs.yml extra.publisher.contact_url: 'javascript:alert(1)' is neither"),
        ("macros/hooks/hosting.py", '"X-Frame-Options": "SAMEORIGIN"',
         '"X-Frame-Options": "SAMEORIGIN $host"', {},
         "header policy: X-Frame-Options value 'SAMEORIGIN $host' has a character nginx cannot send"),
        ("mkdocs.yml", "", "", {"MBR_META_CSP": "yes"}, "MBR_META_CSP: 'yes' is not allowed"),
    ],
    ids=["no-site-url", "http-site-url", "script-contact", "policy-nginx-cannot-send", "meta-option"],
)
def test_bad_settings_fail_the_build_naming_the_setting(tmp_path, name, old, new, env, says):
    project = copy_project(tmp_path)
    edit_file(project, name, old, new)
    done = build_site(project, tmp_path / "site", env)
    assert done.returncode != 0
    assert says in done.stderr + done.stdout
    assert not (tmp_path / "site" / "index.html").exists()


# --- Hosts that cannot send headers -------------------------------------------------------


@pytest.fixture(scope="module")
def meta_csp_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("meta-site")
    done = build_site(ROOT, site, {"MBR_META_CSP": "1"})
    assert done.returncode == 0, done.stderr
    return site


def test_meta_build_puts_the_policy_in_every_page_without_header_only_directives(meta_csp_site):
    policy = meta_content_security_policy()
    assert "frame-ancestors" not in policy and "default-src 'self'" in policy
    for name in site_pages(meta_csp_site):
        html = (meta_csp_site / name).read_text()
        head = html[:html.index("<script")]  # before any script, or it would not cover it
        assert meta(head, "http-equiv", "Content-Security-Policy") == policy, name
        assert meta(head, "name", "referrer") == HEADER_POLICY.security["Referrer-Policy"]


def test_the_usual_build_has_no_meta_policy(built_site):
    assert 'http-equiv="Content-Security-Policy"' not in (built_site / PAGE).read_text()


def test_on_a_host_without_headers_the_meta_policy_holds_and_calculators_work(
        new_page, meta_csp_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(meta_csp_site, site)
    (site / "_headers").write_text("")  # serve.py then sends no policy header: GitHub Pages
    with serve_site(site) as url:
        assert "Content-Security-Policy" not in fetch(url + PAGE)[1]
        page, violations = live_result(new_page, url)
        assert not violations, violations
        # The policy is in force: an inline script is refused.
        page.evaluate("""() => { const s = document.createElement('script');
            s.textContent = 'window.inlineRan = true'; document.head.append(s); }""")
        page.wait_for_function("() => window.inlineRan === undefined")
        assert page.evaluate("window.inlineRan") is None
        assert any("script-src" in text for text in violations), violations


def test_the_offline_copy_refuses_a_meta_build(meta_csp_site, tmp_path):
    # From disk, a <meta> policy blocks the search's iframe shim (an inline script in an
    # about:blank frame): the offline copy is made from the usual build, which has none.
    with pytest.raises(SystemExit, match="built with MBR_META_CSP=1"):
        write_bundle(meta_csp_site, tmp_path)


def test_a_meta_build_offers_no_offline_copy_it_could_not_make(meta_csp_site):
    assert not (meta_csp_site / "downloads").exists()
    assert "Read offline" not in (meta_csp_site / "index.html").read_text()
