// Glossary terms: a page's <abbr title> (docs/includes/abbreviations.md) shows its definition
// on a tap, a keyboard focus or a hover. A title alone shows only on hover, so never on a
// phone, and Material's tooltip (content.tooltips) follows hover and focus, not taps.
// Without JavaScript the title stays, and the glossary page lists every term.
(function () {
  "use strict";

  const TERM = ".glossary-term";
  const TIP = ".glossary-tip";
  // A term inside a control keeps its title and Material's hover tooltip: a tap there must
  // follow the link, tick the box or open the details, not open a definition.
  const CONTROLS = "a, button, summary, label";
  const GAP = 8; // px between the term and its tip, and between the tip and the screen's edge
  const WIDEST = 352; // px: about 50 characters a line, easy to read
  const LINGER = 250; // ms a hover tip waits, so the pointer can move onto it (WCAG 1.4.13)

  let open = null; // the term whose tip shows
  let pinned = false; // opened by a tap or a click: a second one, Escape or a tap elsewhere closes it
  let leaving = 0;

  // One tip per definition, tied to every use of the term by aria-describedby, so a screen
  // reader reads the definition with the term whether or not the tip shows. Only a term's
  // first use on the page joins the Tab order: a definition is given on first use, and a
  // page with a hundred terms would otherwise need a hundred Tab presses to reach its
  // calculator. Every use answers a tap and a hover.
  function enhance(article) {
    const tips = new Map();
    article.querySelectorAll("abbr[title]").forEach((term) => {
      if (term.parentElement.closest(CONTROLS)) return;
      const definition = term.title;
      let tip = tips.get(definition);
      if (!tip) {
        tip = document.createElement("div");
        tip.className = "glossary-tip";
        tip.id = `glossary-tip-${tips.size + 1}`;
        tip.setAttribute("role", "tooltip");
        tip.hidden = true;
        tip.textContent = definition;
        document.body.append(tip);
        tips.set(definition, tip);
        term.tabIndex = 0;
      }
      // Else the browser's own title tooltip would show beside the tip, and Material's too.
      term.removeAttribute("title");
      term.classList.add("glossary-term");
      term.setAttribute("aria-describedby", tip.id);
      // On the term itself: iOS Safari sends a tap's click to a listener on the document
      // only from elements it deems clickable, which an <abbr> is not.
      term.addEventListener("click", toggle);
    });
  }

  function toggle(event) {
    const term = event.currentTarget;
    if (open === term && pinned) {
      hide();
    } else {
      show(term);
      pinned = true;
    }
  }

  function tipOf(term) {
    return document.getElementById(term.getAttribute("aria-describedby"));
  }

  function show(term) {
    clearTimeout(leaving);
    if (open === term) return;
    hide();
    open = term;
    term.classList.add("glossary-term--open");
    const tip = tipOf(term);
    tip.hidden = false;
    place(term, tip);
  }

  function hide() {
    clearTimeout(leaving);
    if (!open) return;
    tipOf(open).hidden = true;
    open.classList.remove("glossary-term--open");
    open = null;
    pinned = false;
  }

  // Below the term, or above it where there is more room there; always whole on screen,
  // the width of the screen less a margin on a phone.
  function place(term, tip) {
    const screen = document.documentElement;
    tip.style.maxWidth = `${Math.min(WIDEST, screen.clientWidth - 2 * GAP)}px`;
    const box = term.getBoundingClientRect();
    const { width, height } = tip.getBoundingClientRect();
    const below = box.bottom + GAP + height <= screen.clientHeight ||
      box.top < screen.clientHeight - box.bottom;
    const left = Math.max(GAP, Math.min(box.left + box.width / 2 - width / 2,
      screen.clientWidth - width - GAP));
    const top = below ? box.bottom + GAP : box.top - GAP - height;
    // The tip is in the body, positioned from the body's corner, so it scrolls with the page.
    const origin = document.body.getBoundingClientRect();
    tip.style.left = `${left - origin.left}px`;
    tip.style.top = `${top - origin.top}px`;
  }

  function bind() {
    // Before the click, so that a tap elsewhere (a link, a button) closes the tip at once.
    document.addEventListener("pointerdown", (event) => {
      if (open && !event.target.closest(`${TERM}, ${TIP}`)) hide();
    });
    document.addEventListener("focusin", (event) => {
      const term = event.target.closest(TERM);
      if (term) show(term);
    });
    document.addEventListener("focusout", (event) => {
      if (event.target === open && !pinned) hide();
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && open) {
        hide();
      } else if (event.key === "Enter" && event.target.matches(TERM)) {
        show(event.target);
      }
    });
    // Hover by a mouse or a pen only: a tap also sends pointerover, and the click decides.
    document.addEventListener("pointerover", (event) => {
      if (event.pointerType === "touch") return;
      const term = event.target.closest(TERM);
      if (term) show(term);
      else if (event.target.closest(TIP)) clearTimeout(leaving);
    });
    document.addEventListener("pointerout", (event) => {
      if (event.pointerType === "touch" || !open || pinned) return;
      const to = event.relatedTarget;
      if (to && (open.contains(to) || tipOf(open).contains(to))) return;
      if (!event.target.closest(`${TERM}, ${TIP}`) || document.activeElement === open) return;
      clearTimeout(leaving);
      leaving = setTimeout(hide, LINGER);
    });
    const follow = () => open && place(open, tipOf(open));
    addEventListener("resize", follow);
    // Captured: a term in a table that scrolls sideways moves without the window scrolling.
    document.addEventListener("scroll", follow, { capture: true, passive: true });
  }

  // Now, while the page is still loading: Material mounts its tooltips on every [title] at
  // DOMContentLoaded, and this script (extra_javascript, after Material's bundle) runs
  // before that, so the terms have no title left for Material to take.
  const article = document.querySelector("article.md-content__inner");
  if (article) {
    enhance(article);
    bind();
  }
})();
