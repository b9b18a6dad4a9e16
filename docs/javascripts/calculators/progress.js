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
  line.setAttribute(DATA.progress, "");
  line.setAttribute("aria-hidden", "true");
  line.append(element("progress"), " ", element("span"));
  hook(block, "status").after(line);
  drawProgress(line);
  summaryProgress(hook(block, "summary"));
}

// The sticky summary is what a phone keeps in view while the reader checks the form: while
// the results are pending, the stylesheet shows this after "being worked out".
function summaryProgress(summary) {
  if (!summary) return; // a block whose results hold no summary
  if (!download) summary.removeAttribute(DATA.download);
  else summary.setAttribute(DATA.download, download.total
    ? `downloading, ${Math.round(100 * Math.min(download.done / download.total, 1))}%` : "downloading");
}

// state: {done, total}, or null once Python has started or failed.
function showProgress(state) {
  download = state;
  hooks(document, "progress").forEach(drawProgress);
  hooks(document, "summary").forEach(summaryProgress);
}

function ask(name, inputs) {
  startPython(); // any question starts it
  const id = ++nextId;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    post({ type: "run", id, calculator: name, inputs });
  });
}

