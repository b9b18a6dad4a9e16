// The loader for pages opened from disk (file://): inline in the pages of the offline copy
// made for mail, else served as javascripts/calculators-disk.js and loaded by worker.js's
// startFromDisk only there.
// Opened from disk, a page may not load the worker's module or fetch anything. The
// offline copy (make bundle) carries the worker and each file it needs as an HTML document
// under assets/offline/ (macros/hooks/offline.py) whose one inline script posts its content
// to the page, as {[CONTRACT.offlineCallback]: content}; the page loads each in a hidden
// frame. The worker starts from a data: URL and gets the files' contents with its init
// message.

// A part that has loaded without posting its content is missing: Chromium loads its error
// page for a file missing from disk, then this has passed (the message comes before the
// frame's load event, but from another process in some browsers). Firefox and WebKit
// give such a frame no event at all: once no part has arrived for STALL_MS, the first
// part still awaited is named as missing (a part of 512 KB arrives in well under a second).
const PART_GRACE_MS = 3000;
const STALL_MS = 15000;

window[CONTRACT.diskStart] = async (page) => {
  const { siteRoot, BrowserWorker, announce, showProgress, couldNotStart, listen, initMessage } = page;

  // {name: part} once every script of the manifest has run; the progress line counts them.
  function loadFromDisk() {
    return new Promise((resolve, reject) => {
      const parts = {};
      let toLoad = 0;
      let done = 0;
      let total = 0;
      let failed = false; // parts still loading after one failed count for nothing
      const frames = new Map(); // frame window -> what to do with its content
      const awaited = new Map(); // src -> its problem, in the order asked
      let stall = null;
      const watch = () => {
        clearTimeout(stall);
        stall = awaited.size ? setTimeout(() => fail(awaited.values().next().value), STALL_MS) : null;
      };
      const fail = (problem) => {
        if (failed) return;
        failed = true;
        clearTimeout(stall);
        window.removeEventListener("message", onMessage);
        frames.clear();
        reject(new Error(problem));
      };
      const load = (src, onContent, problem) => {
        const frame = document.createElement("iframe");
        frame.hidden = true;
        frame.setAttribute("aria-hidden", "true");
        frame.tabIndex = -1;
        let got = false;
        awaited.set(src, problem);
        const arrived = (entry) => {
          got = true;
          frame.remove();
          awaited.delete(src);
          watch();
          if (!failed) onContent(entry);
        };
        frame.onload = () => setTimeout(() => { if (!got) { frame.remove(); fail(problem); } }, PART_GRACE_MS);
        frame.onerror = () => { frame.remove(); fail(problem); };
        frame.src = new URL(src, siteRoot).href;
        document.body.append(frame);
        frames.set(frame.contentWindow, arrived);
        watch();
      };
      // Any origin: a file:// part's is opaque ("null"); the frame it came from is the check.
      function onMessage(event) {
        const arrived = frames.get(event.source);
        const entry = event.data && event.data[CONTRACT.offlineCallback];
        if (!arrived || !entry) return;
        frames.delete(event.source);
        arrived(entry);
      }
      window.addEventListener("message", onMessage);
      const chunks = {}; // name -> its base64 text in pieces, joined once all have arrived
      const take = (entry) => {
        if (entry.kind === "worker") {
          parts.worker = entry;
          return;
        }
        const file = (chunks[entry.name] ??= { pieces: [], got: 0 });
        file.pieces[entry.chunk] = entry.base64;
        if (++file.got === entry.chunks) parts[entry.name] = { ...entry, base64: file.pieces.join("") };
      };
      load(CONTRACT.offlineManifest, (entry) => {
        toLoad = entry.parts.length;
        total = entry.parts.reduce((sum, part) => sum + part.bytes, 0);
        entry.parts.forEach(({ src, bytes }) => load(src, (content) => {
          take(content);
          done += bytes;
          showProgress({ done, total });
          if (--toLoad === 0) {
            window.removeEventListener("message", onMessage);
            resolve(parts);
          }
        }, `this copy lacks the file ${src}; unzip the whole copy again`));
      }, "this copy of the site cannot run Python from disk: " +
        "open the offline copy (make bundle), or serve the site (`python3 serve.py` in its " +
        "folder, or `make serve`)");
    });
  }

  announce("Loading Python…");
  showProgress({ done: 0, total: 0 });
  let parts;
  try {
    parts = await loadFromDisk();
  } catch (error) {
    couldNotStart(error.message, "");
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
  return worker;
};
