// The one generic loader for every calculator on the site.
//
// A calculator block is built at site-build time from the Python declaration,
// with the default results already in it. This script only: starts Python in a
// Web Worker when the reader comes near a calculator (or opens a link to one), sends
// the form's raw values to it on each change, writes the answer back with textContent (never as HTML), and keeps
// the inputs in the page URL so that a link reopens the same scenario.
//
// Link format: ?calculator=NAME&field=value&...#calculator-NAME. Values from a
// link are untrusted: they are set as form values (never as markup) and checked
// by the same Python validation as typed input; a refused one is put back to the
// example value with a note naming it.
(function () {
  "use strict";

  // Loaded in the <head> of calculator pages only; the tag names the runtime's files.
  const script = document.currentScript;
  const scriptUrl = script.src;
  const siteRoot = new URL("..", scriptUrl); // this script is javascripts/calculators.js
  // The browser's own Worker: on a page opened from disk, the search's iframe-worker shim,
  // loaded after this script (overrides/main.html), replaces window.Worker.
  const BrowserWorker = window.Worker;
  // Python starts when a calculator comes within this distance of the screen (a screen's
  // height above or below): usually live by the time the reader gets there, while a
  // reader at the top of a page downloads nothing.
  const NEAR = "100% 0px";
  let pythonAsked = false;
  const starters = []; // each bound block's first computation, run when Python is asked for
  let nextId = 0;
  const waiting = new Map(); // request id -> resolve
  const statusListeners = new Set();
  let lastStatus = "";

  // --- The Python worker ---------------------------------------------------------

  function announce(text) {
    lastStatus = text;
    statusListeners.forEach((listener) => listener(text));
  }

  // The worker, once it exists: every message waits for it (from disk, its files load first).
  let workerReady = null;

  function post(message) {
    workerReady.then((started) => started && started.postMessage(message));
  }

  function listen(started) {
    started.onmessage = (event) => {
      const message = event.data;
      if (message.type === "result") {
        const resolve = waiting.get(message.id);
        waiting.delete(message.id);
        if (resolve) resolve(JSON.parse(message.payload));
      } else if (message.type === "progress") {
        showProgress({ done: message.done, total: message.total });
      } else if (message.type === "started") {
        showProgress(null);
        // These marks let tests and benchmarks see how Python started.
        if (message.fromSnapshot) performance.mark("calculator-python-from-snapshot");
      } else if (message.type === "snapshot-downloaded") {
        performance.mark("calculator-snapshot-downloaded");
      } else if (message.type === "failed") {
        couldNotStart(message.text);
      } else {
        announce(message.text);
      }
    };
    started.onerror = () => {
      showProgress(null);
      announce("The calculator could not start in this browser. The results shown are for the example values.");
    };
  }

  function couldNotStart(text, advice = "Reload the page to try again.") {
    showProgress(null);
    announce("The calculator could not start: " + text + ". " + advice);
  }

  function initMessage() {
    const url = (path) => (path ? new URL(path, siteRoot).href : "");
    return {
      type: "init",
      pyodideUrl: url(script.dataset.pyodide),
      stdlibUrl: url(script.dataset.stdlib),
      wheelUrl: url(script.dataset.wheel),
      bytecodeUrl: url(script.dataset.bytecode),
      snapshotUrl: url(script.dataset.snapshot),
      sizes: JSON.parse(script.dataset.sizes || "{}"),
      saveData: savingData(),
    };
  }

  function startWorker() {
    if (workerReady) return;
    if (location.protocol === "file:") {
      workerReady = startFromDisk();
      return;
    }
    const worker = new BrowserWorker(new URL("calculator-worker.mjs", scriptUrl), { type: "module" });
    listen(worker);
    worker.postMessage(initMessage());
    workerReady = Promise.resolve(worker);
  }

  // --- From disk -------------------------------------------------------------------
  // Opened from disk (file://), a page may not load the worker's module or fetch anything.
  // The offline copy (make bundle) carries the worker and each file it needs as a classic
  // script under assets/offline/ (macros/hooks/offline.py) that calls MBR_OFFLINE once; the
  // worker starts from a data: URL and gets the files' contents with its init message.
  // Resolves to the worker, or to null once every block has been told why it cannot start.

  const OFFLINE_MANIFEST = "assets/offline/manifest.js";

  async function startFromDisk() {
    announce("Loading Python…");
    showProgress({ done: 0, total: 0 });
    let parts;
    try {
      parts = await loadFromDisk();
    } catch (error) {
      couldNotStart(error.message, "The results shown are for the example values.");
      return null;
    }
    showProgress(null);
    const offline = { files: {}, scripts: {} };
    Object.values(parts).forEach((part) => {
      if (part.kind === "file") offline.files[new URL(part.name, siteRoot).href] = part;
      else if (part.kind === "script") offline.scripts[part.name] = part;
      else if (part.kind === "snapshot") offline.snapshot = part;
    });
    let worker;
    try {
      worker = new BrowserWorker("data:text/javascript;charset=utf-8," + encodeURIComponent(parts.worker.text),
        { type: "module" });
    } catch (error) {
      couldNotStart(`this browser cannot start Python from disk (${error.message})`,
        "Serve the copy instead: run `python3 serve.py` in its folder.");
      return null;
    }
    listen(worker);
    worker.postMessage({ ...initMessage(), offline });
    delete window.MBR_OFFLINE; // and with it the files' text, now the worker's
    return worker;
  }

  // {name: part} once every script of the manifest has run; the progress line counts them.
  function loadFromDisk() {
    return new Promise((resolve, reject) => {
      const parts = {};
      let toLoad = 0;
      let done = 0;
      let total = 0;
      let failed = false; // scripts still loading after one failed count for nothing
      const load = (src, onLoad, problem) => {
        const tag = document.createElement("script");
        tag.src = new URL(src, siteRoot).href;
        tag.onload = () => { tag.remove(); if (!failed) onLoad(); };
        tag.onerror = () => {
          tag.remove();
          failed = true;
          reject(new Error(problem));
        };
        document.head.append(tag);
      };
      const chunks = {}; // name -> its base64 text in pieces, joined once all have run
      window.MBR_OFFLINE = (entry) => {
        if (entry.kind === "worker") {
          parts.worker = entry;
          return;
        }
        if (entry.kind !== "manifest") {
          const file = (chunks[entry.name] ??= { pieces: [], got: 0 });
          file.pieces[entry.chunk] = entry.base64;
          if (++file.got === entry.chunks) parts[entry.name] = { ...entry, base64: file.pieces.join("") };
          return;
        }
        toLoad = entry.parts.length;
        total = entry.parts.reduce((sum, part) => sum + part.bytes, 0);
        entry.parts.forEach(({ src, bytes }) => load(src, () => {
          done += bytes;
          showProgress({ done, total });
          if (--toLoad === 0) resolve(parts);
        }, `this copy lacks the file ${src}; unzip the whole copy again`));
      };
      load(OFFLINE_MANIFEST, () => {}, "this copy of the site cannot run Python from disk: " +
        "open the offline copy (make bundle), or serve the site (`python3 serve.py` in its " +
        "folder, or `make serve`)");
    });
  }

  // The reader asked to save data, or the browser reports a slow connection: the snapshot
  // for later visits is not downloaded. (Asked here: browsers apply a tab's emulated
  // conditions to the page, not always to its worker.)
  function savingData() {
    const connection = navigator.connection;
    return Boolean(connection && (connection.saveData || ["slow-2g", "2g"].includes(connection.effectiveType)));
  }

  // Starts Python and every block's first computation (once).
  function startPython() {
    if (pythonAsked) return;
    pythonAsked = true;
    performance.mark("calculator-python-asked"); // when, for tests and benchmarks
    startWorker();
    starters.splice(0).forEach((begin) => begin());
  }

  // A scenario link, or a link to a calculator block (its id), wants Python at once.
  function linkWantsPython() {
    return new URLSearchParams(location.search).has("calculator") || location.hash.startsWith("#calculator-");
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
    if (linkWantsPython() || blocks.some((block) => block.contains(target)) ||
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

  // --- Download progress -----------------------------------------------------------
  // Beside each status line, for the eye only (aria-hidden): the status line, a live
  // region, announces "Downloading Python…" and the finish, not every step between.

  let download = null; // {done, total} bytes while Python downloads (total 0: not known yet)

  function drawProgress(line) {
    line.hidden = !download;
    if (!download || !download.total) return; // a bar without a value, no figures
    const megabytes = (bytes) => (bytes / 1e6).toFixed(1);
    const bar = line.querySelector("progress");
    bar.max = download.total;
    bar.value = Math.min(download.done, download.total);
    line.querySelector("span").textContent = `${megabytes(download.done)} of ${megabytes(download.total)} MB`;
  }

  function progressLine(block) {
    const line = element("p");
    line.className = "calculator__progress";
    line.dataset.progress = "";
    line.setAttribute("aria-hidden", "true");
    line.append(element("progress"), " ", element("span"));
    block.querySelector("[data-status]").after(line);
    drawProgress(line);
  }

  // state: {done, total}, or null once Python has started or failed.
  function showProgress(state) {
    download = state;
    document.querySelectorAll("[data-progress]").forEach(drawProgress);
  }

  function ask(name, inputs) {
    startPython(); // any question starts it
    const id = ++nextId;
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      post({ type: "run", id, calculator: name, inputs });
    });
  }

  // --- Drawing an answer -----------------------------------------------------------

  function element(tag, text) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setStatus(block, text) {
    block.querySelector("[data-status]").textContent = text;
  }

  function showFieldError(block, field, message) {
    block.querySelectorAll(".calculator__error").forEach((p) => {
      const name = p.closest("[data-field]").dataset.field;
      const control = block.querySelector(`[name="${name}"]`);
      const isBad = name === field;
      p.hidden = !isBad;
      p.textContent = isBad ? message : "";
      if (isBad) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    });
  }

  // --- Display trees (calculators/display.py) as DOM --------------------------------
  // An element is {tag, attrs, children}, a text a string. The same allow-list as the
  // Python side: anything else is refused, so no tree can carry a script, a handler,
  // a link or an inline style. Texts go in as text nodes, never as markup.

  const HTML_TAGS = new Set([
    "caption", "dd", "div", "dl", "dt", "figcaption", "figure", "li", "p", "span", "strong",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
  ]);
  const SVG_TAGS = new Set(["line", "polyline", "svg", "text"]);
  const ATTRIBUTES = new Set([
    "aria-hidden", "aria-label", "class", "hidden", "role", "scope", "tabindex",
    "data-display", "data-output", "data-output-chart", "data-output-row", "data-output-table",
    "data-summary", "data-warnings",
    "dominant-baseline", "fill", "points", "text-anchor", "viewBox", "x", "x1", "x2", "y", "y1",
    "y2",
  ]);
  const SVG_NS = "http://www.w3.org/2000/svg";

  function checked(node) {
    if (!HTML_TAGS.has(node.tag) && !SVG_TAGS.has(node.tag)) {
      throw new Error(`display: tag '${node.tag}' is not allowed`);
    }
    Object.keys(node.attrs).forEach((name) => {
      if (!ATTRIBUTES.has(name)) throw new Error(`display: attribute '${name}' is not allowed`);
    });
    return node;
  }

  // build and patch draw trees that renderParts has already checked whole.
  function build(node) {
    if (typeof node === "string") return document.createTextNode(node);
    const made = SVG_TAGS.has(node.tag)
      ? document.createElementNS(SVG_NS, node.tag)
      : document.createElement(node.tag);
    Object.entries(node.attrs).forEach(([name, value]) => made.setAttribute(name, value));
    made.append(...node.children.map(build));
    return made;
  }

  function sameKind(current, node) {
    if (typeof node === "string") return current.nodeType === Node.TEXT_NODE;
    return current.nodeType === Node.ELEMENT_NODE && current.localName === node.tag
      && current.namespaceURI === (SVG_TAGS.has(node.tag) ? SVG_NS : "http://www.w3.org/1999/xhtml");
  }

  // Makes `current` match the tree, changing only what differs: a screen reader in the
  // live region then hears the figures that changed, not the whole list again.
  function patch(current, node) {
    if (!sameKind(current, node)) {
      current.replaceWith(build(node));
      return;
    }
    if (typeof node === "string") {
      if (current.data !== node) current.data = node;
      return;
    }
    const names = Object.keys(node.attrs);
    if (current.getAttributeNames().join(" ") !== names.join(" ")) {
      // Other attributes or another order: set them afresh, in the tree's order.
      current.getAttributeNames().forEach((name) => current.removeAttribute(name));
    }
    names.forEach((name) => {
      if (current.getAttribute(name) !== node.attrs[name]) current.setAttribute(name, node.attrs[name]);
    });
    const existing = [...current.childNodes];
    node.children.forEach((child, index) => {
      if (index < existing.length) patch(existing[index], child);
      else current.append(build(child));
    });
    existing.slice(node.children.length).forEach((extra) => extra.remove());
  }

  function checkedTree(node) {
    if (typeof node !== "string") checked(node).children.forEach(checkedTree);
  }

  function renderParts(block, parts) {
    // The whole answer is checked before any of it is drawn: never half a result.
    Object.values(parts).forEach((tree) => { if (tree) checkedTree(tree); });
    Object.entries(parts).forEach(([part, tree]) => {
      const current = block.querySelector(`[data-display="${part}"]`);
      if (current && tree) patch(current, tree);
      else if (current || tree) throw new Error(`display: part '${part}' does not match the page`);
    });
  }

  // sources: {year: the IRS notice behind that year's limits}, from the block.
  function render(block, answer, sources) {
    if (!answer.ok) {
      const { field, message } = answer.error;
      const known = block.querySelector(`[data-field="${CSS.escape(field)}"]`);
      showFieldError(block, known ? field : null, message);
      block.classList.add("calculator--stale");
      setStatus(block, known
        ? "Out of date: fix the field marked above to update the results."
        : "Out of date: " + field + ": " + message);
      return;
    }
    showFieldError(block, null, "");
    try {
      renderParts(block, answer.display);
    } catch (error) {
      // Only a defect in the build can send a tree the allow-list refuses.
      block.classList.add("calculator--stale");
      setStatus(block, "Out of date: the result could not be shown (" + error.message + ").");
      return;
    }
    block.classList.remove("calculator--stale");
    block.querySelector("[data-print-year]").textContent = answer.result.year || "";
    block.querySelector("[data-print-source]").textContent = sources[answer.result.year] || "";
    setStatus(block, "Ready: results update as you type.");
    // Lets benchmarks read the time from navigation to the first live result.
    if (!performance.getEntriesByName("calculator-first-result").length) {
      performance.mark("calculator-first-result");
    }
  }

  // --- Link state ------------------------------------------------------------------

  function formValues(form) {
    return Object.fromEntries(new FormData(form).entries());
  }

  function scenarioUrl(block) {
    const url = new URL(location.href);
    const params = new URLSearchParams();
    params.set("calculator", block.dataset.calculator);
    Object.entries(formValues(block.querySelector("form"))).forEach(([name, value]) => {
      if (value !== "") params.set(name, value);
    });
    url.search = params.toString();
    url.hash = block.id;
    return url.href;
  }

  function labelOf(block, name) {
    const label = block.querySelector(`[data-field="${CSS.escape(name)}"] label`);
    return label ? label.firstChild.textContent.trim() : name;
  }

  function resetToExample(control) {
    if (control.tagName === "SELECT") {
      [...control.options].forEach((option) => { option.selected = option.defaultSelected; });
    } else {
      control.value = control.defaultValue;
    }
  }

  // Puts the link's values into the form; returns {name: raw value} of those applied.
  function applyLink(block, notes) {
    const params = new URLSearchParams(location.search);
    const target = params.get("calculator") || document.querySelector(".calculator[data-calculator]").dataset.calculator;
    if (target !== block.dataset.calculator) return {};
    const form = block.querySelector("form");
    const applied = {};
    params.forEach((value, name) => {
      if (name === "calculator") return;
      const control = form.elements.namedItem(name);
      if (!control || !control.name) {
        notes.push(`"${name}" is not a field of this calculator.`);
        return;
      }
      control.value = value;
      applied[name] = value;
    });
    return applied;
  }

  function showNotes(block, notes) {
    const box = block.querySelector("[data-link-note]");
    box.hidden = notes.length === 0;
    box.replaceChildren(
      element("strong", "Some values in the link were ignored:"),
      ...notes.map((text) => element("span", " " + text)));
  }

  // --- Binding a block -------------------------------------------------------------

  function markActive(block) {
    if (block.classList.contains("calculator--active")) return; // called on every keystroke
    document.querySelectorAll(".calculator--active").forEach((b) => b.classList.remove("calculator--active"));
    block.classList.add("calculator--active");
    document.body.dataset.printCalculator = block.dataset.calculator;
  }

  async function copyLink(block) {
    const status = block.querySelector("[data-copy-status]");
    const link = scenarioUrl(block);
    try {
      await navigator.clipboard.writeText(link);
      status.textContent = "Link copied.";
    } catch (error) {
      status.textContent = "Copy this link: " + link;
    }
  }

  async function bind(block) {
    const name = block.dataset.calculator;
    const form = block.querySelector("form");
    progressLine(block);
    const onStatus = (text) => setStatus(block, text);
    statusListeners.add(onStatus);
    if (lastStatus) onStatus(lastStatus);
    if (!document.querySelector(".calculator--active")) markActive(block);
    block.querySelectorAll("[data-needs-script]").forEach((node) => { node.hidden = false; });

    const sources = JSON.parse(block.dataset.sources);
    // Every change is sent at once: Python answers in milliseconds, and an answer that
    // arrives after a newer request was sent is dropped.
    let latest = 0;
    const request = async () => {
      const id = ++latest;
      return { id, answer: await ask(name, formValues(form)) };
    };
    const show = ({ id, answer }, remember) => {
      if (id !== latest) return;
      // From its first answer on, the block's status is its own.
      statusListeners.delete(onStatus);
      render(block, answer, sources);
      if (!answer.ok) return;
      const link = scenarioUrl(block);
      fillHandout(block, link);
      // The URL follows the inputs without adding a history entry per keystroke.
      if (remember) history.replaceState(history.state, "", link);
    };
    const recompute = async (remember) => show(await request(), remember);
    const changed = () => { markActive(block); recompute(true); };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", (event) => { event.preventDefault(); recompute(true); });
    block.querySelector("[data-copy-link]").addEventListener("click", () => copyLink(block));
    block.querySelector("[data-print-button]").addEventListener("click", () => { markActive(block); window.print(); });

    // The first computation waits until Python is asked for (see startWhenNeeded).
    const begin = async () => {
      // Values from a link first: each refused one goes back to the example value.
      const notes = [];
      const fromLink = applyLink(block, notes);
      if (!Object.keys(fromLink).length && !notes.length) {
        // The browser may have restored typed values (back button): compute what the form shows.
        await recompute(false);
        return;
      }
      markActive(block);
      setStatus(block, "Working out the numbers from your link…");
      let asked = await request();
      while (!asked.answer.ok && asked.answer.error.field in fromLink) {
        const { field, message } = asked.answer.error;
        notes.push(`${labelOf(block, field)} ("${fromLink[field]}") ${message}.`);
        delete fromLink[field];
        resetToExample(form.elements.namedItem(field));
        asked = await request();
      }
      showNotes(block, notes);
      // The last answer is for the form as it stands; the URL loses the refused values.
      show(asked, true);
    };
    if (pythonAsked) begin();
    else starters.push(begin);
  }

  // The printed handout's link and date (kept current, and refreshed just before printing).
  function fillHandout(block, link) {
    block.querySelector("[data-print-url]").textContent = link;
    block.querySelector("[data-print-date]").textContent = new Date().toLocaleDateString();
  }

  function beforePrint() {
    // Binding marks the first block active (on a served page, where printing fills the handout).
    const active = document.querySelector(".calculator--active");
    if (!active) return;
    fillHandout(active, scenarioUrl(active));
  }

  function init() {
    const blocks = [...document.querySelectorAll(".calculator[data-calculator]")];
    blocks.forEach(bind);
    startWhenNeeded(blocks);
  }

  // From the page's <head>, while the page and the theme load, when the link says so.
  if (linkWantsPython()) startPython();

  window.addEventListener("beforeprint", beforePrint);
  // Instant navigation is off, so each page loads whole: the document is complete then.
  document.addEventListener("DOMContentLoaded", init);
})();
