// --- What the results on screen belong to ------------------------------------------
// A figure on screen (or on paper) belongs to the inputs beside it. The block's
// data-results says what its figures belong to (CONTRACT.results): the build's example
// while the form shows the example's values; the last answer; nothing yet ("pending":
// the stylesheet shows no figures, on screen or in print); or other values ("stale": the
// figures are marked out of date until the next answer, a few milliseconds away).

const RESULTS = CONTRACT.results;
const ownStatus = new WeakMap(); // block -> its status once it has answered

function setResults(block, state) {
  block.setAttribute(DATA.results, state);
  // A screen reader waits for the answer instead of reading figures that are going.
  hook(block, "live").setAttribute("aria-busy", String(state !== RESULTS.current && state !== RESULTS.example));
  refreshStatus(block);
}

// Whether every field shows its example value, the one the build worked the results out for.
function formIsExample(form) {
  return [...form.elements].every((control) => control.tagName === "SELECT"
    ? [...control.options].every((option) => option.selected === option.defaultSelected)
    : !control.name || control.value === control.defaultValue);
}

function refreshStatus(block) {
  const state = block.getAttribute(DATA.results);
  if (!state || failure) return; // not bound yet (bind will), or showFailure has said it
  if (ownStatus.has(block)) setStatus(block, ownStatus.get(block));
  else if (state === RESULTS.pending) {
    setStatus(block, "Working out the numbers for these values…" + (pythonStatus ? " " + pythonStatus : ""));
  } else if (pythonStatus) setStatus(block, pythonStatus);
}

// Python could not start: a form that no longer shows the example keeps its values and
// shows no results (a client's numbers from a link stay in view, and no figure stands
// beside values it was not worked out for); one that does keeps the example's results.
function showFailure(block) {
  if (!block.hasAttribute(DATA.results)) return; // not bound yet: bind will
  const example = formIsExample(block.querySelector("form"));
  block.setAttribute(DATA.failed, ""); // the summary says so instead of "being worked out"
  setResults(block, example ? RESULTS.example : RESULTS.pending);
  setStatus(block, `The calculator could not start: ${failure.text}. ` +
    (failure.advice ? failure.advice + " " : "") +
    (example ? "The results shown are for the example values."
      : "No results are shown for these values."));
}

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

