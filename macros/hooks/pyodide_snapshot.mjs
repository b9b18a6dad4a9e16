// Site build step: a memory snapshot of Python with the calculators ready, for warm visits.
//
// Usage: node macros/hooks/pyodide_snapshot.mjs PYODIDE_DIR STDLIB_ZIP WHEEL BYTECODE_ZIP CASES_JSON OUT
//
// Starts Pyodide (the pinned npm package, under Node) exactly as the site's worker does:
// the site's own standard library (STDLIB_ZIP, the bytes the browser gets, because the
// zip importer keeps the file's table of contents in memory), the calculators' wheel and
// bytecode, then runs every calculator's example so that every module and the limits
// file are loaded. Then writes the interpreter's memory to OUT with Pyodide's
// makeMemorySnapshot. The worker restores it only when the browser already has it
// cached (it is downloaded in the background after a first visit's first result), and
// starts Python afresh if restoring fails.
//
// Most of Python's memory is zero pages (of 31 MB, 12 MB are data), so the file holds
// only the pages that are not zero: the browser then has a third as many bytes to decode
// from its cache on a warm visit. Format (little-endian uint32s): SPARSE_MAGIC, the
// memory's length, the number of runs, then each run's offset and length, then the runs'
// bytes in order. The worker's expandSnapshot() reads it back.
//
// The snapshot holds no reader data: it is made at build time from example inputs.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { runCases, startCalculators } from "./pyodide_calculators.mjs";

const [pyodideDir, stdlibZip, wheel, bytecode, casesPath, out] = process.argv.slice(2);
if (!out) {
  console.error("usage: node macros/hooks/pyodide_snapshot.mjs PYODIDE_DIR STDLIB_ZIP WHEEL BYTECODE_ZIP CASES_JSON OUT");
  process.exit(2);
}
const pyodide = await startCalculators({
  pyodideDir, wheel, bytecode, stdLibURL: resolve(stdlibZip), _makeSnapshot: true,
});
runCases(pyodide, JSON.parse(readFileSync(casesPath, "utf8")));
pyodide.runPython("import gc; gc.collect()");
const SPARSE_MAGIC = 0x31534253; // "SBS1"
const PAGE = 65536;

function sparse(memory) {
  const runs = []; // [start, end) of pages that are not all zero, adjacent ones merged
  for (let start = 0; start < memory.length; start += PAGE) {
    const end = Math.min(start + PAGE, memory.length);
    if (!memory.subarray(start, end).some((byte) => byte !== 0)) continue;
    const last = runs.at(-1);
    if (last && last[1] === start) last[1] = end;
    else runs.push([start, end]);
  }
  const header = new Uint32Array([SPARSE_MAGIC, memory.length, runs.length,
    ...runs.flatMap(([start, end]) => [start, end - start])]);
  return Buffer.concat([Buffer.from(header.buffer), ...runs.map(([start, end]) => memory.subarray(start, end))]);
}

const snapshot = pyodide.makeMemorySnapshot();
const stored = sparse(snapshot);
writeFileSync(out, stored);
console.log(`memory snapshot: ${snapshot.length} bytes, ${stored.length} stored`);
