// The loader for pages opened from disk (file://), served as javascripts/calculators-disk.js
// and loaded by worker.js's startFromDisk only there.
// Opened from disk, a page may not load the worker's module or fetch anything. The
// offline copy (make bundle) carries the worker and each file it needs as a classic
// script under assets/offline/ (macros/hooks/offline.py) that calls the contract's
// offlineCallback once; the worker starts from a data: URL and gets the files' contents
// with its init message.

// page: what the page script lends (see worker.js). Resolves to the worker, or to null
// once every block has been told why it cannot start.
window[CONTRACT.diskStart] = async (page) => {
  const { siteRoot, BrowserWorker, announce, showProgress, couldNotStart, listen, initMessage } = page;

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
      window[CONTRACT.offlineCallback] = (entry) => {
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
      load(CONTRACT.offlineManifest, () => {}, "this copy of the site cannot run Python from disk: " +
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
  delete window[CONTRACT.offlineCallback]; // and with it the files' text, now the worker's
  return worker;
};
