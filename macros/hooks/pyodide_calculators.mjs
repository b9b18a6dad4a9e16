// Pyodide under Node with the calculators installed the way the site's worker installs
// them (docs/javascripts/calculator-worker.mjs): used by the build steps that make the
// bytecode and the memory snapshot, and by the CPython/Pyodide parity test.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

// options go to loadPyodide (stdLibURL, env, _makeSnapshot…); bytecode is optional.
export async function startCalculators({ pyodideDir, wheel, bytecode, ...options }) {
  const dir = resolve(pyodideDir);
  const { loadPyodide } = await import(pathToFileURL(join(dir, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL: dir + "/", ...options });
  // unpackArchive wants a plain typed array, not a Node Buffer.
  pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel");
  if (bytecode) pyodide.unpackArchive(new Uint8Array(readFileSync(bytecode)), "zip");
  return pyodide;
}

// As the worker does: calls run_json from JavaScript on each [calculator, inputs] case.
export function runCases(pyodide, cases) {
  const calculators = pyodide.pyimport("calculators");
  const outputs = cases.map(([name, inputs]) =>
    JSON.parse(calculators.run_json(name, JSON.stringify(inputs))));
  calculators.destroy();
  return outputs;
}
