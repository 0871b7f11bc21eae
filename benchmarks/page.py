"""Load and sort time of an episode's report in headless Chromium, on a 400,000-word transcript (issue 11).

Each figure is also given as a ratio to a baseline measured in the same run on the same machine.

Text: the excerpts in ../shared/real-transcripts/ when present, else the synthetic talk of benchmarks/synthetic.py,
cycled in labelled turns to about --words words (benchmarks/scaling.py's helpers). `claimcheck check` writes the
report; the baseline is a plain page written here holding the same text as <p> paragraphs, with no style and no script.

1. load: from navigation start until the page is usable: the load event's end (PerformanceNavigationTiming) plus one
   forced layout (`document.body.offsetHeight`) timed in the page, for the report and for the plain page; the best of
   --rounds fresh loads, each in a new tab, the two pages taken in turns. Target: the report under 1.5 s. Where the time
   goes: the navigation timing's phases (parse until domInteractive, which includes inline scripts; the
   DOMContentLoaded handlers; from there to the load event) and Chromium's own totals for the load (Performance
   domain: script, style, layout, and the rest of the main thread's tasks, mostly HTML parsing and paint, until the
   first contentful paint, which is shown too).
2. sort: in a loaded report, a click on the "off by" column's sort button (the quote column's where there is none)
   and a forced layout, timed with performance.now(): a first click and a second (the other direction); then a click
   on the mismatch verdict filter, where there is one. The best of --rounds, one fresh load each. Target: under 0.3 s.
   The baseline is a forced full relayout of the plain page (its width changed), the layout work a sort that moves
   every row can cause. "until the next frame" adds the wait until the next animation frame after the click (work deferred to it).

Needs Debian's chromium and chromium-driver (as tests/test_browser.py).

    python benchmarks/page.py [--words 400000] [--rounds 3]
"""
from __future__ import annotations

import argparse
import html
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.scaling import REAL, text_of, turns_of_real, turns_of_synthetic  # noqa: E402

LOAD_TARGET, SORT_TARGET = 1.5, 0.3
W = 37  # the table's first column

# Run in the page once `driver.get` returns (after the load event): one forced layout, then, once the first contentful
# paint is reported (or after 10 s), the navigation's phases in seconds from its start.
LOADED = """
const done = arguments[arguments.length - 1];
const t0 = performance.now(); document.body.offsetHeight; const layout = performance.now() - t0;
const finish = (fcp) => {
  const n = performance.getEntriesByType("navigation")[0];
  done({usable: (n.loadEventEnd + layout) / 1000, layout: layout / 1000, response: n.responseStart / 1000,
        interactive: n.domInteractive / 1000, dcl_start: n.domContentLoadedEventStart / 1000,
        dcl_end: n.domContentLoadedEventEnd / 1000, load_end: n.loadEventEnd / 1000,
        fcp: fcp === null ? null : fcp / 1000, elements: document.getElementsByTagName("*").length});
};
const timer = setTimeout(() => finish(null), 10000);
new PerformanceObserver((list, obs) => {
  const p = list.getEntries().find(e => e.name === "first-contentful-paint");
  if (p) { obs.disconnect(); clearTimeout(timer); finish(p.startTime); }
}).observe({type: "paint", buffered: true});
"""

# A click and a forced layout, timed in the page; then the wait until the next animation frame has run.
CLICK = """
const [selector, done] = [arguments[0], arguments[arguments.length - 1]];
const b = document.querySelector(selector);
if (!b) { done(null); return; }
const t0 = performance.now(); b.click(); document.body.offsetHeight; const t1 = performance.now();
requestAnimationFrame(() => setTimeout(() => done({sync: (t1 - t0) / 1000, frame: (performance.now() - t0) / 1000}), 0));
"""

# The plain page's baseline for a click: its width changed, so every paragraph is laid out again.
RELAYOUT = """
const done = arguments[arguments.length - 1];
const t0 = performance.now(); document.body.style.width = document.body.style.width ? "" : "700px";
document.body.offsetHeight; const t1 = performance.now();
requestAnimationFrame(() => setTimeout(() => done({sync: (t1 - t0) / 1000, frame: (performance.now() - t0) / 1000}), 0));
"""

METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")


def plain_page(text: str) -> str:
    """The transcript's paragraphs as <p> elements: no style, no script."""
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return ('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>plain</title>\n</head>\n'
            f"<body>\n{paras}\n</body>\n</html>\n")


def browser():
    from tests.browsing import chromium

    found, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (found and driver):
        sys.exit("needs chromium and chromedriver (apt-get install chromium chromium-driver)")
    d = chromium(found, driver, 1400, 1000)
    d.set_page_load_timeout(300)
    d.set_script_timeout(120)
    return d


def fresh_load(driver, url: str) -> dict:
    """Open `url` in a new tab (closing the last) and return its load figures, with Chromium's own totals of the
    main thread's work from the navigation to the forced layout."""
    old = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.switch_to.window(old)
    driver.close()
    driver.switch_to.window(driver.window_handles[-1])
    driver.execute_cdp_cmd("Performance.enable", {"timeDomain": "timeTicks"})
    before = metrics(driver)
    driver.get(url)
    out = driver.execute_async_script(LOADED)
    after = metrics(driver)
    out.update({k: after.get(k, 0.0) - before.get(k, 0.0) for k in METRICS})
    return out


def metrics(driver) -> dict:
    return {m["name"]: m["value"] for m in driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]}


def click(driver, script: str, *args) -> dict | None:
    """A click timed in the page (None where its button is missing), with Chromium's totals of script, style and layout
    until the next frame."""
    before = metrics(driver)
    out = driver.execute_async_script(script, *args)
    after = metrics(driver)
    if out:
        out.update({k: after.get(k, 0.0) - before.get(k, 0.0) for k in METRICS})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=400000)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()

    turns, source = (turns_of_real(), "the real excerpts") if REAL.is_dir() else (turns_of_synthetic(), "synthetic talk")
    text = text_of(turns, a.words, "turns", random.Random(a.words))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        name = f"page-{a.words}"
        (tmp / f"{name}.txt").write_text(text, encoding="utf-8")
        plain = tmp / "plain.html"
        plain.write_text(plain_page(text), encoding="utf-8")
        print(f"text: {source}, cycled; {len(text.split()):,} words; checking ...", flush=True)
        start = time.perf_counter()
        # the venv's claimcheck (its entry point, pipeline.cli), run on this checkout's code
        run = subprocess.run([sys.executable, "-m", "pipeline.cli", "check", str(tmp / f"{name}.txt"), "--out", str(tmp / "out")],
                             cwd=ROOT, capture_output=True, text=True)
        if run.returncode not in (0, 1):
            sys.exit(f"claimcheck check exited with {run.returncode}:\n{run.stderr.strip()}")
        checked = time.perf_counter() - start
        report = tmp / "out" / "reports" / f"{name}.html"
        ep = json.loads((tmp / "out" / "claims" / f"{name}.json").read_text())["episodes"][0]
        claims, mb = ep["summary"]["claims"], report.stat().st_size / 1e6
        print(f"report: {mb:.1f} MB, {claims:,} claims (check {checked:.0f} s); "
              f"plain page: {plain.stat().st_size / 1e6:.1f} MB", flush=True)

        driver = browser()
        try:
            fresh_load(driver, plain.as_uri())  # warm-up, not counted: the browser's own first-use costs
            loads: dict[str, list[dict]] = {"report": [], "plain": []}
            clicks: dict[str, list[dict]] = {}
            sort_key = None
            for _ in range(a.rounds):
                loads["plain"].append(fresh_load(driver, plain.as_uri()))
                clicks.setdefault("plain relayout", []).append(click(driver, RELAYOUT))
                loads["report"].append(fresh_load(driver, report.as_uri()))
                sort_key = sort_key or driver.execute_script(
                    'return document.querySelector(\'button[data-sort="off"]\') ? "off" : '
                    'document.querySelector(\'button[data-sort="quote"]\') ? "quote" : null')
                if sort_key:
                    sel = f'button[data-sort="{sort_key}"]'
                    clicks.setdefault(f"sort {sort_key} (1st click)", []).append(click(driver, CLICK, sel))
                    clicks.setdefault(f"sort {sort_key} (2nd click)", []).append(click(driver, CLICK, sel))
                got = click(driver, CLICK, 'button[data-verdict="mismatch"]')
                if got:
                    clicks.setdefault("filter mismatch", []).append(got)
        finally:
            driver.quit()

    best = {k: min(v, key=lambda r: r["usable"]) for k, v in loads.items()}
    med = {k: statistics.median(r["usable"] for r in v) for k, v in loads.items()}
    base = clicks.pop("plain relayout")
    base_best = min(r["sync"] for r in base)

    print(f"\n{'figure (seconds)':{W}} {'best':>7} {'median':>7} {'baseline':>9} {'ratio':>6}  target")
    r, p = best["report"], best["plain"]
    ok_load = r["usable"] < LOAD_TARGET
    print(f"{'load, report until usable':{W}} {r['usable']:7.3f} {med['report']:7.3f} {p['usable']:9.3f} "
          f"{r['usable'] / p['usable']:6.1f}  < {LOAD_TARGET} s: {'PASS' if ok_load else 'FAIL'}")
    print(f"{'load, plain page until usable':{W}} {p['usable']:7.3f} {med['plain']:7.3f}")
    phases = (("  first byte (responseStart)", lambda x: x["response"]),
              ("  read, parse, inline script", lambda x: x["interactive"] - x["response"]),
              ("  DOMContentLoaded handlers", lambda x: x["dcl_end"] - x["dcl_start"]),
              ("  then until load event end", lambda x: x["load_end"] - x["dcl_end"]),
              ("  forced layout after load", lambda x: x["layout"]),
              ("  first contentful paint at", lambda x: x["fcp"] if x["fcp"] is not None else float("nan")),
              ("  main thread: script", lambda x: x["ScriptDuration"]),
              ("  main thread: style", lambda x: x["RecalcStyleDuration"]),
              ("  main thread: layout", lambda x: x["LayoutDuration"]),
              ("  main thread: other (parse, paint)",
               lambda x: x["TaskDuration"] - x["ScriptDuration"] - x["RecalcStyleDuration"] - x["LayoutDuration"]))
    for label, f in phases:
        print(f"{label:{W}} {f(r):7.3f} {'':7} {f(p):9.3f}")
    print(f"{'  elements in the page':{W}} {r['elements']:7,} {'':7} {p['elements']:9,}")

    ok_sort = bool(sort_key)
    if not sort_key:
        print('no sort button (data-sort="off" or "quote") found in the report')
    for label, rows in clicks.items():
        sync = sorted(x["sync"] for x in rows)
        frame = min(x["frame"] for x in rows)
        target = ""
        if label.startswith("sort"):
            ok_sort = ok_sort and sync[0] < SORT_TARGET
            target = f"  < {SORT_TARGET} s: {'PASS' if sync[0] < SORT_TARGET else 'FAIL'}"
        print(f"{label + ', click + layout':{W}} {sync[0]:7.3f} {statistics.median(sync):7.3f} {base_best:9.3f} "
              f"{sync[0] / base_best:6.1f}{target}")
        b = min(rows, key=lambda x: x["sync"])
        print(f"{'  until the next frame':{W}} {frame:7.3f}")
        print(f"{'  main thread: script, style, layout':{W}} {b['ScriptDuration']:7.3f} {b['RecalcStyleDuration']:7.3f} "
              f"{b['LayoutDuration']:9.3f}")
    print(f"\n--words {a.words:,}: {claims:,} claims, report {mb:.1f} MB: "
          f"load {'PASS' if ok_load else 'FAIL'}, sort {'PASS' if ok_sort else 'FAIL'}")


if __name__ == "__main__":
    main()
