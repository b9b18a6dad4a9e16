"""Security and privacy: a strict Content-Security-Policy that the whole site lives with,
no cookies, nothing about the reader's numbers stored, and IRS sources gathered in one place."""

from __future__ import annotations

import re
import urllib.request

from macros.hooks.hosting import HEADER_POLICY
from macros.hooks.page_script import start_script, start_script_hash

from .helpers import answer, site_pages, wait_all_ready, wait_output

CONTENT_SECURITY_POLICY = HEADER_POLICY.security["Content-Security-Policy"]


def test_policy_allows_only_this_origin_and_wasm_and_no_inline_script_but_the_start_script():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == f"'self' 'wasm-unsafe-eval' {start_script_hash()}"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY


def test_pages_have_no_inline_script_but_the_start_script_of_calculator_pages(built_site):
    starts = 0
    for page in built_site.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        inline = [m.group(2) for m in re.finditer(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S)
                  if 'type="application/json"' not in m.group(1)]
        # Its text exactly as hashed: the policy allows it and nothing else inline.
        assert inline in ([], [start_script()]), page.name
        assert bool(inline) == ('data-calculator="' in html), page.name
        starts += len(inline)
        assert not re.search(r"\son[a-z]+=\"", html), f"{page.name}: inline event handler"
        assert 'style="' not in html, f"{page.name}: inline style"
    assert starts, "no calculator page"


def test_every_page_works_under_the_policy_without_a_violation(new_page, built_site, site_url):
    with urllib.request.urlopen(site_url + "index.html") as response:
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    page = new_page()  # no CSP bypass: the site's own policy applies
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    for name in site_pages(built_site):
        page.goto(site_url + name)
        wait_all_ready(page)
    assert not violations, violations


def test_no_cookies_and_no_stored_numbers(chromium_live):
    page = chromium_live()
    page.fill("#after-tax-space-compensation", "123457")
    page.fill("#after-tax-space-employer_contributions", "7531")
    # 415(c) - 402(g) - 7,531 (2026: 72,000 - 24,500 - 7,531 = 39,969)
    wait_output(page, "after_tax_room",
                answer({"compensation": 123457, "employer_contributions": 7531}))
    stored = page.evaluate("JSON.stringify([document.cookie, {...localStorage}, {...sessionStorage}])")
    assert page.context.cookies() == []
    assert "123457" not in stored and "7531" not in stored


def test_every_irs_link_on_any_page_is_gathered_on_the_sources_page(built_site):
    about = (built_site / "about.html").read_text(encoding="utf-8")
    for page in built_site.glob("*.html"):
        for link in set(re.findall(r'href="(https://www\.irs\.gov/[^"#]+)', page.read_text())):
            assert f'href="{link}"' in about, f"{page.name} links {link}, missing on about.html"