function bind(block) {
  const name = block.getAttribute(DATA.calculator);
  const form = block.querySelector("form");
  progressLine(block);
  if (!document.querySelector(".calculator--active")) markActive(block);
  hooks(block, "needsScript").forEach((node) => { node.hidden = false; });

  // Values from a link go into the form now, before the page is first drawn with them;
  // the browser may also have restored typed ones (back button). Either way the build's
  // results are not for them: pending until Python answers.
  let link; // {fromLink, unlisted, notes}: what the link gave, for begin to check
  const takeLink = () => {
    const notes = [];
    const linked = early.readLink();
    const { applied, unlisted } = applyLink(block, linked, notes);
    link = { fromLink: applied, unlisted, notes };
    if (linked && linked.name === name) landOn(block);
    if (Object.keys(applied).length) {
      markActive(block);
      showSharedNote(block);
    }
    // A form with a value Python has yet to refuse waits for it too.
    setResults(block, formIsExample(form) && !Object.keys(unlisted).length
      ? RESULTS.example : RESULTS.pending);
    if (failure) showFailure(block); // Python failed before the page was complete
    showPlannedYear(block);
  };
  takeLink();

  const sources = JSON.parse(block.getAttribute(DATA.sources));
  // Every change is sent at once: Python answers in milliseconds, and an answer that
  // arrives after a newer request was sent is dropped.
  let latest = 0;
  let answered = false; // until then the build's results are still on screen
  // extra: values the form cannot hold (a link's year the limits file lacks), to be refused.
  const request = async (extra = {}) => {
    const id = ++latest;
    return { id, answer: await ask(name, { ...formValues(form), ...extra }) };
  };
  const show = ({ id, answer }, remember) => {
    if (id !== latest) return;
    const { drawn, status } = render(block, answer, sources);
    ownStatus.set(block, status);
    if (!drawn) {
      setResults(block, block.getAttribute(DATA.results) === RESULTS.pending
        ? RESULTS.pending : RESULTS.stale);
      return;
    }
    answered = true;
    setResults(block, RESULTS.current);
    const address = scenarioUrl(block);
    fillHandout(block, address);
    // The URL follows the inputs without adding a history entry per keystroke.
    if (remember) history.replaceState(history.state, "", address);
  };
  const recompute = async (remember) => show(await request(), remember);
  // remember: the address follows the values (not when going back to the example).
  const changed = (remember = true) => {
    markActive(block);
    showPlannedYear(block);
    if (failure) {
      showFailure(block);
      return;
    }
    if (!answered && formIsExample(form)) setResults(block, RESULTS.example);
    // Out of date from the keystroke on; the figures stay until the answer replaces them.
    else if (block.getAttribute(DATA.results) !== RESULTS.pending) setResults(block, RESULTS.stale);
    recompute(remember);
  };
  form.addEventListener("input", () => changed());
  form.addEventListener("change", () => changed());
  form.addEventListener("submit", (event) => { event.preventDefault(); changed(); });
  hook(block, "copyLink").addEventListener("click", () => copyLink(block));
  hook(block, "printButton").addEventListener("click", () => { markActive(block); window.print(); });
  hook(block, "showExample").addEventListener("click", () => {
    form.reset();
    showNotes(block, []);
    hook(block, "sharedNote").hidden = true;
    // The address no longer carries the link's values, so a reload shows the example too.
    history.replaceState(history.state, "", early.linkTo(name, new URLSearchParams()));
    changed(false);
  });

  // The first computation waits until Python is asked for (see startWhenNeeded).
  const begin = async () => {
    const { fromLink, unlisted, notes } = link;
    if (!Object.keys(fromLink).length && !notes.length) {
      await recompute(false); // what the form shows, the example or restored values
      return;
    }
    // Each value Python refuses goes back to the example value, with a note naming it.
    let asked = await request(unlisted);
    while (!asked.answer.ok && asked.answer.error.field in fromLink) {
      const { field, message } = asked.answer.error;
      notes.push(`${labelOf(block, field)} ("${fromLink[field]}") ${message}.`);
      delete fromLink[field];
      delete unlisted[field];
      resetToExample(form.elements.namedItem(field));
      asked = await request(unlisted);
    }
    // A value Python took but the list cannot show (" 2025", say) is refused all the same:
    // the figures must be for the value the form shows.
    const kept = Object.keys(unlisted);
    kept.forEach((field) => {
      notes.push(`${labelOf(block, field)} ("${fromLink[field]}") is not one of its choices.`);
      delete fromLink[field];
    });
    if (kept.length) asked = await request();
    showNotes(block, notes);
    // The last answer is for the form as it stands; the URL loses the refused values.
    show(asked, true);
  };
  if (pythonAsked) begin();
  else starters.push(begin);

  // A second link opened in the same tab changes only what follows the "#": the page
  // stays, and this block takes the new link's values as it took the first one's. (A bare
  // link to the block, from the page's own text, only scrolls: what was typed stays.)
  window.addEventListener("hashchange", () => {
    const next = early.readLink();
    if (!next || next.name !== name || [...next.values].length === 0) return;
    form.reset();
    showNotes(block, []);
    hook(block, "sharedNote").hidden = true;
    answered = false;
    takeLink();
    if (failure) return;
    if (pythonAsked) begin();
    else startPython();
  });
}

// A link to this block: it is the one in use, scrolled into view (the browser cannot: the
// address's "#" holds more than the block's id), with its name shown.
function landOn(block) {
  block.classList.add("calculator--linked");
  markActive(block);
  block.scrollIntoView();
}

// A calculator that counts the year's paychecks says which tax year it plans while that is
// not the year of the reader's date: in January, last year's form is not this year's plan.
function showPlannedYear(block) {
  const note = hook(block, "plansYear");
  if (!note) return;
  const year = block.querySelector("form").elements.namedItem("year").value;
  hook(note, "plansYearValue").textContent = year;
  note.hidden = year === String(new Date().getFullYear());
}

// Says where the values came from. It names no sender: a link cannot prove who made it.
function showSharedNote(block) {
  const note = hook(block, "sharedNote");
  note.hidden = false;
  note.querySelector("[role=status]").textContent = "These values came from a link someone " +
    "shared. Check them against your plan's own documents.";
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
  // A form that does not show the example (restored by the browser) waits for Python.
  if (blocks.some((block) => block.getAttribute(DATA.results) === RESULTS.pending)) startPython();
  else startWhenNeeded(blocks);
}

window.addEventListener("beforeprint", beforePrint);
// Instant navigation is off, so each page loads whole: the document is complete then.
document.addEventListener("DOMContentLoaded", init);
