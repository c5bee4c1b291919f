(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("parity-data").textContent);
  var T = D.t, COLS = D.cols, STATUSES = D.statuses, RANK = {};
  STATUSES.forEach(function (s, i) { RANK[s] = i; });
  var FIELD = {};
  D.fields.forEach(function (f, i) { FIELD[f] = i; });
  var OCCURRED = {"new": 1, "known": 1, "crash": 1, "timeout": 1, "harness-error": 1, "unreadable": 1};
  var PAGE = 40;

  function text(x) {
    if (x === null || x === undefined) { return ""; }
    if (typeof x === "number") { return T[x]; }
    if (typeof x === "string") { return x; }  // a field that travels as-is (a conformance rule's function)
    return x.map(function (i) { return T[i]; }).join("\n");
  }
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) { return; }
        if (k === "text") { el.textContent = v; } else if (k === "cls") { el.className = v; }
        else if (k.slice(0, 2) === "on") { el.addEventListener(k.slice(2), v); } else { el.setAttribute(k, v); }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) { continue; }
      el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return el;
  }
  function num(x) { return typeof x === "number" && isFinite(x) ? String(parseFloat(x.toPrecision(4))) : String(x); }
  function badge(status) { return h("span", {cls: "badge s-" + status, text: status}); }
  function catTag(cat) { return cat ? h("span", {cls: "cat k-" + cat, text: cat}) : null; }

  // ---- records, decoded once
  var RECS = D.r.map(function (a) {
    var rec = {op: T[a[0]], fam: T[a[1]], dtype: T[a[2]], col: a[3], status: a[4], reason: text(a[5]),
               domain: T[a[7]] || "standard", checked: a[8] || null};
    rec.divs = a[6].map(function (d) {
      var o = {rec: rec};
      D.fields.forEach(function (f, i) { o[f] = d[i]; });
      o.extra = d[D.fields.length] || {};
      o.cat = o.category;
      return o;
    });
    rec.key = rec.op + "\u0000" + rec.dtype;
    return rec;
  });
  function uniq(values) {
    var seen = {}, out = [];
    values.forEach(function (v) { if (v !== "" && !seen[v]) { seen[v] = 1; out.push(v); } });
    return out;
  }

  // ---- filter state, kept in the URL hash
  var F = {};
  var KEYS = ["q", "status", "cat", "col", "fam", "dtype", "domain", "op", "new", "one", "open"];
  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    KEYS.forEach(function (k) { F[k] = p.get(k) || ""; });
    F.openSet = {};
    F.open.split(",").forEach(function (o) { if (o) { F.openSet[o] = 1; } });
  }
  function writeHash() {
    var p = new URLSearchParams();
    F.open = Object.keys(F.openSet).join(",");
    KEYS.forEach(function (k) { if (F[k]) { p.set(k, F[k]); } });
    var s = p.toString();
    history.replaceState(null, "", s ? "#" + s : location.pathname + location.search);
  }
  var controls = {
    q: document.getElementById("f-q"), status: document.getElementById("f-status"),
    cat: document.getElementById("f-cat"), col: document.getElementById("f-col"),
    fam: document.getElementById("f-fam"), dtype: document.getElementById("f-dtype"),
    domain: document.getElementById("f-domain"),
    op: document.getElementById("f-op"), "new": document.getElementById("f-new"), one: document.getElementById("f-one")
  };
  function fill(select, values, labels) {
    values.forEach(function (v, i) { select.appendChild(h("option", {value: v, text: labels ? labels[i] : v})); });
  }
  fill(controls.status, STATUSES);
  fill(controls.cat, D.categories.concat(["crash", "timeout", "harness-error", "unreadable"]));
  fill(controls.col, COLS.map(function (c) { return c.label; }));
  fill(controls.fam, uniq(RECS.map(function (r) { return r.fam; })).sort());
  fill(controls.dtype, uniq(RECS.map(function (r) { return r.dtype; })).sort());
  fill(controls.domain, uniq(RECS.map(function (r) { return r.domain; })).sort());
  fill(controls.op, uniq(RECS.map(function (r) { return r.op; })).sort());
  if (COLS.length < 2) { controls.one.disabled = true; controls.one.parentNode.title = "needs two or more backends"; }

  function syncControls() {
    ["q", "status", "cat", "col", "fam", "dtype", "domain", "op"].forEach(function (k) { controls[k].value = F[k]; });
    controls["new"].checked = !!F["new"];
    controls.one.checked = !!F.one;
  }
  Object.keys(controls).forEach(function (k) {
    var el = controls[k];
    el.addEventListener(el.type === "search" ? "input" : "change", function () {
      F[k] = el.type === "checkbox" ? (el.checked ? "1" : "") : el.value;
      writeHash();
      render();
    });
  });
  document.getElementById("f-reset").addEventListener("click", function () {
    KEYS.forEach(function (k) { F[k] = ""; });
    F.openSet = {};
    writeHash(); syncControls(); render();
  });
  window.addEventListener("hashchange", function () { readHash(); syncControls(); render(); });

  // ---- matching
  function colLabel(i) { return COLS[i].label; }
  function baseMatch(r) {
    return (!F.fam || r.fam === F.fam) && (!F.dtype || r.dtype === F.dtype) && (!F.op || r.op === F.op) &&
      (!F.domain || r.domain === F.domain);
  }
  function haystack(r, d) {
    var s = r.op + " " + r.fam + " " + r.dtype + " " + colLabel(r.col) + " " + r.reason;
    if (d) { s += " " + text(d.detail) + " " + text(d.reason) + " " + text(d.note); }
    return s.toLowerCase();
  }
  var DIV_STATUS = {"new": 1, known: 1, stale: 1, crash: 1, timeout: 1, "harness-error": 1, unreadable: 1};
  function divFiltered() { return !!(F.cat || F["new"] || F.one || DIV_STATUS[F.status]); }
  function divMatch(d) {
    return (!F.cat || d.cat === F.cat) && (!F["new"] || d.status === "new") &&
           (!DIV_STATUS[F.status] || d.status === F.status);
  }
  /** Returns {recs: matching records, divs: matching divergences} under the current filters. */
  function select() {
    var q = F.q.toLowerCase().trim();
    var cand = [];
    RECS.forEach(function (r) {
      if (!baseMatch(r)) { return; }
      var divs = r.divs.filter(function (d) { return divMatch(d) && (!q || haystack(r, d).indexOf(q) >= 0); });
      var recOk = divFiltered() ? divs.length > 0
        : (!F.status || r.status === F.status) && (!q || divs.length > 0 || haystack(r, null).indexOf(q) >= 0);
      if (recOk) { cand.push({r: r, divs: divs}); }
    });
    if (F.one) {  // an op/dtype whose (matching) divergences occur on exactly one backend
      var where = {};
      cand.forEach(function (c) {
        if (c.divs.some(function (d) { return OCCURRED[d.status]; })) {
          (where[c.r.key] = where[c.r.key] || {})[c.r.col] = 1;
        }
      });
      cand = cand.filter(function (c) {
        return where[c.r.key] && Object.keys(where[c.r.key]).length === 1 &&
               c.divs.some(function (d) { return OCCURRED[d.status]; });
      }).map(function (c) { return {r: c.r, divs: c.divs.filter(function (d) { return OCCURRED[d.status]; })}; });
    }
    if (F.col) { cand = cand.filter(function (c) { return colLabel(c.r.col) === F.col; }); }
    return cand;
  }

  // ---- the matrix
  var matrix = document.getElementById("matrix");
  function worst(list) {
    var w = null;
    list.forEach(function (s) { if (w === null || RANK[s] < RANK[w]) { w = s; } });
    return w;
  }
  // ---- the standard, rule by rule: per area and function, each column's verdicts, under the filters
  // (backend column, area as op, status and category of a violation, "new only", the search text)
  function conformanceRowMatch(r, f, divs) {
    var q = F.q.toLowerCase().trim();
    if (divFiltered() && !divs.some(divMatch)) { return false; }
    if (F.status && !DIV_STATUS[F.status] && r.status !== F.status) { return false; }
    return !q || (r.op + " " + f).toLowerCase().indexOf(q) >= 0 ||
      divs.some(function (d) { return haystack(r, d).indexOf(q) >= 0; });
  }
  function renderConformance() {
    var table = document.getElementById("conformance");
    if (!table) { return; }
    var cells = {}, areas = {}, any = false;
    RECS.forEach(function (r) {
      if (!r.checked) { return; }
      any = true;
      if (!baseMatch(r) || (F.col && colLabel(r.col) !== F.col)) { return; }
      Object.keys(r.checked).forEach(function (f) {
        var key = r.op + "\u0000" + f;
        var divs = r.divs.filter(function (d) { return d.extra.function === f && d.status !== "stale"; });
        if (!conformanceRowMatch(r, f, divs)) { return; }
        areas[r.op] = areas[r.op] || {};
        areas[r.op][f] = 1;
        (cells[key] = cells[key] || {})[r.col] = {v: r.checked[f], st: worst(divs.map(function (d) { return d.status; }))};
      });
    });
    var names = Object.keys(areas).sort();
    document.getElementById("conformance-section").hidden = !any;
    table.textContent = "";
    var head = h("tr", null, h("th", {text: "rule about"}));
    COLS.forEach(function (c) { head.appendChild(h("th", null, c.label, h("br"), h("span", {cls: "muted small", text: c.surface}))); });
    table.appendChild(h("thead", null, head));
    var body = h("tbody");
    names.forEach(function (area) {
      var fs = Object.keys(areas[area]).sort();
      body.appendChild(h("tr", {cls: "fam"}, h("th", {colspan: COLS.length + 1, text: area + " · " + fs.length})));
      fs.forEach(function (f) {
        var tr = h("tr", null, h("td", {text: f}));
        COLS.forEach(function (c, i) {
          var cell = (cells[area + "\u0000" + f] || {})[i];
          if (!cell) { tr.appendChild(h("td", {cls: "cell"})); return; }
          var v = cell.v, bad = v.violates || 0, ok = v.conforms || 0;
          var label = bad ? "violates " + bad + " of " + (bad + ok) : ok ? "conforms (" + ok + ")" : (v["n/a"] ? "n/a" : "open");
          var st = bad ? cell.st || "new" : ok ? "parity" : "unsupported";
          var more = ["ambiguous", "unspecified"].filter(function (k) { return v[k]; }).map(function (k) { return v[k] + " " + k; });
          tr.appendChild(h("td", {cls: "cell c-" + st, "data-status": st, title: JSON.stringify(v)},
                           h("span", {cls: "badge s-" + st, text: bad ? st : ok ? "conforms" : "n/a"}), " " + label + (more.length ? " · " + more.join(" · ") : "")));
        });
        body.appendChild(tr);
      });
    });
    if (!names.length) {
      body.appendChild(h("tr", null, h("td", {colspan: COLS.length + 1, cls: "muted", text: "No rule matches the filters."})));
    }
    table.appendChild(body);
  }

  function renderMatrix(cand) {
    matrix.textContent = "";
    var shown = COLS.map(function (c, i) { return i; }).filter(function (i) { return !F.col || colLabel(i) === F.col; });
    var head = h("tr", null, h("th", {text: "op"}));
    shown.forEach(function (i) {
      head.appendChild(h("th", null, COLS[i].label, h("br"), h("span", {cls: "muted small", text: COLS[i].version})));
    });
    matrix.appendChild(h("thead", null, head));
    var byOp = {}, fams = {};
    cand.forEach(function (c) {
      (byOp[c.r.op] = byOp[c.r.op] || []).push(c);
      (fams[c.r.fam] = fams[c.r.fam] || {})[c.r.op] = 1;
    });
    var body = h("tbody");
    Object.keys(fams).sort().forEach(function (fam) {
      var ops = Object.keys(fams[fam]).sort();
      body.appendChild(h("tr", {cls: "fam"}, h("th", {colspan: shown.length + 1,
        text: fam + " · " + ops.length + " op" + (ops.length === 1 ? "" : "s")})));
      ops.forEach(function (op) {
        var open = !!F.openSet[op];
        var btn = h("button", {type: "button", cls: "op", "aria-expanded": open ? "true" : "false", text: op,
                               onclick: function () { toggle(op); }});
        var tr = h("tr", {cls: "oprow", "data-op": op}, h("td", null, btn));
        shown.forEach(function (i) {
          var recs = byOp[op].filter(function (c) { return c.r.col === i; }).map(function (c) { return c.r; });
          if (!recs.length) { tr.appendChild(h("td", {cls: "cell"})); return; }
          var counts = {};
          recs.forEach(function (r) { counts[r.status] = (counts[r.status] || 0) + 1; });
          var w = worst(recs.map(function (r) { return r.status; }));
          var parts = STATUSES.filter(function (s) { return counts[s]; }).map(function (s) { return counts[s] + " " + s; });
          tr.appendChild(h("td", {cls: "cell c-" + w, "data-status": w, title: parts.join(", ")},
                           badge(w), " " + parts.join(" · ")));
        });
        body.appendChild(tr);
        if (open) { body.appendChild(detailRow(op, byOp[op], shown)); }
      });
    });
    if (!cand.length) {
      body.appendChild(h("tr", null, h("td", {colspan: shown.length + 1, cls: "muted", text: "Nothing matches the filters."})));
    }
    matrix.appendChild(body);
  }
  function toggle(op) {
    if (F.openSet[op]) { delete F.openSet[op]; } else { F.openSet[op] = 1; }
    writeHash();
    render(true);
  }
  function detailRow(op, list, shown) {
    var dtypes = uniq(list.map(function (c) { return c.r.dtype; })).sort();
    var t = h("table", {cls: "dtypes"});
    var head = h("tr", null, h("th", {text: "dtype"}));
    shown.forEach(function (i) { head.appendChild(h("th", {text: COLS[i].label})); });
    t.appendChild(head);
    dtypes.forEach(function (dt) {
      var tr = h("tr", null, h("td", {cls: "mono", text: dt}));
      shown.forEach(function (i) {
        var c = list.filter(function (x) { return x.r.col === i && x.r.dtype === dt; })[0];
        if (!c) { tr.appendChild(h("td")); return; }
        var td = h("td", {cls: "c-" + c.r.status}, badge(c.r.status));
        var cats = uniq(c.r.divs.map(function (d) { return d.status === "stale" ? "stale " + d.cat : d.cat; }));
        if (cats.length) { td.appendChild(document.createTextNode(" " + cats.join(", "))); }
        if (!c.r.divs.length && c.r.reason) { td.appendChild(h("span", {cls: "muted", text: " " + c.r.reason})); }
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    var n = list.reduce(function (a, c) { return a + c.divs.length; }, 0);
    var show = h("button", {type: "button", cls: "noprint", text: "show only " + op + "'s " + n + " divergence card" +
      (n === 1 ? "" : "s"), onclick: function () {
        F.op = op; writeHash(); syncControls(); render();
        document.getElementById("divergences").scrollIntoView();
      }});
    return h("tr", {cls: "detail", "data-detail": op}, h("td", {colspan: shown.length + 1}, t, n ? show : null));
  }

  // ---- the divergence cards, built as they are scrolled to
  var cardsEl = document.getElementById("cards"), moreBtn = document.getElementById("more");
  var pending = [], onlyHere = {};
  function splitOutcome(s) {
    var m = /^([\s\S]*) dtype=(\S+) shape=(\([^)]*\))$/.exec(s);
    return m ? {value: m[1], dtype: m[2], shape: m[3]} : {value: s};
  }
  function outcome(title, s) {
    var o = splitOutcome(s);
    var chips = h("div", {cls: "chips"});
    if (o.dtype) { chips.appendChild(h("span", {cls: "chip", text: "dtype " + o.dtype})); }
    if (o.shape) { chips.appendChild(h("span", {cls: "chip", text: "shape " + o.shape})); }
    if (/^raised /.test(s)) { chips.appendChild(h("span", {cls: "chip", text: "raised"})); }
    return h("div", null, h("h4", {text: title}), chips, h("pre", {text: o.value}));
  }
  function elementsTable(els) {
    if (!Array.isArray(els) || !els.length) { return null; }
    var keys = [];
    els.forEach(function (e) {
      if (e && typeof e === "object" && !Array.isArray(e)) {
        Object.keys(e).forEach(function (k) { if (keys.indexOf(k) < 0) { keys.push(k); } });
      }
    });
    var fmt = function (v) { return typeof v === "string" ? v : JSON.stringify(v); };
    var t = h("table", {cls: "elements"});
    var head = h("tr");
    (keys.length ? keys : ["element"]).forEach(function (k) { head.appendChild(h("th", {text: k})); });
    t.appendChild(head);
    els.slice(0, 200).forEach(function (e) {
      var tr = h("tr");
      if (keys.length) { keys.forEach(function (k) { tr.appendChild(h("td", {text: e && e[k] !== undefined ? fmt(e[k]) : ""})); }); }
      else { tr.appendChild(h("td", {text: fmt(e)})); }
      t.appendChild(tr);
    });
    return h("div", null, h("h4", {text: "Differing elements (" + els.length + (els.length > 200 ? ", first 200 shown" : "") + ")"}), t);
  }
  function arbiterLine(a, op, backend) {
    if (!a || typeof a !== "object") { return null; }
    var how = a.method + (a.graded > 1 ? ", worst of " + a.graded + " elements" : "") + (a.stopped ? "; " + a.stopped : "");
    var ulps = function (x) { return (x >= 1e5 ? x.toExponential(2) : num(x)) + " ulp"; };
    return h("div", {cls: "arbiter"}, h("b", {text: "Who is right: "}),
      (op.indexOf("special.") === 0 ? "SciPy " : "NumPy ") + ulps(a.reference_max_ulp) + " · " + backend + " " +
      ulps(a.implementation_max_ulp) + (a.exact ? " · exact " + a.exact : ""),
      h("span", {cls: "muted small", text: " (" + how + ")"}));
  }
  function copyText(btn, s) {
    var done = function () { btn.textContent = "copied"; };
    var fallback = function () {
      var ta = h("textarea", {style: "position:fixed;top:-1000px"});
      ta.value = s; document.body.appendChild(ta); ta.select();
      try { document.execCommand("copy"); done(); } catch (e) { btn.textContent = "select and copy by hand"; }
      document.body.removeChild(ta);
    };
    if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(s).then(done, fallback); }
    else { fallback(); }
  }
  function card(r, d) {
    var col = COLS[r.col];
    var isCase = d.status === "crash" || d.status === "timeout" || d.status === "harness-error" ||
      d.status === "unreadable";
    var head = h("header", null, badge(d.status), isCase ? null : catTag(d.cat),
      h("span", {cls: "title", text: r.op}), h("span", {text: col.label + (col.version ? " " + col.version : "")}),
      h("code", {text: r.dtype}),
      r.domain === "numpy" ? h("span", {cls: "chip", text: "NumPy's domain, beyond the standard"}) : null,
      d.source ? h("span", {cls: "muted small", text: (d.source === "fixed" ? "fixed sample" : "generated") +
                                                    (d.note !== null && d.note !== undefined ? ": " + text(d.note) : "")}) : null,
      COLS.length > 1 && onlyHere[r.key] === 1 && OCCURRED[d.status] ? h("span", {cls: "chip", text: "only on this backend"}) : null,
      d.extra.arbiter && d.extra.arbiter.closer === "implementation" ?
        h("span", {cls: "chip better", text: "implementation more accurate"}) : null);
    var conf = r.fam === "conformance";
    if (conf) {
      head.insertBefore(h("code", {text: text(d.extra.function) + (d.extra.dtype ? " · " + d.extra.dtype : "")}),
                        head.childNodes[3] || null);
      if (d.extra.follows === "numpy") { head.appendChild(h("span", {cls: "chip", text: "does what NumPy does"})); }
    }
    var el = h("article", {cls: "card st-" + d.status, "data-status": d.status, "data-category": d.cat || ""}, head);
    if (text(d.detail)) { el.appendChild(h("div", {cls: "detail", text: text(d.detail)})); }
    var errs = [];
    if (d.max_abs_err !== null && d.max_abs_err !== undefined) { errs.push("max abs err " + num(d.max_abs_err)); }
    if (d.max_rel_err !== null && d.max_rel_err !== undefined) { errs.push("max rel err " + num(d.max_rel_err)); }
    if (d.extra.count !== undefined) { errs.push(d.extra.count + " differing"); }
    if (d.extra.failing !== undefined) { errs.push("breaks the rule for " + d.extra.failing + " of " + d.extra.checked + " inputs"); }
    if (errs.length) { el.appendChild(h("div", {cls: "muted small", text: errs.join(" · ")})); }
    if (d.extra.arbiter) { el.appendChild(arbiterLine(d.extra.arbiter, r.op, col.backend)); }
    if (text(d.reason) && !isCase) {
      var link = text(d.link);
      el.appendChild(h("div", {cls: "reason"}, h("b", {text: d.status === "new" ? "Note: " : "Declared: "}), text(d.reason),
        link ? " — " : null, link ? h("a", {href: link, rel: "noopener", text: link}) : null));
    }
    if (text(d.input)) { el.appendChild(h("div", null, h("h4", {text: isCase ? "Input being run" : "Minimal input"}),
                                          h("pre", {text: text(d.input)}))); }
    if (text(d.reference) || text(d.implementation)) {
      el.appendChild(h("div", {cls: "sides"},
                       outcome(conf ? "the Array API standard " + r.dtype + " requires" : "NumPy / SciPy reference",
                               text(d.reference)),
                       outcome(col.backend + " " + col.version + " (" + col.device + ")", text(d.implementation)),
                       conf && d.extra.numpy ? outcome("NumPy", d.extra.numpy) : null));
    }
    el.appendChild(elementsTable(d.extra.elements) || document.createTextNode(""));
    var repro = text(d.reproducer);
    if (repro) {
      var btn = h("button", {type: "button", cls: "copy", text: "copy"});
      btn.addEventListener("click", function (ev) { ev.preventDefault(); copyText(btn, repro); });
      el.appendChild(h("details", null, h("summary", {text: "Reproducer (standalone script)"}), btn,
                       h("pre", {cls: "repro", text: repro})));
    }
    return el;
  }
  function renderCards(cand) {
    cardsEl.textContent = "";
    onlyHere = {};
    var where = {};
    RECS.forEach(function (r) {
      if (r.divs.some(function (d) { return OCCURRED[d.status]; })) { (where[r.key] = where[r.key] || {})[r.col] = 1; }
    });
    Object.keys(where).forEach(function (k) { onlyHere[k] = Object.keys(where[k]).length; });
    pending = [];
    cand.forEach(function (c) { c.divs.forEach(function (d) { pending.push([c.r, d]); }); });
    pending.sort(function (a, b) {
      return (RANK[a[1].status] - RANK[b[1].status]) || a[0].fam.localeCompare(b[0].fam) ||
             a[0].op.localeCompare(b[0].op) || (a[0].col - b[0].col) || a[0].dtype.localeCompare(b[0].dtype);
    });
    if (!pending.length) { cardsEl.appendChild(h("p", {cls: "muted", text: "No divergences match the filters."})); }
    more(PAGE);
  }
  function more(n) {
    var frag = document.createDocumentFragment();
    pending.splice(0, n).forEach(function (p) { frag.appendChild(card(p[0], p[1])); });
    cardsEl.appendChild(frag);
    moreBtn.hidden = !pending.length;
    moreBtn.textContent = "show " + Math.min(PAGE, pending.length) + " more (" + pending.length + " left)";
  }
  moreBtn.addEventListener("click", function () { more(PAGE); });
  if ("IntersectionObserver" in window) {
    new IntersectionObserver(function (es) {
      if (es.some(function (e) { return e.isIntersecting; }) && pending.length) { more(PAGE); }
    }, {rootMargin: "600px"}).observe(moreBtn);
  }
  window.addEventListener("beforeprint", function () {
    more(pending.length);
    document.querySelectorAll("details").forEach(function (d) { d.setAttribute("open", ""); });
  });

  function render(matrixOnly) {
    var cand = select();
    renderMatrix(cand);
    if (matrixOnly) { return; }
    renderConformance();
    renderCards(cand);
    var nd = pending.length + cardsEl.querySelectorAll(".card").length;
    document.getElementById("count").textContent = cand.length + " of " + RECS.length + " cases · " + nd +
      " divergence" + (nd === 1 ? "" : "s");
  }
  readHash(); syncControls(); render();
})();
