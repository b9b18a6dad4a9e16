// --- Link state ------------------------------------------------------------------

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

// The link to a block with its form's values (start.js: after the "#", never sent).
function scenarioUrl(block) {
  const values = new URLSearchParams();
  Object.entries(formValues(block.querySelector("form"))).forEach(([name, value]) => {
    if (value !== "") values.set(name, value);
  });
  return early.linkTo(block.getAttribute(DATA.calculator), values);
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

// Puts the values of the link (start.js's readLink: the one the page was opened with) into
// the block's form, if the link is to this block. Returns {applied, unlisted}: {name: raw value}
// of every value taken from the link, and of those a list cannot show (a year the limits
// file lacks): the list keeps the example, and Python is asked with the link's value, so
// it is refused with the same note as any other bad value.
function applyLink(block, link, notes) {
  const applied = {};
  const unlisted = {};
  if (!link || link.name !== block.getAttribute(DATA.calculator)) return { applied, unlisted };
  const form = block.querySelector("form");
  link.values.forEach((value, name) => {
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

