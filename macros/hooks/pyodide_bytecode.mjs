// Site build step: bytecode compiled by the browser's own interpreter.
//
// Usage: node macros/hooks/pyodide_bytecode.mjs PYODIDE_DIR WHEEL CASES_JSON OUT_DIR
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
// The .pyc files are unchecked-hash pycs that keep each module's file name, so
// tracebacks still name the file and the line; the standard library's are compiled at
// optimization level 2 (no docstrings or asserts), the calculators' at level 0. Line
// tables hold lines but not columns (PYTHONNODEBUGRANGES, a quarter smaller compressed):
// tracebacks lose only the ^^^ markers under the failing expression. Modules the
// interpreter has frozen into its binary are never read from the zip and are left out.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { runCases, startCalculators } from "./pyodide_calculators.mjs";

const [pyodideDir, wheel, casesPath, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: node macros/hooks/pyodide_bytecode.mjs PYODIDE_DIR WHEEL CASES_JSON OUT_DIR");
  process.exit(2);
}
// compile() below then writes line tables without column ranges.
const pyodide = await startCalculators({ pyodideDir, wheel, env: { PYTHONNODEBUGRANGES: "1" } });
runCases(pyodide, JSON.parse(readFileSync(casesPath, "utf8")));
// An exception crossing into JavaScript loads the traceback machinery too.
try {
  pyodide.runPython("raise ValueError('bytecode build: warm the traceback path')");
} catch (error) {
  // expected
}

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
    # Level 2 drops docstrings and asserts, as python -OO does: a quarter smaller.
    entries[member[:-3] + ".pyc"] = pyc(stdlib.read(member), path, optimize=2)

import calculators
package = Path(calculators.__file__).parent
tag = sys.implementation.cache_tag
own = {f"calculators/__pycache__/{p.stem}.{tag}.pyc": pyc(p.read_bytes(), str(p))
       for p in sorted(package.glob("*.py"))}
json.dumps({"stdlib": stored_zip(entries).hex(), "own": stored_zip(own).hex(),
            "modules": len(entries), "python": sys.version.split()[0]})
`);
const { stdlib, own, modules, python } = JSON.parse(report);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "python_stdlib.zip"), Buffer.from(stdlib, "hex"));
writeFileSync(join(outDir, "calculators-pyc.zip"), Buffer.from(own, "hex"));
const lock = JSON.parse(readFileSync(join(pyodideDir, "pyodide-lock.json"), "utf8"));
writeFileSync(join(outDir, "pyodide-lock.json"), JSON.stringify({ info: lock.info, packages: {} }));
console.log(`bytecode for Python ${python}: ${modules} standard-library modules`);
