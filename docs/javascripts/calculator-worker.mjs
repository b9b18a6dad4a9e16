// Runs the calculators in Pyodide, off the main thread.
// Messages in:  {type: "init", pyodideUrl, stdlibUrl, wheelUrl, bytecodeUrl, snapshotUrl,
//                sizes: {file name: bytes}, saveData: no background download,
//                fromPage: [URL]: files the page has asked for, for this worker,
//                offline: only for a page opened from disk, see "From disk" below}
//               {type: "response", url, requestedAt (ms since the epoch), status, headers,
//                body (an ArrayBuffer)} or {type: "response", url, requestedAt, failed: true}:
//                the page's answer for one of fromPage (start.js, handOver)
//               then {type: "run", id, calculator, inputs}
// Messages out: {type: "status", text}, {type: "progress", done, total} (bytes on the
//               wire, estimated; total 0 until known), {type: "started", fromSnapshot},
//               {type: "snapshot-downloaded"},
//               {type: "result", id, payload} (JSON text in calculators.run_json's shape),
//               {type: "failed", text} (Python could not start: a download failed,
//               was cut short or stalled, or Python itself failed). Only JSON-shaped data
//               crosses. No "ready" status: a block says it is ready once it shows a live
//               result.
//
// Warm visits start from a memory snapshot of Python with the calculators loaded, made
// at build time (macros/hooks/pyodide_snapshot.mjs), when this site's Cache Storage holds
// it: the page's worker keeps it there itself, so a warm start does not depend on the
// host's cache headers or on the browser's HTTP cache. A first visit never waits for it:
// after its first result, the snapshot downloads in the background and is stored (not
// when the reader has asked the browser to save data, or on a connection the browser
// reports as slow). Restoring a snapshot uses a private Pyodide option (_loadSnapshot); if
// it fails in any way, Python starts afresh as on a first visit.
let runJson = null;
let starting = null;
let snapshotToFetch = null; // set when this visit did not start from the snapshot
// The first download that failed, named for the reader. Python cannot start without any
// of its files, and Pyodide does not always say so (a WebAssembly file that fails to
// download can leave it waiting): starting stops at once.
let failedDownload = null;
let stopStarting = null;
const downloadFailure = new Promise((resolve, reject) => { stopStarting = reject; });
downloadFailure.catch(() => {}); // read by init, when it races start

function downloadFailed(text) {
  failedDownload ??= text;
  stopStarting(new Error(failedDownload));
}

// Once a download has failed and the page is told, Pyodide's own promises for that file
// (asked for early, awaited later or never) reject with nobody left to wait for them: not
// an error of its own.
self.addEventListener("unhandledrejection", (event) => {
  if (failedDownload) event.preventDefault();
});

// A download that stalls says nothing by itself: while files are on their way and none
// has brought a byte for STALL_MS, starting fails, naming them. (A file that is not asked
// for yet does not count: Python may be busy, not the network.)
const STALL_MS = 20_000;
const inFlight = new Set(); // URLs of the files on their way
let lastByteAt = 0;

function arrived() {
  lastByteAt = performance.now();
}

const stallWatch = setInterval(() => {
  if (failedDownload || !inFlight.size || performance.now() - lastByteAt < STALL_MS) return;
  downloadFailed(`the download of ${[...inFlight].map(fileName).join(", ")} stopped: ` +
    `no data for ${STALL_MS / 1000} seconds`);
}, 1000);
// When each step of starting ended, ms since the epoch, sent with "started": the page
// makes them performance marks (MARKS in macros/contract.py), so that tests and benchmarks
// can split a start into download, Python's start and the calculators' import.
const times = {};
const epochNow = () => performance.timeOrigin + performance.now();

let savingData = false; // the page says: no background download (Save-Data, a slow link)

const SNAPSHOT_CACHE = "calculator-snapshots";

function status(text) {
  self.postMessage({ type: "status", text });
}

const fileName = (url) => new URL(url).pathname.split("/").pop();

