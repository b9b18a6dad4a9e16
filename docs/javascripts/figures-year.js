// Whose year the figures are, against the reader's own date (macros/page/calendar.py
// writes the notes; this only decides whether they show). The build cannot know when a
// page will be read: an offline copy sent in December may be opened years later.
//
// - A note marked data-figures-past="<newest year in the limits file>" shows when the
//   reader's year is after that year; each data-reader-year gets the reader's year.
// - data-figures-website (the website's address) shows when the page is read anywhere but
//   the website itself: an offline copy opened from disk or through its launcher.
// In a year the limits file holds, nothing shows.
(function () {
  "use strict";
  function showFiguresYear() {
    const readerYear = new Date().getFullYear();
    document.querySelectorAll("[data-reader-year]").forEach((span) => {
      span.textContent = String(readerYear);
    });
    document.querySelectorAll("[data-figures-past]").forEach((note) => {
      note.hidden = !(readerYear > Number(note.getAttribute("data-figures-past")));
    });
    document.querySelectorAll("[data-figures-website]").forEach((line) => {
      let website = null;
      try {
        website = new URL(line.getAttribute("data-figures-website")).origin;
      } catch (error) {
        website = null; // not an address: say nothing rather than something wrong
      }
      line.hidden = website === null || website === location.origin;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showFiguresYear);
  } else {
    showFiguresYear();
  }
})();
