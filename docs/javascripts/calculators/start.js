// The calculators' first script: small, inline and first in the <head> of calculator
// pages (overrides/main.html), so that a reader who arrives by a scenario link, or a link
// into a calculator, has Python's runtime on its way while the page and the theme still
// load, without waiting for a script of its own to download. The rest of the page script
// (calculators.js, deferred) takes over what it started through window[CONTRACT.early].
//
// Its tag names the worker, the runtime's files and their sizes, as page-relative URLs.
const script = document.currentScript;
const workerUrl = new URL(script.dataset.worker, document.baseURI);

// A scenario link, or a link to a calculator block (its id), wants Python at once.
function linkWantsPython() {
  return new URLSearchParams(location.search).has("calculator") || location.hash.startsWith("#calculator-");
}

// The reader asked to save data, or the browser reports a slow connection: the snapshot
// for later visits is not downloaded. (Asked here: browsers apply a tab's emulated
// conditions to the page, not always to its worker.)
function savingData() {
  const connection = navigator.connection;
  return Boolean(connection && (connection.saveData || ["slow-2g", "2g"].includes(connection.effectiveType)));
}

const early = window[CONTRACT.early] = {
  siteRoot: new URL("..", workerUrl), // the worker is javascripts/calculator-worker.mjs
  workerUrl,
  // The browser's own Worker: on a page opened from disk, the search's iframe-worker shim,
  // loaded after this script (overrides/main.html), replaces window.Worker.
  BrowserWorker: window.Worker,
  linkWantsPython,
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
};

// Over http only: from disk the worker starts from the offline copy's files (disk.js).
if (linkWantsPython() && location.protocol !== "file:") {
  performance.mark(CONTRACT.marks.pythonAsked); // when, for tests and benchmarks
  const worker = early.worker = new early.BrowserWorker(early.workerUrl, { type: "module" });
  worker.onmessage = (event) => early.messages.push(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    early.messages.push({ type: "failed", text: "its script did not load (calculator-worker.mjs)" });
  };
  worker.postMessage(early.initMessage());
}