// --- Download progress -----------------------------------------------------------------
// The page passes each runtime file's size from the build. Bytes are counted as they
// arrive, on a copy of each response, so that Pyodide gets the original (and the browser
// can keep its compiled WebAssembly). A host that compresses sends fewer bytes than the
// files hold: each response's Content-Length gives its ratio, and the reader is told bytes
// on the wire. Files not started yet (and the module that import() loads, whose response
// is not ours) are estimated with the ratio of those seen.
const downloads = new Map(); // URL -> {size, got, wire}
const PROGRESS_EVERY_MS = 250;
let progressSent = 0;

function track(urls, sizes) {
  for (const url of urls) {
    const size = url && sizes[fileName(url)];
    if (size) downloads.set(url, { size, got: 0, wire: 0 });
  }
}

function reportProgress(now = false) {
  if (!now && performance.now() - progressSent < PROGRESS_EVERY_MS) return;
  const sizeOf = (files) => files.reduce((sum, file) => sum + file.size, 0);
  const seen = [...downloads.values()].filter((file) => file.wire);
  // Until the files that make most of it have answered, the ratio is a guess: the page
  // shows a bar without a value.
  if (sizeOf(seen) < sizeOf([...downloads.values()]) / 2) return;
  progressSent = performance.now();
  const ratio = seen.reduce((sum, file) => sum + file.wire, 0) / sizeOf(seen);
  let done = 0;
  let total = 0;
  for (const file of downloads.values()) {
    const onWire = file.wire ? file.wire / file.size : ratio;
    done += Math.min(file.got, file.size) * onWire;
    total += file.size * onWire;
  }
  self.postMessage({ type: "progress", done: Math.round(done), total: Math.round(total) });
}

// Counts a file's bytes as they arrive, on a copy of its response. A body cut short (the
// connection dropped or reset mid-file) fails starting, named: Pyodide, reading the
// original, does not always say so.
async function count(url, file, copy) {
  const length = Number(copy.headers.get("Content-Length"));
  file.wire = length || file.size;
  let got = 0;
  let cut = false;
  try {
    const reader = copy.body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      got += chunk.value.byteLength;
      file.got += chunk.value.byteLength;
      arrived();
      reportProgress();
    }
  } catch {
    cut = true; // the browser saw the body end early (or the connection fail)
  }
  inFlight.delete(url);
  times.runtimeDownloaded = epochNow(); // the last file to end sets it
  // Uncompressed, the bytes can also be held to the length the server announced.
  if (cut || (!copy.headers.get("Content-Encoding") && length && got < length)) {
    downloadFailed(`could not download ${fileName(url)}: the connection ended before the ` +
      "whole file arrived");
  }
  reportProgress(true);
}

// Pyodide downloads its files with the global fetch: counted and named here, and those
// asked for early (see start) answered with the response already on its way. From disk,
// answered from memory.
const networkFetch = self.fetch.bind(self);
const early = new Map(); // URL -> promise of its response, until Pyodide asks for it
// URL -> {response: promise, settle(message), used}: the page fetches it (once: a second
// request for it is the network's)
const fromPage = new Map();

function awaitPage(urls) {
  for (const url of urls || []) {
    let settle;
    const response = new Promise((resolve, reject) => {
      settle = ({ failed, status, headers, body }) => (failed
        ? reject(new TypeError("the page's request failed"))
        : resolve(new Response(body, { status, headers })));
    });
    response.catch(() => {}); // reported when asked for
    fromPage.set(url, { response, settle });
  }
}

function pageAnswered(message) {
  times.runtimeRequested = Math.min(times.runtimeRequested ?? Infinity, message.requestedAt);
  fromPage.get(message.url)?.settle(message);
}

let inMemory = null; // from disk: URL -> promise of the file's bytes

function fetchEarly(url) {
  const response = countedFetch(url, url);
  response.catch(() => {}); // Pyodide gets the error when it asks
  early.set(url, response);
}

self.fetch = (resource, options) => {
  const url = new URL(resource instanceof Request ? resource.url : String(resource), self.location.href).href;
  if (inMemory) return fromMemory(url);
  const started = early.get(url);
  early.delete(url);
  return started || countedFetch(url, resource, options);
};

