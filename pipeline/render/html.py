"""The HTML report and index: Jinja2 templates, autoescaped, one self-contained file each."""
from __future__ import annotations

import math
from datetime import datetime, timezone

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from pipeline import decisions
from pipeline.render import fmt

env = Environment(loader=PackageLoader("pipeline.render", "templates"), autoescape=select_autoescape(default=True),
                  trim_blocks=True, lstrip_blocks=True)
env.filters["num"] = fmt
def clock(s: float | None) -> str:
    return "" if s is None else f"{int(s) // 3600}:{int(s) % 3600 // 60:02d}:{int(s) % 60:02d}"


env.filters["clock"] = clock

VERDICTS = ("mismatch", "unverifiable", "consistent")
TRIAGE = {"mismatch": 0, "consistent": 1, "unverifiable": 2}


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
    if head in SINGULAR or head in SYMBOLS or value == 1:
        return unit
    return f"{head}s / {rest}" if rest else f"{head}s"


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


def said_text(d: dict | None, wide: float = 2) -> str:
    """A figure as a value and its unit ('15 billion parameters'); a vague or wide span as the span ('several
    orders of magnitude', models in general): its middle is no figure anyone said or expects."""
    if not d or d.get("value") is None:
        return ""
    lo, hi = d.get("low"), d.get("high")
    if d.get("vague") or lo and hi and hi > wide * lo or lo is not None and hi is None:
        return interval_text(d)
    return f"{fmt(d['value'])} {unit_text(d.get('unit'), d['value'])}".strip()


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


def transcript(ep: dict) -> Markup:
    """The transcript with every claim's quote marked and linked to its row.

    Built in Python rather than in the template: a long episode has thousands of pieces, and
    escaping them with markupsafe here is several times faster than a Jinja loop. Every piece of
    transcript text goes through escape().
    """
    by_segment: dict[int, list[dict]] = {}
    for c in ep["claims"]:
        by_segment.setdefault(c["segment"], []).append(c)
    out = []
    for i, s in enumerate(ep["segments"]):
        head = f'<span class="t">{clock(s["start"])}</span>' if s["start"] is not None else ""
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


def plot(claims: list[dict], size: int = 320, pad: int = 36) -> dict | None:
    """Stated against expected on log axes; on the diagonal means consistent."""
    pts = [c for c in claims if c["expected"] and (c["stated"]["value"] or 0) > 0 and (c["expected"]["value"] or 0) > 0]
    if not pts:
        return None
    logs = [math.log10(v) for c in pts for v in (c["stated"]["value"], c["expected"]["value"])]
    lo, hi = math.floor(min(logs)) - 0.5, math.ceil(max(logs)) + 0.5
    span = size - 2 * pad

    def xy(v):
        return pad + (math.log10(v) - lo) / (hi - lo) * span

    def yy(v):
        return size - xy(v)

    dots = [{"id": c["id"], "verdict": c["verdict"], "x": round(xy(c["stated"]["value"]), 1),
             "y": round(yy(c["expected"]["value"]), 1), "label": f"{c['id']}: {c['quote']}"} for c in pts]
    ticks = [{"p": round(xy(10.0**e), 1), "label": f"1e{e}"} for e in range(math.ceil(lo), math.floor(hi) + 1, max(1, int((hi - lo) // 6) or 1))]
    return {"size": size, "pad": pad, "dots": dots, "ticks": ticks, "lo": pad, "hi": size - pad}


COLUMNS = [("rank", "verdict", ""), ("quote", "quote", ""), ("speaker", "speaker", "wide"), ("time", "time", "wide"),
           ("kind", "kind", ""), ("subject", "subject", ""), ("stated", "stated", ""), ("expected", "expected", ""),
           ("off", "off by", "")]


def report(ep: dict, tool: dict, other_decisions: list[dict] = ()) -> str:
    """The episode's report; `other_decisions` are the decision rows of other episodes, kept by its download button."""
    rank = {"mismatch": 0, "unverifiable": 1, "consistent": 2}
    page_data = {  # for the page's script: sorting, filters, the decisions download
        "episode": ep["id"], "columns": decisions.COLUMNS,
        "claims": {c["id"]: {"id": int(c["id"][1:]), "verdict": c["verdict"], "rank": rank[c["verdict"]], "kind": c["kind"],
                             "speaker": c["speaker"], "time": c["start"], "quote": c["quote"], "subject": c["subject"],
                             "stated": c["stated"]["value"], "expected": (c["expected"] or {}).get("value"),
                             "off": c.get("off_by"), "sentence": c["sentence"], "review": c["review"]} for c in ep["claims"]},
        "others": [[d[k] for k in decisions.COLUMNS] for d in other_decisions],
        "orphans": [[d[k] for k in decisions.COLUMNS] for d in ep.get("orphaned_decisions", [])],
    }
    # triage: what needs a decision first (the mismatches, furthest off first), then what agrees, then the rest
    triage = sorted(ep["claims"], key=lambda c: (TRIAGE[c["verdict"]], -(c.get("off_by") or 0)))
    return env.get_template("report.html.j2").render(
        ep=ep, tool=tool, triage=triage, transcript=transcript(ep), verdicts=VERDICTS, plot=plot(ep["claims"]), columns=COLUMNS,
        kinds=sorted({c["kind"] for c in ep["claims"]}), page_data=page_data, orphans=ep.get("orphaned_decisions", []),
        reviewed=sum(1 for c in ep["claims"] if c.get("review")),
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def index(episodes: list[dict]) -> str:
    """The index over episode summaries ({id, source, summary, mtime}): mismatches on top, newest first."""
    rows = [{"ep": e, "when": datetime.fromtimestamp(e["mtime"], timezone.utc).strftime("%Y-%m-%d %H:%M")}
            for e in sorted(episodes, key=lambda e: (e["summary"].get("mismatch", 0) == 0, -e["mtime"]))]
    return env.get_template("index.html.j2").render(rows=rows)
