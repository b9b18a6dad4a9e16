// --- Drawing an answer -----------------------------------------------------------

function element(tag, text) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}

function setStatus(block, text) {
  hook(block, "status").textContent = text;
}

function showFieldError(block, field, message) {
  block.querySelectorAll(".calculator__error").forEach((p) => {
    const name = p.closest(`[${DATA.field}]`).getAttribute(DATA.field);
    const control = block.querySelector(`[name="${name}"]`);
    const isBad = name === field;
    p.hidden = !isBad;
    p.textContent = isBad ? message : "";
    if (isBad) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  });
}

// --- Display trees (calculators/display.py) as DOM --------------------------------
// An element is {tag, attrs, children}, a text a string. The allow-list is Python's
// (calculators/display.py, through the contract): anything else is refused, so no tree
// can carry a script, a handler, a link or an inline style. Texts go in as text nodes,
// never as markup.

const HTML_TAGS = new Set(CONTRACT.htmlTags);
const SVG_TAGS = new Set(CONTRACT.svgTags);
const ATTRIBUTES = new Set(CONTRACT.attributes);
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
    const current = block.querySelector(`[${DATA.display}="${part}"]`);
    if (current && tree) patch(current, tree);
    else if (current || tree) throw new Error(`display: part '${part}' does not match the page`);
  });
}

// Draws an answer: {drawn, status}, the block's status for it. An answer that cannot be
// drawn changes no figure (the caller marks them out of date). sources: {year: the IRS
// notice behind that year's limits}, from the block.
function render(block, answer, sources) {
  if (!answer.ok) {
    const { field, message } = answer.error;
    const known = block.querySelector(`[${DATA.field}="${CSS.escape(field)}"]`);
    showFieldError(block, known ? field : null, message);
    return { drawn: false, status: known
      ? "Out of date: fix the field marked above to update the results."
      : "Out of date: " + field + ": " + message };
  }
  showFieldError(block, null, "");
  try {
    renderParts(block, answer.display);
  } catch (error) {
    // Only a defect in the build can send a tree the allow-list refuses.
    return { drawn: false, status: "Out of date: the result could not be shown (" + error.message + ")." };
  }
  hook(block, "printYear").textContent = answer.result.year || "";
  hook(block, "printSource").textContent = sources[answer.result.year] || "";
  // Lets benchmarks read the time from navigation to the first live result.
  if (!performance.getEntriesByName(MARKS.firstResult).length) {
    performance.mark(MARKS.firstResult);
  }
  return { drawn: true, status: "Ready: results update as you type." };
}

