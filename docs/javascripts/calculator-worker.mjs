// Runs the calculators in Pyodide, off the main thread.
// Messages in:  {type: "init", pyodideUrl, wheelUrl} then {type: "run", id, calculator, inputs}
// Messages out: {type: "status", text}, {type: "result", id, payload} (JSON text from
// calculators.run_json), {type: "failed", text}. Only JSON-shaped data crosses.
let runJson = null;
let starting = null;

function status(text) {
  self.postMessage({ type: "status", text });
}

async function start(pyodideUrl, wheelUrl) {
  status("Downloading Python…");
  // The runtime's folder name carries a content hash, so the page tells us where it is.
  const { loadPyodide } = await import(pyodideUrl);
  const pyodide = await loadPyodide({ indexURL: new URL(".", pyodideUrl).href });
  status("Starting the calculators…");
  const response = await fetch(wheelUrl);
  if (!response.ok) {
    throw new Error(`could not download the calculators (${response.status} ${wheelUrl})`);
  }
  pyodide.unpackArchive(await response.arrayBuffer(), "wheel");
  runJson = pyodide.pyimport("calculators").run_json;
  status("Ready");
}

self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type === "init") {
      starting ??= start(message.pyodideUrl, message.wheelUrl);
      await starting;
    } else if (message.type === "run") {
      await starting;
      const payload = runJson(message.calculator, JSON.stringify(message.inputs));
      self.postMessage({ type: "result", id: message.id, payload });
    }
  } catch (error) {
    self.postMessage({ type: "failed", text: String(error && error.message ? error.message : error) });
  }
};
