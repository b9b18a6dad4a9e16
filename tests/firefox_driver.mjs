// Drives Debian's Firefox ESR over WebDriver BiDi with puppeteer-core, for the Python
// tests (tests/engines.py). One request per line on stdin, one answer per line on stdout:
//   {"id": 1, "op": "goto", "page": 2, "url": "..."}  ->  {"id": 1, "value": ...} or {"id": 1, "error": "..."}
// Pages are numbered by "newPage"; a fresh one opens in a user context of its own (its own
// cookies, HTTP cache and storage), so it starts as a first visit; the others share the
// browser's default context, as a reader's later visits do. Uncaught page errors are
// collected per page and returned by "errors".
import readline from "node:readline";
import puppeteer from "puppeteer-core";

const executablePath = process.env.FIREFOX || "/usr/bin/firefox-esr";

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath,
  headless: true,
  // puppeteer relaxes file:// origins for its own use; pages opened from disk must see
  // what a reader's Firefox does.
  extraPrefsFirefox: { "security.fileuri.strict_origin_policy": true },
  protocolTimeout: 120_000,
});

const pages = new Map(); // number -> {page, context, errors}
let nextPage = 0;

function entry(number) {
  const found = pages.get(number);
  if (!found) throw new Error(`no page ${number}`);
  return found;
}

// JavaScript from Python comes as the source of a function of one argument.
const call = (source, arg) => `(${source})(${JSON.stringify(arg ?? null)})`;

const operations = {
  async newPage({ width, height, fresh }) {
    const context = fresh ? await browser.createBrowserContext() : null;
    const page = await (context || browser.defaultBrowserContext()).newPage();
    await page.setViewport({ width, height });
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error.message || error)));
    pages.set(++nextPage, { page, context, errors });
    return nextPage;
  },
  // The reader's date: every document the page opens from now on sees Date at `time`
  // (milliseconds since 1970, UTC), running on from there; timers are left alone.
  async setClock({ page, time }) {
    await entry(page).page.evaluateOnNewDocument((fixed) => {
      const RealDate = Date;
      const offset = fixed - RealDate.now();
      class ReaderDate extends RealDate {
        constructor(...args) {
          if (args.length === 0) super(RealDate.now() + offset);
          else super(...args);
        }
        static now() { return RealDate.now() + offset; }
      }
      globalThis.Date = ReaderDate;
    }, time);
  },
  async goto({ page, url }) {
    await entry(page).page.goto(url, { waitUntil: "load", timeout: 60_000 });
  },
  async evaluate({ page, source, arg }) {
    return await entry(page).page.evaluate(call(source, arg));
  },
  // Types as a reader does: select the field's text, then the keys.
  async fill({ page, selector, value }) {
    const field = await entry(page).page.waitForSelector(selector, { timeout: 10_000 });
    await field.click({ count: 3 });
    await field.evaluate((node) => node.select());
    if (value === "") await entry(page).page.keyboard.press("Backspace");
    else await field.type(value);
  },
  async select({ page, selector, value }) {
    await entry(page).page.select(selector, value);
  },
  async click({ page, selector }) {
    await (await entry(page).page.waitForSelector(selector, { timeout: 10_000 })).click();
  },
  // A finger's tap (WebDriver BiDi touch input), at the element's centre.
  async tap({ page, selector }) {
    const element = await entry(page).page.waitForSelector(selector, { timeout: 10_000 });
    await element.tap();
  },
  async press({ page, key }) {
    await entry(page).page.keyboard.press(key);
  },
  async pdf({ page }) {
    const data = await entry(page).page.pdf({ format: "letter" });
    return Buffer.from(data).toString("base64");
  },
  async errors({ page }) {
    return entry(page).errors;
  },
  async closePage({ page }) {
    const { page: tab, context } = entry(page);
    await (context ? context.close() : tab.close());
    pages.delete(page);
  },
  async version() {
    return await browser.version();
  },
};

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const request = JSON.parse(line);
  let answer;
  try {
    const value = await operations[request.op](request);
    answer = { id: request.id, value: value ?? null };
  } catch (error) {
    answer = { id: request.id, error: String(error && error.message || error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
await browser.close();
