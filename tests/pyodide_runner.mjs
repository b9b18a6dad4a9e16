// Runs calculator cases inside Pyodide under Node, for the CPython/Pyodide parity test.
// Usage: node tests/pyodide_runner.mjs WHEEL < cases.json
// cases.json: [[calculator, inputs], ...]; prints a JSON array of run_json outputs.
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [wheelPath] = process.argv.slice(2);
const cases = JSON.parse(readFileSync(0, "utf8"));
const pyodide = await loadPyodide();
// unpackArchive wants a plain typed array, not a Node Buffer.
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
const runJson = pyodide.pyimport("calculators").run_json;
const version = pyodide.runPython("import sys; sys.version.split()[0]");
const outputs = cases.map(([name, inputs]) => JSON.parse(runJson(name, JSON.stringify(inputs))));
process.stdout.write(JSON.stringify({ python: version, outputs }));
