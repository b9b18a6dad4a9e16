// Site build step: bytecode compiled by the browser's own interpreter.
//
// Usage: node macros/pyodide_bytecode.mjs PYODIDE_DIR WHEEL CASES_JSON OUT_DIR [DROP_MODULE]
//
// Runs every calculator inside Pyodide (the pinned npm package, under Node), the way
// the site's worker does, and records which standard-library modules that imports.
// Then, still inside Pyodide, so that the bytecode always matches the browser's
// interpreter, it writes:
//   OUT_DIR/python_stdlib.zip   those modules only, as .pyc, entries stored (not
//                               compressed) so HTTP compression works on the whole file
//   OUT_DIR/calculators-pyc.zip the calculators package as __pycache__/*.pyc
//   OUT_DIR/pyodide-lock.json   Pyodide's lock file with no packages: the site ships
//                               none, and loadPyodide needs only the file's "info"
//   OUT_DIR/modules.json        the module list, for the record
// The .pyc files are unchecked-hash pycs that keep each module's file name, so
// tracebacks still name the file and the line; the standard library's are compiled at
// optimization level 2 (no docstrings or asserts), the calculators' at level 0. Line
// tables hold lines but not columns (PYTHONNODEBUGRANGES, a quarter smaller compressed):
// tracebacks lose only the ^^^ markers under the failing expression. Modules the
// interpreter has frozen into its binary are never read from the zip and are left out.
// DROP_MODULE (tests only) leaves one module out, to check that a missing module gives
// a clear error.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheelPath, casesPath, outDir, dropModule = ""] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: node macros/pyodide_bytecode.mjs PYODIDE_DIR WHEEL CASES_JSON OUT_DIR [DROP_MODULE]");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(join(resolve(pyodideDir), "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: resolve(pyodideDir) + "/",
  // compile() below then writes line tables without column ranges.
  env: { PYTHONNODEBUGRANGES: "1" },
});
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");

// As the worker does: import from JavaScript, call run_json on every case.
const runJson = pyodide.pyimport("calculators").run_json;
for (const [name, inputs] of JSON.parse(readFileSync(casesPath, "utf8"))) {
  JSON.parse(runJson(name, JSON.stringify(inputs)));
}
// An exception crossing into JavaScript loads the traceback machinery too.
try {
  pyodide.runPython("raise ValueError('bytecode build: warm the traceback path')");
} catch (error) {
  // expected
}

pyodide.globals.set("drop_module", dropModule);
const report = pyodide.runPython(`
import importlib.util, io, json, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc
from pathlib import Path

STDLIB = "/lib/python314.zip/"
assert STDLIB[:-1] in sys.path, sys.path

def pyc(source: bytes, filename: str, optimize: int = 0) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True, optimize=optimize)
    return _code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)

def stored_zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            zf.writestr(info, entries[name])
    return buffer.getvalue()

def frozen(module) -> bool:
    return getattr(getattr(module, "__spec__", None), "origin", None) == "frozen"

files = sorted({m.__file__ for m in list(sys.modules.values())
                if (getattr(m, "__file__", None) or "").startswith(STDLIB) and not frozen(m)})
stdlib = zipfile.ZipFile(STDLIB[:-1])
entries = {}
for path in files:
    member = path[len(STDLIB):]
    module = member[:-3].replace("/__init__", "").replace("/", ".")
    if drop_module and (module == drop_module or module.startswith(drop_module + ".")):
        continue
    # Level 2 drops docstrings and asserts, as python -OO does: a quarter smaller.
    entries[member[:-3] + ".pyc"] = pyc(stdlib.read(member), path, optimize=2)

import calculators
package = Path(calculators.__file__).parent
tag = sys.implementation.cache_tag
own = {f"calculators/__pycache__/{p.stem}.{tag}.pyc": pyc(p.read_bytes(), str(p))
       for p in sorted(package.glob("*.py"))}
json.dumps({"stdlib": stored_zip(entries).hex(), "own": stored_zip(own).hex(),
            "modules": sorted(entries), "python": sys.version.split()[0]})
`);
const { stdlib, own, modules, python } = JSON.parse(report);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "python_stdlib.zip"), Buffer.from(stdlib, "hex"));
writeFileSync(join(outDir, "calculators-pyc.zip"), Buffer.from(own, "hex"));
const lock = JSON.parse(readFileSync(join(pyodideDir, "pyodide-lock.json"), "utf8"));
writeFileSync(join(outDir, "pyodide-lock.json"), JSON.stringify({ info: lock.info, packages: {} }));
writeFileSync(join(outDir, "modules.json"), JSON.stringify({ python, modules }, null, 1));
console.log(`bytecode for Python ${python}: ${modules.length} standard-library modules`);
