// Runs calculator cases inside Pyodide under Node, for the CPython/Pyodide parity test.
// Usage: node tests/pyodide_runner.mjs WHEEL [STDLIB_ZIP BYTECODE_ZIP] < cases.json
// With the site's own standard library and bytecode, it loads Python as the site's
// worker does. cases.json: [[calculator, inputs], ...]. Prints JSON: the Python
// version, each run_json output, and the traceback of an error raised inside the
// calculators (to check that it still names the file and the line).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadPyodide } from "pyodide";

const [wheelPath, stdlibPath, bytecodePath] = process.argv.slice(2);
const cases = JSON.parse(readFileSync(0, "utf8"));
const pyodide = await loadPyodide(stdlibPath ? { stdLibURL: resolve(stdlibPath) } : {});
// unpackArchive wants a plain typed array, not a Node Buffer.
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
if (bytecodePath) pyodide.unpackArchive(new Uint8Array(readFileSync(bytecodePath)), "zip");
const runJson = pyodide.pyimport("calculators").run_json;
const version = pyodide.runPython("import sys; sys.version.split()[0]");
const outputs = cases.map(([name, inputs]) => JSON.parse(runJson(name, JSON.stringify(inputs))));
let traceback = "";
try {
  pyodide.runPython("from calculators.money import dollars\ndollars('not a number')");
} catch (error) {
  traceback = String(error.message);
}
const fromBytecode = pyodide.runPython(
  "import calculators.money as m; m.__spec__.cached or ''");
process.stdout.write(JSON.stringify({ python: version, outputs, traceback, fromBytecode }));
