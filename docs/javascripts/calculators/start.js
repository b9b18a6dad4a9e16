// The calculators' first script: small, inline and first in the <head> of calculator
// pages (overrides/main.html), so that a reader who arrives by a scenario link, or a link
// into a calculator, has Python's runtime on its way while the page and the theme still
// load, without waiting for a script of its own to download. The rest of the page script
// (calculators.js, deferred) takes over what it started through window[CONTRACT.early].
//
// Its tag names the worker, the runtime's files and their sizes, as page-relative URLs.
const script = document.currentScript;
const workerUrl = new URL(script.dataset.worker, document.baseURI);

// --- Links ---------------------------------------------------------------------------
// A link to a calculator carries its values after the "#", which no request sends: no
// server, log or proxy sees a client's numbers. Its form (README, "Links"):
//   page.html#calculator-NAME?field=value&field=value
// the block's id, then the values as a query string. "#calculator-NAME" alone is a link
// into the block with the example values.
const LINK_PREFIX = "#calculator-";

// The link the page was opened with: {name, values: URLSearchParams}, or null.
function readLink() {
  const old = oldLink();
  if (old) return old; // the address could not be rewritten (rewriteOldLink)
  if (!location.hash.startsWith(LINK_PREFIX)) return null;
  const hash = location.hash.slice(LINK_PREFIX.length);
  const at = hash.indexOf("?");
  let name = at < 0 ? hash : hash.slice(0, at);
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape names no calculator: the link is ignored as a whole.
    return null;
  }
  return { name, values: new URLSearchParams(at < 0 ? "" : hash.slice(at + 1)) };
}

// The address of a block with these values: page.html#calculator-NAME?a=1&b=2.
function linkTo(name, values) {
  const url = new URL(location.href);
  url.search = "";
  const query = values.toString();
  url.hash = LINK_PREFIX.slice(1) + encodeURIComponent(name) + (query ? "?" + query : "");
  return url.href;
}

// A link made before the values moved after the "#" (?calculator=NAME&field=...): the
// same values, and the address rewritten to the new form at once, without a reload, so
// that a bookmark or a copy made from now on sends nothing to a server.
function oldLink() {
  const values = new URLSearchParams(location.search);
  const name = values.get("calculator");
  if (name === null) return null;
  values.delete("calculator");
  return { name, values };
}

function rewriteOldLink() {
  const old = oldLink();
  if (!old) return;
  try {
    history.replaceState(history.state, "", linkTo(old.name, old.values));
  } catch {
    // An engine that refuses it (a page from disk, say): the old form is read as it is.
  }
}
rewriteOldLink();

// A scenario link, or a link to a calculator block (its id), wants Python at once.
function linkWantsPython() {
  return readLink() !== null;
}

// The reader asked to save data, or the browser reports a slow connection: the snapshot
// for later visits is not downloaded. (Asked here: browsers apply a tab's emulated
// conditions to the page, not always to its worker.)
function savingData() {
  const connection = navigator.connection;
  return Boolean(connection && (connection.saveData || ["slow-2g", "2g"].includes(connection.effectiveType)));
}

// Fetches a file for the worker and gives it the response: status, headers and the whole
// body, which the worker reads as if it had asked itself; or that it failed. The body goes
// over once it is all in, in one message: handed over as a stream, every chunk crossed the
// page's main thread and back, which on a phone, busy laying out the page, delivered
// Python's library to the worker seconds after it had arrived. (The worker does not need
// these files before they are whole.)
async function handOver(worker, url, signal) {
  const requestedAt = performance.timeOrigin + performance.now();
  // A failure the page sees it also says at once, in the worker's words (countedFetch in
  // calculator-worker.mjs): the worker, still starting (a second and more on a phone),
  // would say it only later.
  const failed = (why) => {
    if (signal.aborted) return; // the worker's script did not load: that is said already
    const text = `could not download ${new URL(url).pathname.split("/").pop()}${why}`;
    worker.dispatchEvent(new MessageEvent("message", { data: { type: "failed", text } }));
  };
  let response;
  let body;
  try {
    response = await fetch(url, { signal });
  } catch {
    worker.postMessage({ type: "response", url, requestedAt, failed: true });
    failed(": the network connection failed");
    return;
  }
  try {
    body = await response.arrayBuffer();
  } catch {
    worker.postMessage({ type: "response", url, requestedAt, failed: true });
    failed(": the connection ended before the whole file arrived");
    return;
  }
  worker.postMessage({ type: "response", url, requestedAt, status: response.status,
    headers: [...response.headers], body }, [body]);
  if (!response.ok) failed(` (HTTP ${response.status})`);
}

const early = window[CONTRACT.early] = {
  siteRoot: new URL("..", workerUrl), // the worker is javascripts/calculator-worker.mjs
  workerUrl,
  // The browser's own Worker: on a page opened from disk, the search's iframe-worker shim,
  // loaded after this script (overrides/main.html), replaces window.Worker.
  BrowserWorker: window.Worker,
  linkWantsPython,
  readLink,
  linkTo,
  worker: null, // started here, for a link that wants Python
  messages: [], // what it said before calculators.js took it over
  initMessage() {
    const url = (path) => (path ? new URL(path, document.baseURI).href : "");
    return {
      type: "init",
      pyodideUrl: url(script.dataset.pyodide),
      stdlibUrl: url(script.dataset.stdlib),
      wheelUrl: url(script.dataset.wheel),
      bytecodeUrl: url(script.dataset.bytecode),
      snapshotUrl: url(script.dataset.snapshot),
      sizes: JSON.parse(script.dataset.sizes || "{}"),
      saveData: savingData(),
    };
  },
  // Starts the worker (over http) and gives it its first message.
  startWorker() {
    const worker = new early.BrowserWorker(early.workerUrl, { type: "module" });
    const message = early.initMessage();
    // The page asks for Python's library and the calculators now, and hands each file over
    // once it is in: the worker's own requests would leave only once its script has arrived
    // and run, a round trip and more later on a phone. (Not the WebAssembly file: the
    // worker compiles it as it arrives, from its own response, which also lets the browser
    // keep the compiled code for later visits.)
    message.fromPage = [message.stdlibUrl, message.wheelUrl, message.bytecodeUrl].filter(Boolean);
    worker.postMessage(message);
    // If the worker's script does not load, nobody would read them. (An error once it runs
    // is not a reason to cut its downloads: it reports what failed itself.)
    const stop = new AbortController();
    let ran = false;
    worker.addEventListener("message", () => { ran = true; }, { once: true });
    worker.addEventListener("error", () => { if (!ran) stop.abort(); });
    message.fromPage.forEach((url) => handOver(worker, url, stop.signal));
    return worker;
  },
};

// Over http only: from disk the worker starts from the offline copy's files (disk.js).
if (linkWantsPython() && location.protocol !== "file:") {
  performance.mark(CONTRACT.marks.pythonAsked); // when, for tests and benchmarks
  const worker = early.worker = early.startWorker();
  worker.onmessage = (event) => early.messages.push(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    early.messages.push({ type: "failed", text: "its script did not load (calculator-worker.mjs)" });
  };
}
