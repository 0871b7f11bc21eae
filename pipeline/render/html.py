"""The HTML report and index: Jinja2 templates, autoescaped, one self-contained file each."""
from __future__ import annotations

import math
import os
import re
from datetime import datetime, timezone
from pathlib import PurePath

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from pipeline import decisions
from pipeline.quantities import TOLERANCE
from pipeline.render import fmt


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Compiled templates kept between runs (Jinja's own cache, in a folder of the user's own under the temporary
    folder): compiling the report's template is a tenth of a one-line check's time."""
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no private temporary folder to be had: compile each run
        return None


env = Environment(loader=PackageLoader("pipeline.render", "templates"), autoescape=select_autoescape(default=True),
                  trim_blocks=True, lstrip_blocks=True, bytecode_cache=_bytecode_cache())
env.filters["num"] = fmt
def clock(s: float | None) -> str:
    return "" if s is None else f"{int(s) // 3600}:{int(s) % 3600 // 60:02d}:{int(s) % 60:02d}"


env.filters["clock"] = clock

VERDICTS = ("mismatch", "unverifiable", "consistent")


SINGULAR = {"fold", "percent"}
SAID_AS = {"kv_head": "KV head", "GPU * hour": "GPU-hour", "teraFLOPS": "TFLOP/s", "petaFLOPS": "PFLOP/s", "FLOPS": "FLOP/s",
           "watt_hour": "Wh", "kilowatt_hour": "kWh", "megawatt_hour": "MWh"}
SYMBOLS = {"TFLOP/s", "PFLOP/s", "FLOP/s", "Wh", "kWh", "MWh"}


def unit_text(unit: str | None, value: float | None = None) -> str:
    """'token' -> 'tokens', 'kilobyte / token' -> 'kilobytes / token': units as a reader says them."""
    if not unit:
        return ""
    head, _, rest = unit.partition(" / ")
    head = SAID_AS.get(head, head)
    if "(" in unit:  # a unit the arithmetic built ('(byte) / (megabyte / second)'): as it is
        return unit
    if not (head in SINGULAR or head in SYMBOLS or value == 1):
        head += "s"
    return f"{head} / {rest}" if rest else head


env.filters["unit"] = unit_text


def interval_text(d: dict | None) -> str:
    if not d:
        return ""
    lo, hi, unit = d.get("low"), d.get("high"), unit_text(d.get("unit"))
    if lo is None and hi is None:
        return ""
    hi_t = "∞" if hi is None else fmt(hi)
    return f"{fmt(lo)} to {hi_t} {unit}".strip() if lo != hi else f"{fmt(lo)} {unit}".strip()


env.filters["interval"] = interval_text


def said_text(c: dict) -> str:
    """A claim's figure as said: its value and unit with the hedge said before it ('over 10 million dollars', 'on the
    order of 10 trillion tokens'); a figure said loosely or as a range, in the speaker's words ('several orders of
    magnitude'): the span read from them is in the working, and its middle is no figure anyone said."""
    d = c["stated"]
    if d.get("value") is None:
        return ""
    if d.get("vague"):
        return c["quote"]
    said = f"{fmt(d['value'])} {unit_text(d.get('unit'), d['value'])}".strip()
    return f"{d['hedge']} {said}" if d.get("hedge") else said


def expected_text(d: dict | None, wide: float = 5) -> str:
    """The figure expected, with the interval it may take when that is wider than the tolerance; an interval
    wider than `wide` times ('LLMs in general') as the interval alone, its middle being no figure at all."""
    if not d or d.get("value") is None:
        return ""
    lo, hi = d.get("low"), d.get("high")
    if not lo or not hi or hi > wide * lo:
        return interval_text(d)
    said = f"{fmt(d['value'])} {unit_text(d.get('unit'), d['value'])}".strip()
    return f"{said} ({fmt(lo)} to {fmt(hi)})" if hi > lo * (1 + TOLERANCE) ** 2 else said


env.filters["expected"] = expected_text
env.filters["said"] = said_text


def pieces(text: str, claims: list[dict]) -> list[tuple[str, dict | None]]:
    """The segment's text cut at its claims' quotes, so each quote can be highlighted."""
    out, pos = [], 0
    for c in sorted(claims, key=lambda c: c["char_start"]):
        if c["char_start"] < pos:
            continue
        out.append((text[pos:c["char_start"]], None))
        out.append((text[c["char_start"]:c["char_end"]], c))
        pos = c["char_end"]
    out.append((text[pos:], None))
    return [p for p in out if p[0]]


def media_link(ep: dict) -> str | None:
    """The episode's audio, when the transcript names it on the web; a file name beside the transcript is not
    linked, since the report is read elsewhere (and its path would show the reviewer's folders)."""
    media = ep.get("media") or ""
    return media if media.startswith(("https://", "http://")) else None


def transcript(ep: dict) -> Markup:
    """The transcript with every claim's quote marked and linked to its row.

    Built in Python rather than in the template: a long episode has thousands of pieces, and
    escaping them with markupsafe here is several times faster than a Jinja loop. Every piece of
    transcript text goes through escape().
    """
    by_segment: dict[int, list[dict]] = {}
    for c in ep["claims"]:
        by_segment.setdefault(c["segment"], []).append(c)
    out, media = [], media_link(ep)
    for i, s in enumerate(ep["segments"]):
        head = ""
        if s["start"] is not None:
            head = (f'<a class="t" href="{escape(media)}#t={s["start"]:g}" rel="noreferrer" title="play from here">{clock(s["start"])}</a>' if media
                    else f'<span class="t">{clock(s["start"])}</span>')
        if s["speaker"]:
            head += f'<span class="who">{escape(s["speaker"])}:</span> '
        body = []
        for text, c in pieces(s["text"], by_segment.get(i, [])):
            if c is None:
                body.append(str(escape(text)))
            else:
                v, cid = c["verdict"], escape(c["id"])
                body.append(f'<mark id="q-{cid}" class="q-{v}"><a href="#{cid}" title="{cid}: {v}">{escape(text)}</a>'
                            f'<sup class="v v-{v}">{cid}</sup></mark>')
        out.append(f'<p class="seg" id="s{i}">{head}{"".join(body)}</p>')
    return Markup("\n".join(out))


PREFIXES = {"kilo": 1e3, "mega": 1e6, "giga": 1e9, "tera": 1e12, "peta": 1e15, "exa": 1e18}
AS = {"bit": ("byte", 1 / 8)}  # one panel for bits and bytes


def base_unit(unit: str) -> tuple[str, float]:
    """'gigabyte' -> ('byte', 1e9), 'megabit / token' -> ('byte / token', 1.25e5): one panel per dimension."""
    head, sep, rest = unit.partition(" / ")
    scale = 1.0
    for prefix, x in PREFIXES.items():
        if head.startswith(prefix) and len(head) > len(prefix):
            head, scale = head[len(prefix):], x
            break
    head, x = AS.get(head, (head, 1.0))
    return head + sep + rest, scale * x


def tick(e: int) -> str:
    """10**e compactly: '1k', '1M', '1B', '1T', else '10^15' with a superscript."""
    if -3 <= e < 15:
        v = 10.0 ** e
        for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
            if v >= div:
                return f"{v / div:g}{suffix}"
        return f"{v:g}"
    return "10" + str(e).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def plot(claims: list[dict], size: int = 240, pad: int = 40) -> list[dict]:
    """One small panel per dimension: stated against expected on log axes, each expected interval as a bar
    (on the diagonal is consistent; a bar crossing it is within what the reference allows)."""
    panels: dict[str, list] = {}
    for c in claims:
        e, st = c["expected"], c["stated"]
        if not e or not st["unit"] or (st["value"] or 0) <= 0 or (e["value"] or 0) <= 0 or e["unit"] != st["unit"]:
            continue
        unit, x = base_unit(st["unit"])
        lo, hi = e["low"] or e["value"], e["high"] or e["value"]
        slo, shi = (st["low"], st["high"]) if st.get("vague") and st["low"] and st["high"] else (st["value"],) * 2
        y = min(max(st["value"], lo), hi) if hi > 5 * lo else e["value"]  # a wide expectation: its point nearest the figure
        said = min(max(y, slo), shi)  # a span said loosely: its point nearest what is expected, not a middle nobody said
        panels.setdefault(unit, []).append((c, [v * x for v in (said, y, max(lo, 1e-30), hi, max(slo, 1e-30), shi)]))
    out = []
    for unit, pts in sorted(panels.items(), key=lambda kv: -len(kv[1])):
        logs = [math.log10(v) for _, vs in pts for v in vs]
        lo, hi = math.floor(min(logs) - 0.2), math.ceil(max(logs) + 0.2)
        if hi - lo < 2:
            lo, hi = lo - 1, hi + 1
        span = size - 2 * pad

        def px(v, lo=lo, hi=hi):
            return round(pad + (math.log10(v) - lo) / (hi - lo) * span, 1)

        step = max(1, math.ceil((hi - lo) / 4))
        band = round(math.log10(1 + TOLERANCE) / (hi - lo) * span, 1)  # the tolerance either side of the diagonal
        out.append({
            "unit": unit_text(unit), "size": size, "pad": pad, "lo": pad, "hi": size - pad, "band": max(band, 1),
            "ticks": [{"p": px(10.0 ** e), "label": tick(e)} for e in range(lo, hi + 1, step)],
            "dots": [{"id": c["id"], "verdict": c["verdict"], "x": px(s), "y": size - px(e), "y1": size - px(elo),
                      "y2": size - px(ehi), "x1": px(slo), "x2": px(shi), "left": px(s) > size - pad - 24,
                      "label": f"{c['id']}: “{c['quote']}”, expected {expected_text(c['expected'])}"}
                     for c, (s, e, elo, ehi, slo, shi) in pts],
        })
    return out


COLUMNS = [("rank", "verdict"), ("quote", "quote"), ("speaker", "speaker"), ("time", "time"), ("kind", "kind"),
           ("subject", "subject"), ("stated", "said"), ("expected", "expected"), ("off", "off by")]  # (sort key, heading)
GROUPS = [("decide", "needs a decision", True), ("consistent", "consistent", True), ("unverifiable", "unverifiable", False)]
OPEN_WORKINGS = 5  # a few flags show their working at once; more are one line each, to be read at a glance


def group(c: dict) -> str:
    """Mismatches, and claims every reading of their name contradicts, need a reviewer; the rest can wait."""
    return "decide" if c["verdict"] == "mismatch" or c.get("contested") else c["verdict"]


LINKS = [  # how a source names a page, and that page's address
    (re.compile(r"https?://[^\s)\];,'\"]+[^\s)\];,'\".]"), lambda m: m.group()),
    (re.compile(r"arXiv:(\d{4}\.\d{4,5})"), lambda m: f"https://arxiv.org/abs/{m.group(1)}"),
    (re.compile(r"github:([\w.-]+/[\w.-]+)(?: ([^\s@()]+)@([0-9a-f]{7,40}))?"),
     lambda m: f"https://github.com/{m.group(1)}" + (f"/blob/{m.group(3)}/{m.group(2)}" if m.group(3) else "")),
]
_LINK = re.compile("|".join(f"(?:{rx.pattern})" for rx, _ in LINKS))


def linked(text: str | None) -> Markup:
    """A source with the pages it names as links; everything else escaped."""
    out, pos = [], 0
    for m in _LINK.finditer(text or ""):
        href = next(to(rx.match(m.group())) for rx, to in LINKS if rx.match(m.group()))
        out += [escape(text[pos:m.start()]), Markup('<a href="{}" rel="noreferrer">{}</a>').format(href, m.group())]
        pos = m.end()
    out.append(escape((text or "")[pos:]))
    return Markup("").join(out)


env.filters["linked"] = linked


def sort_key(d: dict | None) -> list | None:
    """[unit, value in it]: figures sort by what they measure first ('10 fold' is not less than '14 megawatts')."""
    if not d or d.get("value") is None or not d.get("unit"):
        return None
    unit, x = base_unit(d["unit"])
    return [unit, d["value"] * x]


def report(ep: dict, tool: dict, other_decisions: list[dict] = ()) -> str:
    """The episode's report; `other_decisions` are the decision rows of other episodes, kept by its download button."""
    page_data = {  # for the page's script: sorting, filters, the decisions download
        "episode": ep["id"], "columns": decisions.COLUMNS, "decisions": decisions.DECISIONS, "verdicts": VERDICTS,
        "claims": {c["id"]: {"verdict": c["verdict"], "rank": VERDICTS.index(c["verdict"]), "kind": c["kind"],
                             "group": group(c), "speaker": c["speaker"], "time": c["start"], "quote": c["quote"],
                             "subject": c["subject"], "stated": sort_key(c["stated"]), "expected": sort_key(c["expected"]),
                             "off": c.get("off_by"), "sentence": c["sentence"], "review": c["review"]} for c in ep["claims"]},
        "others": [{k: d.get(k, "") for k in decisions.COLUMNS} for d in other_decisions],
        "orphans": [{k: d.get(k, "") for k in decisions.COLUMNS} for d in ep.get("orphaned_decisions", [])],
    }
    # triage: what needs a decision first (the furthest off first), then what agrees, then the rest
    triage = sorted(ep["claims"], key=lambda c: ([g for g, _, _ in GROUPS].index(group(c)), -(c.get("off_by") or 0)))
    members = {g: [c for c in triage if group(c) == g] for g, _, _ in GROUPS}
    nothing_open = not any(members[g] for g, _, open_ in GROUPS if open_)  # then nothing is folded: no empty table
    groups = [(g, label, open_ or nothing_open, members[g]) for g, label, open_ in GROUPS]
    return env.get_template("report.html.j2").render(
        ep=ep, tool=tool, groups=groups, transcript=transcript(ep), verdicts=VERDICTS, plot=plot(ep["claims"]),
        columns=COLUMNS, open_workings=OPEN_WORKINGS, tolerance=f"{TOLERANCE:.0%}", kinds=sorted({c["kind"] for c in ep["claims"]}),
        page_data=page_data,
        orphans=ep.get("orphaned_decisions", []), name=PurePath(ep["source"]).name, media=media_link(ep),
        flagged=len(groups[0][3]), reviewed=sum(1 for c in groups[0][3] if c.get("review")),
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def relative_sources(sources: list[str]) -> list[str]:
    """Each source relative to the folder all of them share, so the page does not show the reviewer's own
    path (/home/ana/...) to whoever it is shared with; one episode's source is its file name."""
    try:
        common = os.path.commonpath([os.path.dirname(s) for s in sources]) or "."
    except ValueError:  # absolute and relative paths share no folder
        return [os.path.basename(s) for s in sources]
    return [os.path.relpath(s, common) for s in sources]


COUNTS = ("claims", "mismatch", "unverifiable", "consistent", "reviewed", "decide")


def counts(summary: dict) -> dict:
    """An episode's counts; the claims to decide are its mismatches when an older summary does not say."""
    return {k: summary.get(k, summary.get("mismatch", 0) if k == "decide" else 0) for k in COUNTS}


def index(episodes: list[dict]) -> str:
    """The index over episode summaries ({id, source, summary, mtime}): those with flags on top, newest first, and a
    totals row, so a reviewer sees at a glance what is left to review across all episodes."""
    episodes = sorted(episodes, key=lambda e: (counts(e["summary"])["decide"] == 0, -e["mtime"]))
    rows = [{"ep": e, "source": name, "counts": counts(e["summary"]),
             "when": datetime.fromtimestamp(e["mtime"], timezone.utc).strftime("%Y-%m-%d %H:%M")}
            for e, name in zip(episodes, relative_sources([e["source"] for e in episodes]))]
    totals = {k: sum(r["counts"][k] for r in rows) for k in COUNTS}
    return env.get_template("index.html.j2").render(rows=rows, totals=totals)
