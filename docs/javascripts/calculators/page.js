// The one generic loader for every calculator on the site: the page script (this file
// starts it).
//
// A calculator block is built at site-build time from the Python declaration,
// with the default results already in it. This script only: starts Python in a
// Web Worker when the reader comes near a calculator (or opens a link to one), sends
// the form's raw values to it on each change, writes the answer back with textContent (never as HTML), and keeps
// the inputs in the page URL so that a link reopens the same scenario.
//
// Link format: page.html#calculator-NAME?field=value&... (start.js): the values follow
// the "#", so no request carries them to a server. Values from a link are untrusted: they are set as form values (never as markup) and checked
// by the same Python validation as typed input; a refused one is put back to the
// example value with a note naming it.
//
// Its parts, each a job (the build joins them in this order: macros/hooks/page_script.py):
// page.js (this: the page's constants), worker.js (the Python worker and when it starts),
// progress.js (the download's progress line), display.js (drawing an answer from its
// display trees), links.js (scenario links), blocks.js (binding each calculator block,
// the printed handout, the page's start). disk.js, the loader for pages opened from disk,
// is a script of its own (javascripts/calculators-disk.js), loaded only there; start.js,
// which starts Python at once for a link that wants it, is the first script of the head
// (inline: macros/hooks/page_script.py), and this one is deferred.
// CONTRACT, before them all, holds the names shared with Python (macros/contract.py).

const early = window[CONTRACT.early]; // set by the start script, which ran first
const { siteRoot, BrowserWorker } = early;
// Python starts when a calculator comes within this distance of the screen (a screen's
// height above or below): usually live by the time the reader gets there, while a
// reader at the top of a page downloads nothing.
const NEAR = "100% 0px";
let pythonAsked = false;
const starters = []; // each bound block's first computation, run when Python is asked for
let nextId = 0;
const waiting = new Map(); // request id -> resolve
let pythonStatus = ""; // what the worker last said while starting ("Downloading Python…")
let failure = null; // {text, advice} once Python could not start: it will not
// The calculator block's hooks, by their names in the contract: hook(block, "status").
const DATA = CONTRACT.data;
const MARKS = CONTRACT.marks;
const hook = (root, key) => root.querySelector(`[${DATA[key]}]`);
const hooks = (root, key) => root.querySelectorAll(`[${DATA[key]}]`);
