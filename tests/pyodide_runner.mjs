// Runs calculator cases inside Pyodide under Node, for the CPython/Pyodide parity test.
// Usage: node tests/pyodide_runner.mjs PYODIDE_DIR WHEEL [STDLIB_ZIP BYTECODE_ZIP] < cases.json
// With the site's own standard library and bytecode, it loads Python as the site's
// worker does. cases.json: [[calculator, inputs], ...]. Prints JSON: the Python
// version, each run_json output, the traceback of an error raised inside the
// calculators (to check that it still names the file and the line), and the bytecode
// file the calculators were loaded from, if there is one.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { runCases, startCalculators } from "../macros/hooks/pyodide_calculators.mjs";

const [pyodideDir, wheel, stdlib, bytecode] = process.argv.slice(2);
const pyodide = await startCalculators({
  pyodideDir, wheel, bytecode, ...(stdlib ? { stdLibURL: resolve(stdlib) } : {}),
});
const outputs = runCases(pyodide, JSON.parse(readFileSync(0, "utf8")));
const version = pyodide.runPython("import sys; sys.version.split()[0]");
let traceback = "";
try {
  pyodide.runPython("from calculators.money import dollars\ndollars('not a number')");
} catch (error) {
  traceback = String(error.message);
}
// __spec__.cached is where a .pyc would be, whether or not there is one: check the file.
const fromBytecode = pyodide.runPython(
  "import os, calculators.money as m; m.__spec__.cached if os.path.isfile(m.__spec__.cached) else ''");
process.stdout.write(JSON.stringify({ python: version, outputs, traceback, fromBytecode }));
