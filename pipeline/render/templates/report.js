(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("page-data").textContent);
  var table = document.getElementById("claim-table");
  if (!table) { return; }
  var slice = function (list) { return Array.prototype.slice.call(list); };
  var headers = slice(table.querySelectorAll("tbody.group"));
  var parked = {};  // a folded group's rows, out of the page (in its <template>) until the group is opened
  table.querySelectorAll("template.fold").forEach(function (t) { parked[t.dataset.group] = t.content; });
  var bodies = [];  // every claim's rows, in the order shown: the triage order until sorted
  headers.forEach(function (h) {
    var g = h.dataset.group;
    bodies = bodies.concat(slice((parked[g] || table).querySelectorAll('tbody.claim[data-group="' + g + '"]')));
  });
  var byId = Object.create(null), triage = {};  // by claim id: no "constructor" or "__proto__" in it
  bodies.forEach(function (b, i) {
    var c = data.claims[b.dataset.id];
    c.text = [c.quote, c.subject, c.speaker, c.kind.replace(/_/g, " ")].join(" ").toLowerCase();  // what a search reads
    byId[b.dataset.id] = b; triage[b.dataset.id] = i;
  });
  var dots = slice(document.querySelectorAll("a.dot"));
  var search = document.getElementById("f-search"), sortBy = document.getElementById("f-sort");

  // what is shown: verdicts, kinds, speakers (empty: all), words searched, the sort, the groups open; kept in the URL
  var state, pinned = null;
  var OPEN = headers.filter(function (h) { return h.querySelector("button").getAttribute("aria-expanded") === "true"; })
                    .map(function (h) { return h.dataset.group; });  // as the page came: the groups that need reading
  function defaults() {
    return {verdict: data.verdicts.slice(), kind: [], speaker: [], q: "", sort: "", dir: 1, open: OPEN.slice()};
  }
  var LISTS = ["verdict", "kind", "speaker", "open"];  // each value its own parameter: a name may hold a comma
  var SORTS = slice(table.querySelectorAll("button[data-sort]")).map(function (b) { return b.dataset.sort; });
  function fromUrl() {  // an address may be typed or cut short: whatever it says, the page still works
    var s = defaults(), p = new URLSearchParams(location.search);
    LISTS.forEach(function (k) {
      if (p.has(k)) { s[k] = p.getAll(k).filter(function (v, i, all) { return v && all.indexOf(v) === i; }); }
    });
    s.q = (p.get("q") || "").toLowerCase();
    s.sort = SORTS.indexOf(p.get("sort")) >= 0 ? p.get("sort") : ""; s.dir = p.get("dir") === "-1" ? -1 : 1;
    return s;
  }
  function toUrl() {
    var p = new URLSearchParams(), d = defaults();
    LISTS.forEach(function (k) {
      if (state[k].join("\u0000") === d[k].join("\u0000")) { return; }
      if (state[k].length) { state[k].forEach(function (v) { p.append(k, v); }); } else { p.set(k, ""); }  // "": none
    });
    if (state.q) { p.set("q", state.q); }
    if (state.sort) { p.set("sort", state.sort); p.set("dir", String(state.dir)); }
    var query = p.toString();
    try { history.replaceState(null, "", (query ? "?" + query : location.pathname) + location.hash); } catch (e) { /* a file: page may refuse */ }
  }

  function passes(c) {
    var q = state.q.trim();
    return state.verdict.indexOf(c.verdict) >= 0 && (!state.kind.length || state.kind.indexOf(c.kind) >= 0)
      && (!state.speaker.length || state.speaker.indexOf(c.speaker) >= 0) && (!q || c.text.indexOf(q) >= 0);
  }
  function apply() {
    var showing = 0, folded = 0, per = {}, visible = {};
    if (placed !== state.open.join(",")) { arrange(); }
    bodies.forEach(function (b) {
      var id = b.dataset.id, c = data.claims[id], ok = passes(c), open = state.open.indexOf(c.group) >= 0;
      visible[id] = (ok && open) || id === pinned;
      if (b.hidden === visible[id]) { b.hidden = !visible[id]; }
      b.classList.toggle("pinned", id === pinned && !ok);
      per[c.group] = (per[c.group] || 0) + (ok ? 1 : 0);
      if (visible[id]) { showing++; } else if (ok) { folded++; }
    });
    headers.forEach(function (h) {
      var g = h.dataset.group, btn = h.querySelector("button");
      btn.setAttribute("aria-expanded", String(state.open.indexOf(g) >= 0));
      btn.textContent = btn.textContent.replace(/\(.*\)$/, "(" + (per[g] || 0) + ")");
      h.hidden = !per[g] && !(pinned && data.claims[pinned].group === g);
    });
    dots.forEach(function (d) { d.style.display = visible[d.dataset.id] ? "" : "none"; });  // the plot shows what the table shows
    document.getElementById("shown").textContent = showing + " of " + bodies.length + " claims shown"
      + (folded ? ", " + folded + " more in folded groups" : "");
    document.querySelectorAll("button[data-verdict]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(state.verdict.indexOf(b.dataset.verdict) >= 0));
    });
    document.querySelectorAll("details.multi").forEach(function (d) {
      var picked = state[d.dataset.filter];
      d.querySelectorAll("input").forEach(function (i) { i.checked = picked.indexOf(i.value) >= 0; });
      var names = picked.map(function (x) { return d.dataset.filter === "kind" ? x.replace(/_/g, " ") : x; }).join(", ");
      d.querySelector(".picked").textContent = !picked.length ? "all" : names.length > 28 ? picked.length + " chosen" : names;
    });
    if (document.activeElement !== search) { search.value = state.q; }  // not while someone types in it
    sortBy.value = state.sort ? state.sort + ":" + state.dir : "";
    toUrl();
  }
  function changed(update) { return function (e) { update(e); pinned = null; apply(); }; }

  document.querySelectorAll("button[data-verdict]").forEach(function (btn) {
    btn.addEventListener("click", changed(function () {
      var v = btn.dataset.verdict, i = state.verdict.indexOf(v);
      if (i >= 0) { state.verdict.splice(i, 1); return; }
      state.verdict.push(v);
      bodies.forEach(function (b) {  // a verdict asked for is shown: its folded group opens
        var c = data.claims[b.dataset.id];
        if (c.verdict === v && state.open.indexOf(c.group) < 0) { state.open.push(c.group); }
      });
    }));
  });
  var multis = slice(document.querySelectorAll("details.multi"));
  multis.forEach(function (d) {
    d.addEventListener("change", changed(function () {
      state[d.dataset.filter] = slice(d.querySelectorAll("input:checked")).map(function (i) { return i.value; });
    }));
    d.querySelector("button.invert").addEventListener("click", changed(function () {  // "all but 'other'" in two clicks
      state[d.dataset.filter] = slice(d.querySelectorAll("input:not(:checked)")).map(function (i) { return i.value; });
    }));
    d.addEventListener("toggle", function () {  // one list open at a time
      if (d.open) { multis.forEach(function (o) { if (o !== d) { o.open = false; } }); }
    });
  });
  function closeLists(e) {
    multis.forEach(function (d) { if (d.open && (e.type === "keydown" ? e.key === "Escape" : !d.contains(e.target))) { d.open = false; } });
  }
  document.addEventListener("click", closeLists);
  document.addEventListener("keydown", closeLists);
  search.addEventListener("input", changed(function () { state.q = search.value.toLowerCase(); }));
  headers.forEach(function (h) {
    h.querySelector("button").addEventListener("click", changed(function () {
      var g = h.dataset.group, i = state.open.indexOf(g);
      if (i >= 0) { state.open.splice(i, 1); } else { state.open.push(g); }
    }));
  });
  document.getElementById("f-reset").addEventListener("click", changed(function () { state = defaults(); sort(); }));

  // the rows in their order, each after its group's heading; a folded group's rows parked out of the page
  var placed = null;
  function arrange() {
    var frag = document.createDocumentFragment();
    headers.forEach(function (h) {
      var g = h.dataset.group, open = state.open.indexOf(g) >= 0, into = open ? frag : (parked[g] = parked[g] || document.createDocumentFragment());
      frag.appendChild(h);
      bodies.forEach(function (b) { if (b.dataset.group === g) { into.appendChild(b); } });
    });
    table.appendChild(frag);
    placed = state.open.join(",");
  }

  // sorting, within each group, so what needs a decision stays on top; a figure sorts by its unit, then its size
  var collator = new Intl.Collator();
  function compare(x, y) {
    if (Array.isArray(x)) { return collator.compare(x[0], y[0]) || x[1] - y[1]; }
    return typeof x === "number" ? x - y : collator.compare(String(x), String(y));
  }
  function sort() {
    var key = state.sort, dir = state.dir;
    var keyed = bodies.map(function (b) {  // each key read once, not at every comparison; a missing value sorts last
      var v = key ? data.claims[b.dataset.id][key] : triage[b.dataset.id];
      return {b: b, v: v === null || v === undefined ? null : v};
    });
    keyed.sort(function (a, b) {
      if (a.v === null || b.v === null) { return (a.v === null) - (b.v === null); }
      return dir * compare(a.v, b.v);
    });
    bodies = keyed.map(function (k) { return k.b; });
    arrange();
    table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
    var btn = table.querySelector('button[data-sort="' + key + '"]');
    if (btn) { btn.parentNode.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending"); }
  }
  document.querySelectorAll("button[data-sort]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      state.dir = state.sort === btn.dataset.sort ? -state.dir : (btn.dataset.sort === "off" ? -1 : 1);
      state.sort = btn.dataset.sort;
      sort(); apply();
    });
  });
  sortBy.addEventListener("change", function () {
    var v = sortBy.value.split(":");
    state.sort = v[0]; state.dir = v[1] === "-1" ? -1 : 1;
    sort(); apply();
  });

  // a jump to a claim (from the transcript or the plot) opens its group, shows its row even when filtered out, marks
  // it and offers the way back; going back lets it go
  var jumped = null;  // the row last jumped to, wherever it is now (a folded group's rows are out of the page)
  function jump() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = ""; }
    if (jumped) {
      jumped.classList.remove("jumped");
      var old = jumped.querySelector("a.back");
      if (old) { old.previousSibling.remove(); old.remove(); }
      jumped = null;
    }
    if (!byId[id]) {
      if (pinned) { pinned = null; apply(); }
      return;
    }
    var g = data.claims[id].group;
    if (state.open.indexOf(g) < 0) { state.open.push(g); }
    pinned = id; apply();
    var back = document.createElement("a");
    jumped = byId[id].rows[0];
    jumped.classList.add("jumped");
    back.className = "back"; back.href = "#q-" + id; back.textContent = "↩ back to the transcript";
    jumped.cells[1].append(document.createElement("br"), back);
    jumped.scrollIntoView({block: "center"});
  }
  window.addEventListener("hashchange", jump);
  document.addEventListener("click", function (e) {  // the same link again: no hashchange, but the reader asks again
    var a = e.target.closest && e.target.closest("a[href^='#']");
    if (a && a.getAttribute("href") === location.hash && byId[location.hash.slice(1)]) { e.preventDefault(); jump(); }
  });

  // reviewer decisions: a choice and a note for each claim, kept in the browser as they are made, and downloaded as
  // one claims/decisions.csv. One store per folder of reports, for every episode in it, so reloading or reviewing
  // another episode loses nothing; a decision is kept by what names its claim (kind, quote, sentence), not by its id,
  // which a re-run may give to another claim. A record has the fields of data.columns (episode, claim, kind, ...).
  var STORE = "claimcheck-decisions:" + location.pathname.replace(/[^/]*$/, "");  // {episode: {key: record}}
  var reviewer = document.getElementById("reviewer");
  function load(key) { try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; } }
  function save(key, value) {  // false when the browser keeps nothing (private mode, a full store)
    try { localStorage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  }
  function named(r) { return [r.kind, r.quote, r.sentence].join("\u0000") + (r.nth ? "\u0000" + r.nth : ""); }
  var seen = {};  // a figure said twice in one sentence ("15 billion, yes, 15 billion"): its second is nth 1
  Object.keys(data.claims).forEach(function (id) {
    var c = data.claims[id], k = named(c);
    c.nth = seen[k] = k in seen ? seen[k] + 1 : 0;
  });
  function put(all, r) { (all[r.episode] = all[r.episode] || {})[named(r)] = r; return all; }
  var all = load(STORE) || {};
  var before = load("claimcheck-decisions");  // the first version's store: one for all folders, by claim id
  if (before && before[data.episode]) {  // each episode's page takes its own: which folder holds another is not known here
    Object.keys(before[data.episode]).forEach(function (id) {
      var d = before[data.episode][id], r = {episode: data.episode, claim: id, kind: d[0], quote: d[1], sentence: d[2],
                                             decision: d[3], note: d[4] || "", reviewer: d[5] || "", date: d[6] || ""};
      if (!(all[data.episode] || {})[named(r)]) { put(all, r); }
    });
    delete before[data.episode];
    if (save(STORE, all)) { save("claimcheck-decisions", before); }
  }
  reviewer.value = load("claimcheck-reviewer") || "";
  reviewer.addEventListener("input", function () { save("claimcheck-reviewer", reviewer.value.trim()); });

  // this page's decisions, by claim id: what the browser kept for it, unless the file has it too (then it is saved)
  // or has a later one (a colleague's, merged into decisions.csv since); else what was on disk when the page was made
  var decided = {}, mine = all[data.episode] || {};
  Object.keys(data.claims).forEach(function (id) {
    var c = data.claims[id], key = named(c), k = mine[key], r = c.review;
    if (k && r && (k.decision === r.decision && k.note === (r.note || "") || (r.date || "") > (k.date || ""))) {
      delete mine[key]; k = null;
    }
    var d = k || r;
    if (d) { decided[id] = {decision: d.decision, note: d.note || "", reviewer: d.reviewer || "", date: d.date || ""}; }
  });
  save(STORE, all);
  function record(id) {
    var c = data.claims[id], d = decided[id];
    return {episode: data.episode, claim: id, kind: c.kind, quote: c.quote, sentence: c.sentence, nth: c.nth,
            decision: d.decision, note: d.note, reviewer: d.reviewer, date: d.date};
  }
  function progress() {
    var flagged = bodies.filter(function (b) { return b.dataset.group === "decide"; });
    var done = flagged.filter(function (b) { return (decided[b.dataset.id] || {}).decision; });
    document.getElementById("progress").textContent = !flagged.length ? "no flags"
      : done.length + " of " + flagged.length + " flag" + (flagged.length === 1 ? "" : "s") + " reviewed";
  }
  function shown(id) {  // the row says the decision at once, not after the next run
    var decision = (decided[id] || {}).decision, cell = byId[id].rows[0].cells[0], span = cell.querySelector(".review.decided");
    if (!span && !decision) { return; }
    if (!span) { span = document.createElement("span"); span.className = "review decided"; cell.append(document.createElement("br"), span); }
    span.textContent = decision ? "reviewed: " + decision : "";
  }
  function decide(id, d) {  // a decision made here or imported: shown, counted, and in the controls if they are open
    decided[id] = d;
    put(all, record(id)); shown(id); progress();
    var p = byId[id].querySelector("p.decide");
    if (p && p.firstChild) { p.querySelector("select").value = d.decision; p.querySelector("input").value = d.note; }
  }
  var status = document.getElementById("import-status");
  function kept() {  // the browser keeps it, or the reader is told it does not
    if (!save(STORE, all)) { status.textContent = "This browser keeps nothing here (private mode, or its store is full): download decisions.csv before leaving."; }
  }
  function controls(p) {  // built when a claim's working is first opened: thousands of rows need none until then
    var id = p.dataset.claim, d = decided[id] || {};
    var sel = document.createElement("select"), note = document.createElement("input");
    sel.className = "decision"; sel.dataset.claim = id;
    [""].concat(data.decisions).forEach(function (x) {
      var o = document.createElement("option"); o.value = x; o.textContent = x || "none";
      o.selected = (d.decision || "") === x; sel.appendChild(o);
    });
    note.className = "decision-note"; note.size = 24; note.value = d.note || "";
    function made(e) {
      if (e.target === note && note.value.trim() && !sel.value) { sel.value = "note"; }  // a note typed is kept as one
      decide(id, {decision: sel.value, note: note.value, reviewer: reviewer.value.trim(), date: new Date().toISOString().slice(0, 10)});
      kept();
    }
    sel.addEventListener("change", made); note.addEventListener("input", made);
    var l1 = document.createElement("label"), l2 = document.createElement("label");
    l1.append("review ", sel); l2.append(" note ", note); p.append(l1, l2);
  }
  function fill(details) {  // a claim's working is written in a <template>: inert, and cheap, until it is opened
    var t = details.querySelector("template");
    if (!details.open || !t) { return; }
    details.appendChild(t.content.cloneNode(true)); t.remove();
    details.querySelectorAll("p.decide").forEach(controls);
  }
  table.addEventListener("toggle", function (e) { fill(e.target); }, true);
  table.querySelectorAll("details[open]").forEach(fill);
  Object.keys(decided).forEach(shown);
  progress();
  window.decisionRows = function () {
    // what was on disk when the page was made (other episodes', and this one's whose claim is gone), then every
    // decision kept in the browser for any episode, then this page's; the later wins, one row per claim named
    var rows = {}, order = [];
    function add(r) { var k = r.episode + "\u0000" + named(r); if (!(k in rows)) { order.push(k); } rows[k] = r; }
    data.others.concat(data.orphans).forEach(add);
    Object.keys(all).forEach(function (ep) { Object.keys(all[ep]).forEach(function (k) { add(all[ep][k]); }); });
    Object.keys(decided).forEach(function (id) { add(record(id)); });
    return order.map(function (k) { return rows[k]; }).filter(function (r) { return r.decision; })
      .map(function (r) { return data.columns.map(function (col) { return r[col] || ""; }); });
  };
  document.getElementById("download").addEventListener("click", function () {
    var csv = [data.columns].concat(window.decisionRows()).map(function (r) {
      return r.map(function (v) {
        v = String(v);
        if (/^[=+\-@\t\r]/.test(v)) { v = "'" + v; }  // a spreadsheet must not run it as a formula (decisions.neutralise)
        return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
      }).join(",");
    }).join("\n") + "\n";
    var a = document.createElement("a");
    a.href = "data:text/csv;charset=utf-8," + encodeURIComponent(csv);
    a.download = "decisions.csv";
    document.body.appendChild(a); a.click(); a.remove();
  });

  // importing a decisions.csv (a colleague's, or one saved earlier): read as claimcheck reads it
  function parseCsv(text) {  // [[line, cells]]: RFC 4180, quotes may hold commas and line breaks
    var rows = [], cells = [], cell = "", quoted = false, line = 1, start = 1;
    text = text.replace(/^\ufeff/, "");
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') { quoted = false; } else { cell += ch; if (ch === "\n") { line++; } }
      } else if (ch === '"') { quoted = true; } else if (ch === ",") { cells.push(cell); cell = ""; } else if (ch === "\n" || ch === "\r") {
        if (ch === "\r" && text[i + 1] === "\n") { i++; }
        cells.push(cell); rows.push([start, cells]); cells = []; cell = ""; line++; start = line;
      } else { cell += ch; }
    }
    if (cell || cells.length) { cells.push(cell); rows.push([start, cells]); }
    return rows.filter(function (r) { return r[1].join("").trim(); });
  }
  function restore(v) { return /^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v; }
  function decisionOf(said) {
    said = said.replace(/[_-]/g, " ").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
    return data.decisions.indexOf(said) >= 0 ? said : null;
  }
  function importCsv(text) {
    var rows = parseCsv(text), head = (rows.shift() || [0, []])[1].map(function (h) { return h.trim().toLowerCase(); });
    if (["episode", "claim", "decision"].some(function (k) { return head.indexOf(k) < 0; })) {
      status.textContent = "Not imported: the first line must name the columns (" + data.columns.join(", ") + ").";
      return;
    }
    var here = 0, elsewhere = 0, skipped = [], filled = {};
    rows.forEach(function (r) {
      var d = {};
      head.forEach(function (h, i) { d[h] = restore((r[1][i] || "").trim()); });
      if (!d.decision) { return; }
      var decision = decisionOf(d.decision);
      if (!decision) { skipped.push("line " + r[0] + ": decision must be one of " + data.decisions.join(", ") + ", not '" + d.decision.slice(0, 80) + "'"); return; }
      var got = {decision: decision, note: d.note || "", reviewer: d.reviewer || "", date: d.date || ""};
      if (d.episode === data.episode) {
        var ids = Object.keys(data.claims).filter(function (id) {  // each claim takes one row of the file
          var c = data.claims[id]; return c.quote === d.quote && c.kind === d.kind && !filled[id];
        });
        var exact = ids.filter(function (x) { return data.claims[x].sentence === d.sentence; });  // the id says which of equals
        var id = exact.indexOf(d.claim) >= 0 ? d.claim : exact[0] || (ids.indexOf(d.claim) >= 0 ? d.claim : null);
        if (id) { decide(id, got); filled[id] = true; here++; return; }
      }
      put(all, {episode: d.episode, claim: d.claim, kind: d.kind || "", quote: d.quote || "", sentence: d.sentence || "",
                decision: decision, note: got.note, reviewer: got.reviewer, date: got.date});
      elsewhere++;  // another episode's, or one whose claim is gone: kept for the download
    });
    status.textContent = "Imported " + (here + elsewhere) + " decisions (" + here + " on this page)"
      + (skipped.length ? "; skipped " + skipped.length + ": " + skipped.join("; ") : "") + ".";
    kept();
  }
  document.getElementById("import").addEventListener("change", function (e) {
    var file = e.target.files[0];
    if (!file) { return; }
    var reader = new FileReader();
    reader.onload = function () { importCsv(String(reader.result)); };
    reader.readAsText(file);
  });

  state = fromUrl();
  if (state.sort) { sort(); }
  apply();
  if (location.hash) { jump(); }
})();
