"""One small driver layer over the three browser engines readers use, so that one test body
runs in each: Chromium (Playwright), Firefox ESR (puppeteer-core over WebDriver BiDi, in a
Node helper process, tests/firefox_driver.mjs) and WebKitGTK (Selenium and WebKitWebDriver,
MiniBrowser under its own Xvfb display). All Debian packages; nothing is downloaded.

A page offers what the tests need: goto, evaluate (the source of a JavaScript function of
one argument), wait_for (until such a function returns something true), fill and select as a
reader types and chooses, print_media, pdf, and the uncaught errors seen so far.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import tempfile
import time
from datetime import UTC, datetime

from .helpers import ROOT, NotInstalled, require

ENGINES = ("chromium", "firefox", "webkit")
FIREFOX = os.environ.get("FIREFOX", "/usr/bin/firefox-esr")
WEBKIT_DRIVER = os.environ.get("WEBKIT_DRIVER", "/usr/bin/WebKitWebDriver")
MINIBROWSER = os.environ.get(
    "MINIBROWSER", "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser")
XVFB = "/usr/bin/Xvfb"
FAKETIME = os.environ.get("FAKETIME_LIB", "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")


# A browser engine cannot start: the message says what to install.
EngineMissing = NotInstalled


# Shows a page as printed: each stylesheet's print rules apply and its screen rules do not.
# (Chromium emulates the print medium itself; Firefox over BiDi and WebKitWebDriver cannot.)
PRINT_MEDIA_JS = """() => {
  const medium = (text) => /\\bprint\\b/.test(text) ? 'all'
    : /\\bscreen\\b/.test(text) ? 'not all' : text;
  for (const sheet of document.styleSheets) {
    if (sheet.ownerNode.media) sheet.ownerNode.media = medium(sheet.ownerNode.media);
    for (const rule of sheet.cssRules) {
      if (rule instanceof CSSMediaRule) rule.media.mediaText = medium(rule.media.mediaText);
    }
  }
}"""


class Page:
    """A tab of one engine, with the viewport it was opened with."""

    width: int
    height: int

    def goto(self, url: str) -> None:
        raise NotImplementedError

    def evaluate(self, source: str, arg=None):
        raise NotImplementedError

    def fill(self, selector: str, value: str) -> None:
        raise NotImplementedError

    def select(self, selector: str, value: str) -> None:
        raise NotImplementedError

    def click(self, selector: str) -> None:
        raise NotImplementedError

    def tap(self, selector: str) -> None:
        """A finger's tap on the element (see each engine for how near to a real one)."""
        raise NotImplementedError

    def press(self, key: str) -> None:
        """A key pressed and released, by its name: "Tab", "Escape", "Enter"."""
        raise NotImplementedError

    def print_media(self) -> None:
        self.evaluate(PRINT_MEDIA_JS)

    def pdf(self) -> bytes | None:
        """The page printed to US Letter, or None where the driver cannot print."""
        raise NotImplementedError

    def errors(self) -> list[str]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def wait_for(self, source: str, arg=None, timeout: float = 60, what: str = "") -> None:
        """Until the function returns something true (polled, as every engine allows)."""
        deadline = time.monotonic() + timeout
        while not self.evaluate(source, arg):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what or source}")
            time.sleep(0.1)


