// Runs the calculators in Pyodide, off the main thread.
// Messages in:  {type: "init", pyodideUrl, stdlibUrl, wheelUrl, bytecodeUrl, snapshotUrl}
//               then {type: "run", id, calculator, inputs}
// Messages out: {type: "status", text}, {type: "started", fromSnapshot},
//               {type: "snapshot-downloaded"},
//               {type: "result", id, payload} (JSON text in calculators.run_json's shape),
//               {type: "failed", text} (Python could not start). Only JSON-shaped data
//               crosses. No "ready" status: a block says it is ready once it shows a live
//               result.
//
// Warm visits start from a memory snapshot of Python with the calculators loaded, made
// at build time (macros/build/pyodide_snapshot.mjs), when the browser already has it cached.
// A first visit never waits for it: after its first result, the snapshot downloads in
// the background (not when the reader has asked the browser to save data). Restoring a
// snapshot uses a private Pyodide option (_loadSnapshot); if it fails in any way, Python
// starts afresh as on a first visit.
let runJson = null;
let starting = null;
let snapshotToFetch = null; // set when this visit did not start from the snapshot

function status(text) {
  self.postMessage({ type: "status", text });
}

async function fetchBytes(url, what) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not download ${what} (${response.status} ${url})`);
  return response.arrayBuffer();
}

// If the browser has the snapshot cached: {memory}, a promise of Python's memory image,
// read at once. Otherwise null (this never downloads).
async function cachedSnapshot(url) {
  let response;
  try {
    response = await fetch(url, { cache: "only-if-cached", mode: "same-origin" });
  } catch {
    return null;
  }
  if (!response.ok) return null;
  const memory = response.arrayBuffer().then(expandSnapshot);
  memory.catch(() => {}); // reported by loadPyodide, which awaits it
  return { memory };
}

// The snapshot file holds only the memory pages that are not zero (the format is described
// in macros/build/pyodide_snapshot.mjs); this rebuilds the memory image Pyodide expects.
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

// Downloads the snapshot into the HTTP cache for the next visit; the bytes are dropped.
async function fetchSnapshotForNextVisit() {
  const url = snapshotToFetch;
  snapshotToFetch = null;
  if (!url || self.navigator.connection?.saveData) return;
  try {
    const response = await fetch(url);
    await response.body.pipeTo(new WritableStream());
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

async function start({ pyodideUrl, stdlibUrl, wheelUrl, bytecodeUrl, snapshotUrl }) {
  status("Downloading Python…");
  // Everything that does not depend on something else starts now, in parallel.
  const ours = Promise.all([
    fetchBytes(wheelUrl, "the calculators"),
    bytecodeUrl ? fetchBytes(bytecodeUrl, "the calculators' bytecode") : null,
  ]);
  ours.catch(() => {}); // reported when awaited below
  const snapshot = snapshotUrl ? cachedSnapshot(snapshotUrl) : Promise.resolve(null);
  // loadPyodide imports the runtime's large JavaScript module itself, once it has loaded;
  // importing it now overlaps its download and parsing (a module is only loaded once).
  import(new URL("pyodide.asm.mjs", pyodideUrl).href).catch(() => {});
  // The runtime's folder name carries a content hash, so the page tells us where it is.
  const { loadPyodide } = await import(pyodideUrl);
  const options = {
    indexURL: new URL(".", pyodideUrl).href,
    // The site's own standard library: only what the calculators use, as bytecode.
    ...(stdlibUrl ? { stdLibURL: stdlibUrl } : {}),
  };
  const cached = await snapshot;
  let pyodide = cached && await startFromSnapshot(loadPyodide, options, cached.memory);
  const fromSnapshot = Boolean(pyodide);
  if (!pyodide) {
    // A cached snapshot that failed would come back the same from the cache.
    if (!cached) snapshotToFetch = snapshotUrl || null;
    pyodide = await loadPyodide(options);
  }
  status("Starting the calculators…");
  const [wheel, bytecode] = await ours;
  // From a snapshot the modules are loaded already; the files are still put in place,
  // so that tracebacks can show source lines.
  pyodide.unpackArchive(wheel, "wheel");
  if (bytecode) pyodide.unpackArchive(bytecode, "zip");
  runJson = pyodide.pyimport("calculators").run_json;
  self.postMessage({ type: "started", fromSnapshot });
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
    starting ??= start(message);
    try {
      await starting;
    } catch (error) {
      self.postMessage({ type: "failed", text: describe(error) });
    }
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
