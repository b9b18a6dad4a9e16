"""The names the calculators' page script shares with Python, defined once, here.

The site build writes them into the script it serves (macros/hooks/page_script.py) as
`CONTRACT`, the build's HTML (macros/page/forms.py) and the offline copy
(macros/hooks/offline.py) use them from here, and the tests and benchmarks import them:
nobody types them twice, so nothing has to parse JavaScript to compare them.
"""

from __future__ import annotations

from typing import Any

from calculators.display import ATTRIBUTES, HTML_TAGS, SVG_TAGS

# Defined by the offline copy's launcher, which reads the copy's scripts too and must stay
# standard-library only (it ships alone in the copy).
from serve import OFFLINE_CALLBACK, OFFLINE_MANIFEST

# Performance marks the page script sets, so tests and benchmarks can see how Python started.
MARKS = {
    "pythonAsked": "calculator-python-asked",  # the page decided to start Python
    "firstResult": "calculator-first-result",  # the first live result is on screen
    "fromSnapshot": "calculator-python-from-snapshot",  # Python started from the snapshot
    "snapshotDownloaded": "calculator-snapshot-downloaded",  # stored for the next visit
    # The worker's steps, made marks when Python has started (not from disk: no downloads):
    "runtimeRequested": "calculator-runtime-requested",  # its first request for a runtime file
    "runtimeDownloaded": "calculator-runtime-downloaded",  # the last runtime file arrived
    "pythonStarted": "calculator-python-started",  # loadPyodide done: wasm compiled, Python up
    "calculatorsImported": "calculator-calculators-imported",  # the calculators imported
}

# The calculator block's hooks: attributes the build writes and the script finds by.
DATA = {
    "calculator": "data-calculator",  # on the block: the calculator's name
    # On the block, set by the script: what the results on screen belong to (see RESULTS).
    "results": "data-results",
    "sources": "data-sources",  # on the block: {year: IRS notice}
    "field": "data-field",  # around each input: its name
    "status": "data-status",  # the status line (a live region)
    "progress": "data-progress",  # the download's progress line (made by the script)
    "summary": "data-summary",  # the sticky one-line summary (written by calculators/display.py)
    # On the summary while Python downloads: how far it has got, shown by the stylesheet
    # while the results are pending (on a phone the status line can be out of view).
    "download": "data-download",
    "failed": "data-failed",  # on the block, set by the script: Python could not start
    "linkNote": "data-link-note",  # what a link's refused values were
    "sharedNote": "data-shared-note",  # these values came from a shared link
    "showExample": "data-show-example",  # its action: back to the example values
    "live": "data-live",  # the results' live region
    "copyLink": "data-copy-link",
    "copyStatus": "data-copy-status",
    "printButton": "data-print-button",
    "needsScript": "data-needs-script",  # shown once the script runs
    "display": "data-display",  # each part of the result area (calculators/display.py)
    "printYear": "data-print-year",  # the printed handout's year, source, link and date
    "printSource": "data-print-source",
    "printUrl": "data-print-url",
    "printDate": "data-print-date",
    "printYearLine": "data-print-year-line",  # the year and source: for the results shown
    "printPending": "data-print-pending",  # printed instead while no results are shown
    # A calculator that counts the year's paychecks: which tax year it plans (shown while
    # the form's year is not the reader's), and that year as the form has it.
    "plansYear": "data-plans-year",
    "plansYearValue": "data-plans-year-value",
}

# What the results on screen belong to, as the block's data-results says (tests read it):
# "example": the example worked out by the build, and the form still shows its values;
# "current": the last answer, for the values in the form;
# "pending": no answer yet for the values in the form: no figures are shown;
# "stale": figures for other values, marked out of date until the next answer arrives.
RESULTS = ("example", "current", "pending", "stale")

# The offline copy: the manifest document a page opened from disk loads first, and the key
# of the message every one of the copy's parts posts to the page, OFFLINE_MANIFEST and
# OFFLINE_CALLBACK, are imported above from serve.py.
# The global function the disk loader (javascripts/calculators-disk.js) defines.
DISK_START = "MBR_startFromDisk"
# The global object by which the start script (start.js) hands over what it started.
EARLY = "MBR_calculators"


def contract() -> dict[str, Any]:
    """Everything above, as the page script's CONTRACT."""
    return {
        "marks": MARKS,
        "data": DATA,
        "results": dict(zip(RESULTS, RESULTS, strict=True)),
        "htmlTags": sorted(HTML_TAGS),
        "svgTags": sorted(SVG_TAGS),
        "attributes": sorted(ATTRIBUTES),
        "offlineManifest": OFFLINE_MANIFEST,
        "offlineCallback": OFFLINE_CALLBACK,
        "diskStart": DISK_START,
        "early": EARLY,
    }
