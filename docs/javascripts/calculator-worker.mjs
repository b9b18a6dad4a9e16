// Runs the calculators in Pyodide, off the main thread.
// Messages in:  {type: "init", pyodideUrl, stdlibUrl, wheelUrl, bytecodeUrl}
//               then {type: "run", id, calculator, inputs}
// Messages out: {type: "status", text}, {type: "result", id, payload} (JSON text from
// calculators.run_json), {type: "failed", text}. Only JSON-shaped data crosses.
let runJson = null;
let starting = null;

function status(text) {
  self.postMessage({ type: "status", text });
}

async function fetchBytes(url, what) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not download ${what} (${response.status} ${url})`);
  return response.arrayBuffer();
}

async function start({ pyodideUrl, stdlibUrl, wheelUrl, bytecodeUrl }) {
  status("Downloading Python…");
  // The calculators download while Python starts.
  const ours = Promise.all([
    fetchBytes(wheelUrl, "the calculators"),
    bytecodeUrl ? fetchBytes(bytecodeUrl, "the calculators' bytecode") : null,
  ]);
  ours.catch(() => {}); // reported when awaited below
  // The runtime's folder name carries a content hash, so the page tells us where it is.
  const { loadPyodide } = await import(pyodideUrl);
  const pyodide = await loadPyodide({
    indexURL: new URL(".", pyodideUrl).href,
    // The site's own standard library: only what the calculators use, as bytecode.
    ...(stdlibUrl ? { stdLibURL: stdlibUrl } : {}),
  });
  status("Starting the calculators…");
  const [wheel, bytecode] = await ours;
  pyodide.unpackArchive(wheel, "wheel");
  if (bytecode) pyodide.unpackArchive(bytecode, "zip");
  runJson = pyodide.pyimport("calculators").run_json;
  status("Ready");
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

self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type === "init") {
      starting ??= start(message);
      await starting;
    } else if (message.type === "run") {
      await starting;
      const payload = runJson(message.calculator, JSON.stringify(message.inputs));
      self.postMessage({ type: "result", id: message.id, payload });
    }
  } catch (error) {
    self.postMessage({ type: "failed", text: describe(error) });
  }
};
