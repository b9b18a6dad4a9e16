// --- The Python worker ---------------------------------------------------------

// Every block's status line follows Python's start (blocks.js, refreshStatus).
function announce(text) {
  pythonStatus = text;
  hooks(document, "calculator").forEach(refreshStatus);
}

// The worker, once it exists: every message waits for it (from disk, its files load first).
let workerReady = null;

function post(message) {
  workerReady.then((started) => started && started.postMessage(message));
}

// Takes the worker's messages, first those it sent before this script ran (start.js).
function listen(started) {
  started.onmessage = (event) => receive(event.data);
  // The worker's own script failed to load or run (a refused or broken download of
  // calculator-worker.mjs): no message can come from it.
  started.onerror = (event) => {
    event.preventDefault();
    couldNotStart("its script did not load (calculator-worker.mjs)");
  };
  early.messages.splice(0).forEach(receive);
}

function receive(message) {
  if (failure) return; // what a failed start still says changes nothing
  if (message.type === "result") {
    const resolve = waiting.get(message.id);
    waiting.delete(message.id);
    if (resolve) resolve(JSON.parse(message.payload));
  } else if (message.type === "progress") {
    showProgress({ done: message.done, total: message.total });
  } else if (message.type === "started") {
    showProgress(null);
    // These marks let tests and benchmarks see how Python started.
    if (message.fromSnapshot) performance.mark(MARKS.fromSnapshot);
    for (const [step, time] of Object.entries(message.times || {})) {
      performance.mark(MARKS[step], { startTime: time - performance.timeOrigin });
    }
  } else if (message.type === "snapshot-downloaded") {
    performance.mark(MARKS.snapshotDownloaded);
  } else if (message.type === "failed") {
    couldNotStart(message.text);
  } else {
    announce(message.text);
  }
}

// Python will not start: every block says why, once, and shows no figure that does not
// belong to its form (blocks.js). Later messages from the worker change nothing.
function couldNotStart(text, advice = "Reload the page to try again.") {
  if (failure) return;
  failure = { text, advice };
  showProgress(null);
  hooks(document, "calculator").forEach(showFailure);
}

function startWorker() {
  if (workerReady) return;
  if (location.protocol === "file:") {
    workerReady = startFromDisk();
    return;
  }
  // Started already by the start script (start.js) when the page was opened with a link that wants it.
  const worker = early.worker || early.startWorker();
  listen(worker);
  workerReady = Promise.resolve(worker);
}

// From disk (file://), a page may not load the worker's module or fetch anything: the disk
// loader (disk.js) is inline in the pages of the copy made for mail; elsewhere it is a
// script of its own (javascripts/calculators-disk.js), loaded only here. Resolves to the
// worker, or to null once every block has been told why not.
function startFromDisk() {
  const start = () => window[CONTRACT.diskStart]({
    siteRoot, BrowserWorker, announce, showProgress, couldNotStart, listen,
    initMessage: () => early.initMessage(),
  });
  if (window[CONTRACT.diskStart]) return Promise.resolve(start());
  return new Promise((resolve) => {
    const tag = document.createElement("script");
    tag.src = new URL("javascripts/calculators-disk.js", siteRoot).href;
    tag.onload = () => resolve(start());
    tag.onerror = () => {
      couldNotStart("this copy lacks the file javascripts/calculators-disk.js; unzip the " +
        "whole copy again", "");
      resolve(null);
    };
    document.head.append(tag);
  });
}

// Starts Python and every block's first computation (once).
function startPython() {
  if (pythonAsked) return;
  pythonAsked = true;
  if (!early.worker) performance.mark(MARKS.pythonAsked); // when, for tests and benchmarks
  startWorker();
  starters.splice(0).forEach((begin) => begin());
}

// Python is a large download: it starts when a calculator comes near the screen or the
// reader reaches into one (focus, touch, click), and at once when the page was opened
// with a scenario link or a link into a calculator.
function startWhenNeeded(blocks) {
  let target = null;
  try {
    target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  } catch {
    // A malformed anchor names nothing.
  }
  if (early.linkWantsPython() || blocks.some((block) => block.contains(target)) ||
      !("IntersectionObserver" in window)) {
    startPython();
    return;
  }
  const near = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    near.disconnect();
    startPython();
  }, { rootMargin: NEAR });
  blocks.forEach((block) => {
    near.observe(block);
    ["focusin", "pointerdown", "touchstart"].forEach((type) =>
      block.addEventListener(type, startPython, { once: true, passive: true }));
  });
}