class Engine:
    name: str

    def new_page(self, width: int = 1280, height: int = 900, fresh: bool = False,
                 touch: bool = False, clock: datetime | None = None) -> Page:
        """A page; fresh: in its own profile or context, so its visit is a first visit.
        Otherwise in the engine's shared one, which keeps what earlier visits stored (the
        snapshot in Cache Storage): Python then starts as on a reader's later visit.
        touch: a phone's screen, for Page.tap (Chromium needs a context of its own for it;
        Firefox takes taps in any page, and WebKit has no touch input).
        clock: the reader's date and time (UTC) as the page's scripts see it, from before
        the first script of every page it opens (WebKit: a MiniBrowser of its own, whose
        wall clock libfaketime sets; its timers keep the real monotonic clock)."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


# --- Chromium: Playwright --------------------------------------------------------------


class ChromiumPage(Page):
    def __init__(self, context, width: int, height: int, owned: bool):
        self.width, self.height, self.context, self.owned = width, height, context, owned
        self.page = context.new_page()
        self.page.set_viewport_size({"width": width, "height": height})
        self._errors: list[str] = []
        self.page.on("pageerror", lambda error: self._errors.append(str(error)))

    def goto(self, url):
        self.page.goto(url)

    def evaluate(self, source, arg=None):
        return self.page.evaluate(source, arg)

    def fill(self, selector, value):
        # Key by key over the selected text, as a reader types (and as the other engines do).
        self.page.focus(selector)
        self.page.evaluate("(s) => document.querySelector(s).select()", selector)
        if value:
            self.page.keyboard.type(value)
        else:
            self.page.keyboard.press("Backspace")

    def select(self, selector, value):
        self.page.select_option(selector, value)

    def click(self, selector):
        self.page.click(selector)

    def tap(self, selector):
        self.page.tap(selector)  # only in a page opened with touch=True

    def press(self, key):
        self.page.keyboard.press(key)

    def print_media(self):
        self.page.emulate_media(media="print")

    def pdf(self):
        return self.page.pdf(format="Letter")

    def errors(self):
        return list(self._errors)

    def close(self):
        if self.owned:
            self.context.close()
        else:
            self.page.close()


class Chromium(Engine):
    name = "chromium"

    def __init__(self, browser):
        self.browser = browser  # the session's Playwright browser (tests/conftest.py)
        self.shared = browser.new_context()  # what a reader's own browser keeps between visits

    def new_page(self, width=1280, height=900, fresh=False, touch=False, clock=None):
        if touch:  # a phone: touch events, and the viewport of a mobile browser
            context = self.browser.new_context(has_touch=True, is_mobile=True)
            page = ChromiumPage(context, width, height, owned=True)
        elif fresh or clock is not None:  # a new context starts empty; the clock is a context's
            page = ChromiumPage(self.browser.new_context(), width, height, owned=True)
        else:
            page = ChromiumPage(self.shared, width, height, owned=False)
        if clock is not None:  # Date only: timers run as ever
            page.page.clock.set_fixed_time(clock)
        return page

    def close(self):
        self.shared.close()


# --- Firefox: puppeteer-core in a Node process -----------------------------------------


class Firefox(Engine):
    name = "firefox"

    def __init__(self):
        require(FIREFOX, "Firefox ESR (Debian package firefox-esr)")
        if not (ROOT / "node_modules" / "puppeteer-core").is_dir():
            raise EngineMissing("puppeteer-core is not installed: run `make test` (npm ci)")
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - open while Firefox runs
        self.process = subprocess.Popen(
            ["node", str(ROOT / "tests" / "firefox_driver.mjs")], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True,
            env=os.environ | {"FIREFOX": FIREFOX, "PUPPETEER_SKIP_DOWNLOAD": "1"})
        self.next_id = 0
        self.version = self.call("version")

    def call(self, op: str, **fields):
        self.next_id += 1
        try:
            self.process.stdin.write(json.dumps({"id": self.next_id, "op": op, **fields}) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            self.log.seek(0)
            raise EngineMissing("Firefox ESR did not start or stopped (puppeteer-core over "
                                f"WebDriver BiDi): {self.log.read().decode(errors='replace')}")
        answer = json.loads(line)
        if "error" in answer:
            raise AssertionError(f"Firefox {op}: {answer['error']}")
        return answer["value"]

    def new_page(self, width=1280, height=900, fresh=False, touch=False, clock=None):
        page = FirefoxPage(self, width, height, fresh)
        if clock is not None:
            page._call("setClock", time=clock.timestamp() * 1000)
        return page

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class FirefoxPage(Page):
    def __init__(self, firefox: Firefox, width: int, height: int, fresh: bool):
        self.firefox, self.width, self.height = firefox, width, height
        self.number = firefox.call("newPage", width=width, height=height, fresh=fresh)

    def _call(self, op, **fields):
        return self.firefox.call(op, page=self.number, **fields)

    def goto(self, url):
        self._call("goto", url=url)

    def evaluate(self, source, arg=None):
        return self._call("evaluate", source=source, arg=arg)

    def fill(self, selector, value):
        self._call("fill", selector=selector, value=value)

    def select(self, selector, value):
        self._call("select", selector=selector, value=value)

    def click(self, selector):
        self._call("click", selector=selector)

    def tap(self, selector):
        self._call("tap", selector=selector)

    def press(self, key):
        self._call("press", key=key)

    def pdf(self):
        return base64.b64decode(self._call("pdf"))

    def errors(self):
        return self._call("errors")

    def close(self):
        self._call("closePage")


# --- WebKitGTK: Selenium, WebKitWebDriver and MiniBrowser under Xvfb --------------------


class WebKitSession:
    """One MiniBrowser on a display of its own: a fresh, empty profile."""

    def __init__(self, clock: datetime | None = None):
        for path, what in ((XVFB, "Xvfb (Debian package xvfb)"),
                           (WEBKIT_DRIVER, "WebKitWebDriver (Debian package webkit2gtk-driver)"),
                           (MINIBROWSER, "MiniBrowser (Debian package webkit2gtk-driver)")):
            require(path, what)
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        # -displayfd: Xvfb picks a free display number and writes it when ready.
        self.xvfb = subprocess.Popen(
            [XVFB, "-displayfd", "1", "-screen", "0", "1600x1200x24", "-nolisten", "tcp"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        display = self.xvfb.stdout.readline().strip()
        if not display:
            raise EngineMissing("Xvfb (Debian package xvfb) did not start")
        options = Options()
        options.binary_location = MINIBROWSER  # webkitgtk:browserOptions.binary
        options.add_argument("--automation")
        env = os.environ | {"DISPLAY": f":{display}"}
        if clock is not None:
            # The driver, MiniBrowser and its web processes start with the wall clock at
            # `clock` (running on from there); the monotonic clock, which timers use, stays.
            require(FAKETIME, "libfaketime (Debian package libfaketime)")
            env |= {"LD_PRELOAD": FAKETIME, "FAKETIME_DONT_FAKE_MONOTONIC": "1",
                    "FAKETIME": "@" + clock.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                    "TZ": "UTC"}
        service = Service(executable_path=WEBKIT_DRIVER, env=env)
        try:
            self.driver = webdriver.WebKitGTK(options=options, service=service)
        except Exception as error:
            self.xvfb.terminate()
            raise EngineMissing(f"WebKitGTK's MiniBrowser did not start: {error}") from error
        self.version = self.driver.capabilities.get("browserVersion")
        self.first_window = self.driver.current_window_handle
        self.active: WebKitPage | None = None  # whose window the driver's commands go to

    def close(self):
        self.driver.quit()
        self.xvfb.terminate()
        self.xvfb.wait(timeout=10)


class WebKitPage(Page):
    """A window of a MiniBrowser: its session's first window (owned: the session is the
    page's own) or a new one (the engine's shared session, where several pages stay open).

    MiniBrowser's window cannot be narrower than its toolbar (447 px): a narrower page
    is opened in a same-origin frame of that size, where the same engine lays it out with
    that viewport (its media queries, its scroll width). The driver then works in the frame."""

    def __init__(self, session: WebKitSession, width: int, height: int, owned: bool):
        self.session, self.width, self.height, self.owned = session, width, height, owned
        self.driver = session.driver
        if not owned:
            self.driver.switch_to.new_window("window")
        self.handle = self.driver.current_window_handle
        self.frame = None
        session.active = self
        self.driver.set_window_rect(width=width, height=height)
        inner = self.driver.execute_script("return [innerWidth, innerHeight]")
        # The window's toolbar takes part of the height: grow it to give the page its own.
        self.driver.set_window_rect(width=width, height=2 * height - inner[1])
        self.in_frame = self.driver.execute_script("return innerWidth") != width

    def _here(self):
        """The driver's commands go to this page's window (and frame) from now on."""
        if self.session.active is not self:
            self.driver.switch_to.window(self.handle)
            if self.frame is not None:
                self.driver.switch_to.frame(self.frame)
            self.session.active = self

    def goto(self, url):
        self._here()
        self.driver.switch_to.default_content()
        self.frame = None
        if not self.in_frame:
            self.driver.get(url)
            return
        self.driver.get(url.split("?")[0].split("#")[0].rsplit("/", 1)[0] + "/index.html")
        self.frame = self.driver.execute_script(
            """const [url, width, height] = arguments;
            const frame = document.createElement('iframe');
            frame.width = width; frame.height = height; frame.src = url;
            frame.style.border = 'none';
            document.body.replaceChildren(frame);
            return frame;""", url, self.width, self.height)
        self.driver.switch_to.frame(self.frame)
        self.wait_for("() => document.readyState === 'complete'", what="the framed page")

    def evaluate(self, source, arg=None):
        self._here()
        return self.driver.execute_script(f"return ({source})(arguments[0])", arg)

    def _element(self, selector):
        from selenium.webdriver.common.by import By

        self._here()
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def fill(self, selector, value):
        from selenium.webdriver.common.keys import Keys

        field = self._element(selector)
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(value or Keys.BACKSPACE)

    def select(self, selector, value):
        from selenium.webdriver.support.select import Select

        Select(self._element(selector)).select_by_value(value)

    def click(self, selector):
        self._element(selector).click()

    def tap(self, selector):
        # WebKitWebDriver (GTK) has no touch input: a "touch" pointer action arrives as a
        # mouse's (pointerType "mouse"), so a click stands in for the tap.
        self._element(selector).click()

    def press(self, key):
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        ActionChains(self.driver).send_keys(getattr(Keys, key.upper())).perform()

    def pdf(self):
        return None  # WebKitWebDriver has no Print command ("Unknown command: .../print")

    def errors(self):
        return []  # WebKitWebDriver reports no page errors (no BiDi log events)

    def close(self):
        if self.owned:
            self.session.close()
            return
        self._here()
        self.driver.close()
        self.driver.switch_to.window(self.session.first_window)
        self.session.active = None


class WebKit(Engine):
    name = "webkit"

    def __init__(self):
        self.shared = WebKitSession()
        self.version = self.shared.version

    def new_page(self, width=1280, height=900, fresh=False, touch=False, clock=None):
        if fresh or clock is not None:
            return WebKitPage(WebKitSession(clock), width, height, owned=True)
        return WebKitPage(self.shared, width, height, owned=False)

    def close(self):
        self.shared.close()


def start(name: str, playwright_browser=None) -> Engine:
    """The named engine, started (Chromium: around the given Playwright browser)."""
    if name == "chromium":
        return Chromium(playwright_browser)
    return {"firefox": Firefox, "webkit": WebKit}[name]()
