// The one generic loader for every calculator on the site.
//
// A calculator block is built at site-build time from the Python declaration,
// with the default results already in it. This script only: starts Python in a
// Web Worker when a page has a calculator, sends the form's raw values to it on
// each change, and writes the answer back with textContent (never as HTML).
(function () {
  "use strict";

  const scriptUrl = document.currentScript && document.currentScript.src;
  let worker = null;
  let nextId = 0;
  const waiting = new Map(); // request id -> callback
  const statusListeners = new Set();
  let lastStatus = "";

  function getWorker(wheelUrl) {
    if (worker) return worker;
    worker = new Worker(new URL("calculator-worker.mjs", scriptUrl), { type: "module" });
    worker.onmessage = (event) => {
      const message = event.data;
      if (message.type === "result") {
        const done = waiting.get(message.id);
        waiting.delete(message.id);
        if (done) done(JSON.parse(message.payload));
      } else {
        lastStatus = message.type === "failed"
          ? "The calculator could not start: " + message.text + ". Reload the page to try again."
          : message.text;
        statusListeners.forEach((listener) => listener(lastStatus, message.type === "failed"));
      }
    };
    worker.onerror = () => {
      lastStatus = "The calculator could not start in this browser. The results shown are for the example values.";
      statusListeners.forEach((listener) => listener(lastStatus, true));
    };
    worker.postMessage({ type: "init", wheelUrl });
    return worker;
  }

  function setStatus(block, text) {
    block.querySelector("[data-status]").textContent = text;
  }

  function showFieldError(block, field, message) {
    block.querySelectorAll(".calculator__error").forEach((p) => {
      const name = p.closest("[data-field]").dataset.field;
      const input = block.querySelector(`[name="${name}"]`);
      const isBad = name === field;
      p.hidden = !isBad;
      p.textContent = isBad ? message : "";
      if (isBad) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
  }

  function renderValue(block, row) {
    const line = block.querySelector(`[data-output-row="${row.name}"]`);
    if (!line) return;
    line.hidden = row.text === null;
    line.querySelector("[data-output]").textContent = row.text || "";
  }

  function element(tag, text) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderTable(block, row) {
    const body = block.querySelector(`[data-output-table="${row.name}"] tbody`);
    body.replaceChildren(...row.rows.map((cells) => {
      const line = element("tr");
      line.append(...cells.map((cell) => element("td", cell)));
      return line;
    }));
  }

  // Draws the same geometry as macros/forms.py chart_svg, as SVG elements.
  function renderChart(block, row) {
    const chart = row.chart;
    const svgNs = "http://www.w3.org/2000/svg";
    const svgElement = (tag, attributes, text) => {
      const node = document.createElementNS(svgNs, tag);
      Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
      if (text !== undefined) node.textContent = text;
      return node;
    };
    const old = block.querySelector(`[data-output-chart="${row.name}"] svg`);
    const svg = svgElement("svg", {
      class: "chart", viewBox: `0 0 ${chart.width} ${chart.height}`, role: "img",
      "aria-label": old.getAttribute("aria-label"),
    });
    const plot = chart.plot;
    chart.yTicks.forEach((tick) => {
      svg.append(svgElement("line", { class: "chart__grid", x1: plot.left, x2: plot.right, y1: tick.y, y2: tick.y }));
      svg.append(svgElement("text", { class: "chart__label", x: plot.left - 6, y: tick.y, "text-anchor": "end", "dominant-baseline": "middle" }, tick.label));
    });
    chart.xTicks.forEach((tick) => {
      svg.append(svgElement("text", { class: "chart__label", x: tick.x, y: plot.bottom + 20, "text-anchor": "middle" }, tick.label));
    });
    chart.series.forEach((series, index) => {
      svg.append(svgElement("polyline", { class: `chart__line chart__line--${index}`, fill: "none", points: series.points }));
    });
    old.replaceWith(svg);
  }

  function render(block, answer) {
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
    block.classList.remove("calculator--stale");
    answer.display.forEach((row) => {
      if (row.kind === "table") renderTable(block, row);
      else if (row.kind === "chart") renderChart(block, row);
      else renderValue(block, row);
    });
    const headline = answer.display.find((row) => row.kind === "value" && row.headline);
    block.querySelector("[data-summary] strong").textContent = headline.text || "";
    const list = block.querySelector("[data-warnings]");
    list.replaceChildren(...answer.result.warnings.map((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      return item;
    }));
    setStatus(block, "Ready: results update as you type.");
    // Lets benchmarks read the time from navigation to the first live result.
    if (!performance.getEntriesByName("calculator-first-result").length) {
      performance.mark("calculator-first-result");
    }
  }

  function bind(block) {
    if (block.dataset.bound) return;
    block.dataset.bound = "true";
    if (location.protocol === "file:") {
      setStatus(block, "This calculator needs the site to be served: run `make serve` in the " +
        "project folder and open http://127.0.0.1:8000/. The results shown are for the example values.");
      return;
    }
    const form = block.querySelector("form");
    const wheelUrl = new URL(block.dataset.wheel, new URL("..", scriptUrl)).href;
    const onStatus = (text) => setStatus(block, text);
    statusListeners.add(onStatus);
    if (lastStatus) onStatus(lastStatus);
    getWorker(wheelUrl);

    let latest = 0;
    let timer = null;
    const recompute = () => {
      const inputs = Object.fromEntries(new FormData(form).entries());
      const id = ++nextId;
      latest = id;
      waiting.set(id, (answer) => { if (id === latest) render(block, answer); });
      worker.postMessage({ type: "run", id, calculator: block.dataset.calculator, inputs });
    };
    form.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(recompute, 120);
    });
    form.addEventListener("change", recompute);
    form.addEventListener("submit", (event) => { event.preventDefault(); recompute(); });
    // The browser may have restored typed values (back button): compute what the form shows.
    recompute();
  }

  function init() {
    document.querySelectorAll(".calculator[data-calculator]").forEach(bind);
  }

  if (typeof document$ !== "undefined") document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
