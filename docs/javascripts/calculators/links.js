// --- Link state ------------------------------------------------------------------

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

function scenarioUrl(block) {
  const url = new URL(location.href);
  const params = new URLSearchParams();
  params.set("calculator", block.getAttribute(DATA.calculator));
  Object.entries(formValues(block.querySelector("form"))).forEach(([name, value]) => {
    if (value !== "") params.set(name, value);
  });
  url.search = params.toString();
  url.hash = block.id;
  return url.href;
}

function labelOf(block, name) {
  const label = block.querySelector(`[${DATA.field}="${CSS.escape(name)}"] label`);
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
  const target = params.get("calculator") || hook(document, "calculator").getAttribute(DATA.calculator);
  if (target !== block.getAttribute(DATA.calculator)) return {};
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
  const box = hook(block, "linkNote");
  box.hidden = notes.length === 0;
  box.replaceChildren(
    element("strong", "Some values in the link were ignored:"),
    ...notes.map((text) => element("span", " " + text)));
}