async function countedFetch(url, resource, options) {
  let response;
  inFlight.add(url);
  times.runtimeRequested ??= epochNow();
  arrived(); // the stall is counted from the request on
  try {
    const page = fromPage.get(url);
    const answered = page && !page.used;
    if (answered) page.used = true;
    response = await (answered ? page.response : networkFetch(resource, options));
  } catch {
    downloadFailed(`could not download ${fileName(url)}: the network connection failed`);
    // Starting has stopped and the page is told: whoever asked (Pyodide, which may not be
    // listening yet) is left waiting, not given an error that nobody would handle.
    return new Promise(() => {});
  }
  arrived();
  const file = downloads.get(url);
  if (!response.ok) downloadFailed(`could not download ${fileName(url)} (HTTP ${response.status})`);
  else if (file && response.body) {
    count(url, file, response.clone());
    return response;
  }
  inFlight.delete(url);
  return response;
}

// A module import names no file when it fails: this does, and counts the module as done.
async function importCounted(url) {
  let module;
  inFlight.add(url);
  arrived();
  try {
    module = await import(url);
  } catch (error) {
    downloadFailed(`could not load ${fileName(url)} (${error.message || error})`);
    throw error;
  } finally {
    inFlight.delete(url);
    arrived();
    times.runtimeDownloaded = epochNow();
  }
  const file = downloads.get(url);
  if (file) file.got = file.size;
  reportProgress(true);
  return module;
}

