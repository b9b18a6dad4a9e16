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

// Puts the link's values into the form. Returns {applied, unlisted}: {name: raw value} of
// every value taken from the link, and of those a list cannot show (a year the limits
// file lacks): the list keeps the example, and Python is asked with the link's value, so
// it is refused with the same note as any other bad value.
function applyLink(block, notes) {
  const params = new URLSearchParams(location.search);
  const target = params.get("calculator") || hook(document, "calculator").getAttribute(DATA.calculator);
  const applied = {};
  const unlisted = {};
  if (target !== block.getAttribute(DATA.calculator)) return { applied, unlisted };
  const form = block.querySelector("form");
  params.forEach((value, name) => {
    if (name === "calculator") return;
    const control = form.elements.namedItem(name);
    if (!control || !control.name) {
      notes.push(`"${name}" is not a field of this calculator.`);
      return;
    }
    control.value = value;
    if (control.value !== value) {
      resetToExample(control);
      unlisted[name] = value;
    }
    applied[name] = value;
  });
  return { applied, unlisted };
}

function showNotes(block, notes) {
  const box = hook(block, "linkNote");
  box.hidden = notes.length === 0;
  box.replaceChildren(
    element("strong", "Some values in the link were ignored:"),
    ...notes.map((text) => element("span", " " + text)));
}

