// --- Binding a block -------------------------------------------------------------

function markActive(block) {
  if (block.classList.contains("calculator--active")) return; // called on every keystroke
  document.querySelectorAll(".calculator--active").forEach((b) => b.classList.remove("calculator--active"));
  block.classList.add("calculator--active");
  document.body.dataset.printCalculator = block.getAttribute(DATA.calculator);
}

async function copyLink(block) {
  const status = hook(block, "copyStatus");
  const link = scenarioUrl(block);
  try {
    await navigator.clipboard.writeText(link);
    status.textContent = "Link copied.";
  } catch (error) {
    status.textContent = "Copy this link: " + link;
  }
}

async function bind(block) {
  const name = block.getAttribute(DATA.calculator);
  const form = block.querySelector("form");
  progressLine(block);
  const onStatus = (text) => setStatus(block, text);
  statusListeners.add(onStatus);
  if (lastStatus) onStatus(lastStatus);
  if (!document.querySelector(".calculator--active")) markActive(block);
  hooks(block, "needsScript").forEach((node) => { node.hidden = false; });

  const sources = JSON.parse(block.getAttribute(DATA.sources));
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
  hook(block, "copyLink").addEventListener("click", () => copyLink(block));
  hook(block, "printButton").addEventListener("click", () => { markActive(block); window.print(); });

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
  hook(block, "printUrl").textContent = link;
  hook(block, "printDate").textContent = new Date().toLocaleDateString();
}

function beforePrint() {
  // Binding marks the first block active (on a served page, where printing fills the handout).
  const active = document.querySelector(".calculator--active");
  if (!active) return;
  fillHandout(active, scenarioUrl(active));
}

function init() {
  const blocks = [...hooks(document, "calculator")];
  blocks.forEach(bind);
  startWhenNeeded(blocks);
}

// From the page's <head>, while the page and the theme load, when the link says so.
if (linkWantsPython()) startPython();

window.addEventListener("beforeprint", beforePrint);
// Instant navigation is off, so each page loads whole: the document is complete then.
document.addEventListener("DOMContentLoaded", init);