async function fetchBytes(url, what) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not download ${what} (${response.status} ${url})`);
  return response.arrayBuffer();
}

// --- From disk ---------------------------------------------------------------------------
// A page opened from disk (file://) can neither fetch nor import files: the offline copy
// carries them as classic scripts (macros/hooks/offline.py) that the page loads, starts this
// worker from a data: URL, and posts their contents as init's `offline`:
//   {files: {URL: part}, scripts: {"pyodide.js": part},
//    snapshot: part (the memory snapshot, as the served site keeps it for warm visits)},
// each part {base64, gzip}. Pyodide's classic loader, and its module made a classic function
// of the module's URL by the recipe its part carries (`classic`, checked by the build), run
// here by eval (a page from disk has no content policy; served, the site never comes here),
// and Pyodide's requests for its files are answered from memory. The module's part holds it
// as the site serves it: the copy's launcher serves the same parts.

async function decoded({ base64, gzip }) {
  const bytes = Uint8Array.fromBase64
    ? Uint8Array.fromBase64(base64)
    : Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  if (!gzip) return bytes;
  // Not through a Blob: a WebKit worker started from a data: URL cannot read one.
  const stream = new Response(bytes).body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function fromMemory(url) {
  const bytes = inMemory.get(url);
  if (!bytes) {
    // The build checks the names Pyodide asks for; a new one would end here, named.
    downloadFailed(`this offline copy has no ${fileName(url)}`);
    throw new Error(`not in the offline copy: ${url}`);
  }
  const type = url.endsWith(".wasm") ? "application/wasm" : "application/octet-stream";
  return new Response(await bytes, { headers: { "Content-Type": type } });
}

// The module's text as the source of `function (url)` that returns createPyodideModule.
function classicModule(text, { token, parameter, export: exported, before, after }) {
  return before + text.slice(0, text.lastIndexOf(exported)).replaceAll(token, parameter) + after;
}

// {loadPyodide, createPyodideModule} from the scripts' text; asmUrl is the module's URL.
async function runtimeFromMemory({ files, scripts }, asmUrl) {
  inMemory = new Map(Object.entries(files).map(([url, part]) => [url, decoded(part)]));
  inMemory.forEach((bytes) => bytes.catch(() => {})); // reported when Pyodide asks
  const text = async (bytes) => new TextDecoder().decode(await bytes);
  const [loader, asm] = await Promise.all([text(decoded(scripts["pyodide.js"])), text(inMemory.get(asmUrl))]);
  (0, eval)(loader); // sets globalThis.loadPyodide
  const classic = (0, eval)(classicModule(asm, files[asmUrl].classic));
  return { loadPyodide: self.loadPyodide, createPyodideModule: classic(asmUrl) };
}

// The copy's memory snapshot, if it carries one: as cachedSnapshot's answer.
function snapshotFromMemory({ snapshot }) {
  if (!snapshot) return Promise.resolve(null);
  const memory = decoded(snapshot).then((bytes) => expandSnapshot(bytes.buffer));
  memory.catch(() => {}); // reported by loadPyodide, which awaits it
  return Promise.resolve({ memory });
}

// --- The memory snapshot, kept in Cache Storage ------------------------------------------

// Null where the browser offers no Cache Storage (say, not a secure context).
async function snapshotCache() {
  try {
    return self.caches ? await self.caches.open(SNAPSHOT_CACHE) : null;
  } catch {
    return null;
  }
}

// If this site's Cache Storage holds the snapshot: {memory}, a promise of Python's memory
// image, read at once. Otherwise null (this never downloads).
async function cachedSnapshot(url) {
  const cache = await snapshotCache();
  const response = cache && await cache.match(url, { ignoreVary: true }).catch(() => null);
  if (!response) return null;
  const memory = response.arrayBuffer().then(expandSnapshot);
  memory.catch(() => {}); // reported by loadPyodide, which awaits it
  return { memory };
}

// The snapshot file holds only the memory pages that are not zero (the format is described
// in macros/hooks/pyodide_snapshot.mjs); this rebuilds the memory image Pyodide expects.
const SPARSE_MAGIC = 0x31534253;

function expandSnapshot(buffer) {
  const [magic, length, count] = new Uint32Array(buffer, 0, 3);
  if (magic !== SPARSE_MAGIC) throw new Error("not a snapshot file");
  const runs = new Uint32Array(buffer, 12, 2 * count);
  const memory = new Uint8Array(length);
  let at = 12 + 8 * count;
  for (let i = 0; i < count; i++) {
    memory.set(new Uint8Array(buffer, at, runs[2 * i + 1]), runs[2 * i]);
    at += runs[2 * i + 1];
  }
  return memory;
}

// Downloads the snapshot into Cache Storage for the next visit, in place of any older one
// (a changed site has a new snapshot address).
async function fetchSnapshotForNextVisit() {
  const url = snapshotToFetch;
  snapshotToFetch = null;
  if (!url || savingData) return;
  const cache = await snapshotCache();
  if (!cache) return; // nowhere to keep it
  try {
    // Kept in Cache Storage only, not a second time in the HTTP cache.
    // Not part of starting: past countedFetch, which names a failure as Python's own.
    const response = await networkFetch(url, { cache: "no-store" });
    if (!response.ok) return;
    await cache.put(url, response);
    for (const request of await cache.keys()) {
      if (request.url !== url) await cache.delete(request);
    }
    self.postMessage({ type: "snapshot-downloaded" });
  } catch {
    // Only a later visit is slower.
  }
}

async function startFromSnapshot(loadPyodide, options, snapshot) {
  try {
    const pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot });
    // Every visitor restores the same memory: give the random module its own seed.
    pyodide.runPython("import random; random.seed()");
    return pyodide;
  } catch (error) {
    console.warn("Starting from the memory snapshot failed; starting Python afresh.", error);
    return null;
  }
}

async function start({ pyodideUrl, stdlibUrl, wheelUrl, bytecodeUrl, snapshotUrl, sizes, saveData, offline }) {
  savingData = Boolean(saveData);
  const runtimeUrl = (name) => new URL(name, pyodideUrl).href;
  const asmUrl = runtimeUrl("pyodide.asm.mjs");
  const wasmUrl = runtimeUrl("pyodide.asm.wasm");
  const stdlib = stdlibUrl || runtimeUrl("python_stdlib.zip");
  // From disk the page has loaded the files already (and shown their progress).
  const fromDisk = offline ? runtimeFromMemory(offline, asmUrl) : null;
  fromDisk?.catch(() => {}); // reported when awaited below
  if (!fromDisk) {
    status("Downloading Python…");
    self.postMessage({ type: "progress", done: 0, total: 0 }); // sizes not known yet
    track([pyodideUrl, asmUrl, wasmUrl, runtimeUrl("pyodide-lock.json"), stdlib, wheelUrl, bytecodeUrl],
      sizes || {});
    // Pyodide asks for its two large files only once its module and lock file have loaded,
    // round trips later: on a phone's link, asking now saves them.
    fetchEarly(wasmUrl);
    fetchEarly(stdlib);
  }
  // Everything that does not depend on something else starts now, in parallel. (Asking
  // for our files only after the runtime's had arrived was measured slower: issue 19.)
  const ours = Promise.all([
    fetchBytes(wheelUrl, "the calculators"),
    bytecodeUrl ? fetchBytes(bytecodeUrl, "the calculators' bytecode") : null,
  ]);
  ours.catch(() => {}); // reported when awaited below
  const snapshot = fromDisk ? snapshotFromMemory(offline)
    : snapshotUrl ? cachedSnapshot(snapshotUrl) : Promise.resolve(null);
  let loadPyodide;
  let createPyodideModule;
  if (fromDisk) {
    ({ loadPyodide, createPyodideModule } = await fromDisk);
  } else {
    // loadPyodide imports the runtime's large JavaScript module itself, once it has loaded;
    // importing it now overlaps its download and parsing (a module is only loaded once).
    importCounted(asmUrl).catch(() => {});
    // The runtime's folder name carries a content hash, so the page tells us where it is.
    ({ loadPyodide } = await importCounted(pyodideUrl));
  }
  const options = {
    indexURL: new URL(".", pyodideUrl).href,
    // The site's own standard library: only what the calculators use, as bytecode.
    ...(stdlibUrl ? { stdLibURL: stdlibUrl } : {}),
    // From disk: the module the build rewrote, instead of Pyodide importing its own.
    ...(createPyodideModule ? { createPyodideModule } : {}),
  };
  const cached = await snapshot;
  let pyodide = cached && await startFromSnapshot(loadPyodide, options, cached.memory);
  const fromSnapshot = Boolean(pyodide);
  if (!pyodide) {
    // A stored snapshot that failed would come back the same from the cache.
    if (!cached && !fromDisk) snapshotToFetch = snapshotUrl || null;
    pyodide = await loadPyodide(options);
  }
  times.pythonStarted = epochNow();
  status("Starting the calculators…");
  const [wheel, bytecode] = await ours;
  // From a snapshot the modules are loaded already; the files are still put in place,
  // so that tracebacks can show source lines.
  pyodide.unpackArchive(wheel, "wheel");
  if (bytecode) pyodide.unpackArchive(bytecode, "zip");
  runJson = pyodide.pyimport("calculators").run_json;
  times.calculatorsImported = epochNow();
  self.postMessage({ type: "started", fromSnapshot, times });
}

// A module the build did not put in the site's trimmed standard library.
function describe(error) {
  const text = String(error && error.message ? error.message : error);
  const missing = text.match(/ModuleNotFoundError: No module named '([^']+)'/);
  if (missing) {
    return `the site's Python library lacks the module '${missing[1]}' that the calculators ` +
      "need; rebuild the site so that the build includes it";
  }
  return text.split("\n").filter(Boolean).slice(-1)[0] || text;
}

// run_json never raises for bad input; anything else (say, Python out of memory) is still
// answered in its shape, so that the block that asked shows it instead of waiting forever.
function runFailed(error) {
  console.error(error); // the whole traceback; the block shows its last line
  return JSON.stringify({ ok: false, error: { field: "calculator", message: describe(error) } });
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "init") {
    if (!starting) awaitPage(message.fromPage);
    starting ??= Promise.race([start(message), downloadFailure]);
    try {
      await starting;
      clearInterval(stallWatch);
    } catch (error) {
      clearInterval(stallWatch);
      // A failed download explains more than the error it led to inside Pyodide.
      self.postMessage({ type: "failed", text: failedDownload || describe(error) });
    }
  } else if (message.type === "response") {
    pageAnswered(message);
  } else if (message.type === "run") {
    try {
      await starting;
    } catch {
      return; // every block has been told, by the "failed" message of init
    }
    let payload;
    try {
      payload = runJson(message.calculator, JSON.stringify(message.inputs));
    } catch (error) {
      payload = runFailed(error);
    }
    self.postMessage({ type: "result", id: message.id, payload });
    if (snapshotToFetch) setTimeout(fetchSnapshotForNextVisit, 0);
  }
};
