(function () {
  "use strict";
  // fairlint report. Every value from the data is put into the page with textContent or
  // setAttribute (never innerHTML); no inline event handlers; links only for http(s) URLs.

  var RAW = JSON.parse(document.getElementById("fairlint-data").textContent);
  var S = RAW.s;
  var SEV = RAW.severities;                 // index = rank: info .. critical
  var STUDY = RAW.kind === "study";
  var SVGNS = "http://www.w3.org/2000/svg";
  var SEV_COLOR = { critical: "#9b1c1c", high: "#d9480f", medium: "#e8a317", low: "#3b82c4", info: "#8a94a3" };
  var PALETTE = ["#3b5bdb", "#0c8599", "#5f3dc4", "#2b8a3e", "#c2255c", "#e67700", "#1864ab", "#862e9c"];

  // ------------------------------------------------------------------ DOM helpers
  function h(tag, props) {
    var el = document.createElement(tag);
    setProps(el, props);
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }
  function sv(tag, props) {
    var el = document.createElementNS(SVGNS, tag);
    setProps(el, props);
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }
  function setProps(el, props) {
    if (!props) return;
    Object.keys(props).forEach(function (k) {
      var v = props[k];
      if (v === null || v === undefined || v === false) return;
      if (/^on/i.test(k) || k === "style" || k === "href" || k === "src") throw new Error("refused attribute " + k);
      if (k === "text") el.textContent = String(v);
      else if (k === "class") el.setAttribute("class", v);
      else el.setAttribute(k, v === true ? "" : String(v));
    });
  }
  function add(el, kid) {
    if (kid === null || kid === undefined || kid === false) return;
    if (Array.isArray(kid)) { kid.forEach(function (k) { add(el, k); }); return; }
    el.appendChild(typeof kid === "object" ? kid : document.createTextNode(String(kid)));
  }
  function on(el, type, fn) { el.addEventListener(type, fn); return el; }
  function safeLink(url, label) {
    var a = h("a", { rel: "noopener noreferrer", target: "_blank", text: label || url });
    if (/^https?:\/\/[^\s]+$/i.test(url)) a.href = url; // assigned as a property, only http(s)
    return a;
  }
  function linkify(text) {
    var out = [], re = /https?:\/\/[^\s<>"')\]]+/g, last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push(safeLink(m[0].replace(/[.,;]+$/, "")));
      last = m.index + m[0].replace(/[.,;]+$/, "").length;
      re.lastIndex = last;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }
  function debounce(fn, ms) {
    var t = 0;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }
  function pct(x) { return (x * 100).toFixed(x >= 0.1 || x === 0 ? 0 : 1) + "%"; }
  function cut(s, n) { return s.length > n ? s.slice(0, n - 1) + "…" : s; }
  function tail(s, n) { return s.length > n ? "…" + s.slice(s.length - n + 1) : s; }
  function sevBadge(rank) { var n = SEV[rank]; return h("span", { class: "sev sev-" + n, text: n }); }
  function patternLabel(id) { var n = RAW.patterns[id]; return n ? id + " · " + n : (id || "(none)"); }
  function shortName(id) { var n = RAW.patterns[id] || ""; return n.replace(/\s*\(.*$/, ""); }

  // ------------------------------------------------------------------ data
  var C = {};
  RAW.cols.forEach(function (c, i) { C[c] = i; });
  var F = RAW.rows.map(function (r, i) {
    var d = RAW.details[i] || {};
    var f = {
      i: i, sev: r[C.sev], score: r[C.score], rule: S[r[C.rule]], pattern: S[r[C.pattern]],
      stage: S[r[C.stage]], path: S[r[C.path]], line: r[C.line], end: r[C.end], msg: S[r[C.msg]],
      fw: r[C.fw].map(function (x) { return S[x]; }), repo: r[C.repo] >= 0 ? S[r[C.repo]] : "",
      group: r[C.group] >= 0 ? S[r[C.group]] : "", conf: S[r[C.conf]], fp: S[r[C.fp]],
      cell: r[C.cell], d: d
    };
    f.pname = d.pname !== undefined ? S[d.pname] : shortName(f.pattern);
    f.where = (STUDY && f.repo ? f.repo + "/" : "") + f.path;
    f.hay = [f.rule, f.pattern, f.pname, f.where, f.msg, f.fw.join(" "), d.snip !== undefined ? S[d.snip] : ""]
      .join("\n").toLowerCase();
    return f;
  });

  function countBy(list, keyFn) {
    var m = new Map();
    list.forEach(function (f) {
      var ks = keyFn(f);
      (Array.isArray(ks) ? (ks.length ? ks : ["(none)"]) : [ks]).forEach(function (k) { m.set(k, (m.get(k) || 0) + 1); });
    });
    return m;
  }
  function uniq(list) { return Array.from(new Set(list)); }
  var ALL_FW = uniq([].concat.apply([], F.map(function (f) { return f.fw.length ? f.fw : ["(none)"]; }))).sort();
  var ALL_PATTERNS = uniq(F.map(function (f) { return f.pattern; })).sort();
  var ALL_STAGES = RAW.stages.concat(uniq(F.map(function (f) { return f.stage; })).filter(function (s) {
    return RAW.stages.indexOf(s) < 0; }).sort());
  var ALL_GROUPS = uniq(F.map(function (f) { return f.group; }).filter(Boolean)).sort();

  // ------------------------------------------------------------------ state and filtering
  var state = {
    sev: new Set([0, 1, 2, 3, 4]), pattern: "", stage: "", fw: "", group: "", path: "", text: "",
    sortKey: "score", sortDir: -1, groupBy: "", collapsed: new Set(), selected: -1
  };
  var STAGE_RANK = {};
  ALL_STAGES.forEach(function (s, i) { STAGE_RANK[s] = i; });
  var SORTS = {
    sev: function (a, b) { return a.sev - b.sev || a.score - b.score; },
    score: function (a, b) { return a.score - b.score || a.sev - b.sev; },
    pattern: function (a, b) { return cmp(a.pattern, b.pattern); },
    stage: function (a, b) { return STAGE_RANK[a.stage] - STAGE_RANK[b.stage]; },
    where: function (a, b) { return cmp(a.where, b.where) || a.line - b.line; },
    msg: function (a, b) { return cmp(a.msg, b.msg); },
    fw: function (a, b) { return cmp(a.fw.join(","), b.fw.join(",")); },
    repo: function (a, b) { return cmp(a.repo, b.repo); }
  };
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function tiebreak(a, b) { return b.score - a.score || cmp(a.where, b.where) || a.line - b.line || a.i - b.i; }

  function globToTest(q) {
    if (q.indexOf("*") < 0 && q.indexOf("?") < 0) return function (s) { return s.indexOf(q) >= 0; };
    var re = new RegExp("^" + q.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, "."));
    return function (s) { return re.test(s); };
  }
  function filtered() {
    var terms = state.text.toLowerCase().split(/\s+/).filter(Boolean);
    var pathTest = state.path ? globToTest(state.path.toLowerCase()) : null;
    var out = F.filter(function (f) {
      if (!state.sev.has(f.sev)) return false;
      if (state.pattern && f.pattern !== state.pattern) return false;
      if (state.stage && f.stage !== state.stage) return false;
      if (state.group && f.group !== state.group) return false;
      if (state.fw && (state.fw === "(none)" ? f.fw.length : f.fw.indexOf(state.fw) < 0)) return false;
      if (pathTest && !pathTest(f.where.toLowerCase())) return false;
      for (var t = 0; t < terms.length; t++) if (f.hay.indexOf(terms[t]) < 0) return false;
      return true;
    });
    var by = SORTS[state.sortKey], dir = state.sortDir;
    out.sort(function (a, b) { return dir * by(a, b) || tiebreak(a, b); });
    return out;
  }
  var GROUPS = {
    file: function (f) { return f.where; },
    pattern: function (f) { return patternLabel(f.pattern); },
    repo: function (f) { return f.repo || "(none)"; }
  };
  function withGroups(list) {
    if (!state.groupBy) return list.map(function (f) { return { f: f }; });
    var key = GROUPS[state.groupBy], groups = new Map();
    list.forEach(function (f) {
      var k = key(f), g = groups.get(k);
      if (!g) { g = { key: k, items: [], maxSev: 0, score: 0 }; groups.set(k, g); }
      g.items.push(f); g.maxSev = Math.max(g.maxSev, f.sev); g.score = Math.max(g.score, f.score);
    });
    var out = [];
    Array.from(groups.values()).sort(function (a, b) {
      return b.maxSev - a.maxSev || b.items.length - a.items.length || cmp(a.key, b.key);
    }).forEach(function (g) {
      out.push({ g: g });
      if (!state.collapsed.has(g.key)) g.items.forEach(function (f) { out.push({ f: f }); });
    });
    return out;
  }

  // ------------------------------------------------------------------ virtual list
  function VList(body, rowHeight, renderRow) {
    var space = h("div", { class: "vt-space" });
    body.appendChild(space);
    var self = { items: [], body: body };
    var pending = false;
    function paint() {
      pending = false;
      var top = body.scrollTop, hgt = body.clientHeight || 600;
      var first = Math.max(0, Math.floor(top / rowHeight) - 8);
      var last = Math.min(self.items.length, Math.ceil((top + hgt) / rowHeight) + 8);
      var rows = [];
      for (var i = first; i < last; i++) {
        var el = renderRow(self.items[i], i);
        el.style.transform = "translateY(" + (i * rowHeight) + "px)";
        rows.push(el);
      }
      space.replaceChildren.apply(space, rows);
    }
    self.set = function (items, keepScroll) {
      self.items = items;
      space.style.height = (items.length * rowHeight) + "px";
      if (!keepScroll) body.scrollTop = 0;
      paint();
    };
    self.refresh = paint;
    self.reveal = function (index) {
      var y = index * rowHeight;
      if (y < body.scrollTop) body.scrollTop = y;
      else if (y + rowHeight > body.scrollTop + body.clientHeight) body.scrollTop = y + rowHeight - body.clientHeight;
      paint();
    };
    on(body, "scroll", function () { if (!pending) { pending = true; requestAnimationFrame(paint); } });
    on(window, "resize", function () { if (!pending) { pending = true; requestAnimationFrame(paint); } });
    return self;
  }
  function rowHeightPx() {
    return parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--row")) || 34;
  }

  // ------------------------------------------------------------------ tabs
  var app = document.getElementById("app");
  var tabs = document.getElementById("tabs");
  var views = {};
  function addTab(id, label, count) {
    var b = h("button", { class: "tab", role: "tab", "aria-selected": "false", "data-tab": id, id: "tab-" + id },
      label, count !== undefined ? h("span", { class: "count", text: fmt(count) }) : null);
    on(b, "click", function () { show(id); });
    tabs.appendChild(b);
    var v = h("section", { class: "view", id: "view-" + id, role: "tabpanel", hidden: true });
    app.appendChild(v);
    views[id] = { button: b, view: v, onShow: null };
    return v;
  }
  function show(id) {
    Object.keys(views).forEach(function (k) {
      var on_ = k === id;
      views[k].button.setAttribute("aria-selected", on_ ? "true" : "false");
      if (on_) views[k].view.removeAttribute("hidden"); else views[k].view.setAttribute("hidden", "");
    });
    if (views[id].onShow) views[id].onShow();
  }

  // ------------------------------------------------------------------ header
  function header() {
    var meta = document.getElementById("meta"), parts = [];
    if (STUDY) {
      document.title = RAW.title;
      var keys = Object.keys(RAW.meta), pref = ["date", "fairlint", "semgrep", "rule_pack_sha256", "rule pack"];
      var shown = keys.filter(function (k) { return pref.indexOf(k) >= 0; });
      (shown.length ? shown : keys.slice(0, 3)).forEach(function (k) {
        var v = RAW.meta[k];
        parts.push([k.replace(/_sha256$/, "").replace(/_/g, " "), /sha256/.test(k) ? String(v).slice(0, 12) : v]);
      });
    } else {
      var m = RAW.meta;
      document.title = "fairlint report: " + m.root;
      parts.push(["root", m.root], ["fairlint", m.fairlint], ["rule pack", String(m.rule_pack || "").slice(0, 12)]);
      if (m.semgrep) parts.push(["semgrep", m.semgrep]);
      if (m.codeql) parts.push(["codeql", m.codeql]);
    }
    parts.forEach(function (p, i) {
      if (i) meta.appendChild(document.createTextNode("  ·  "));
      add(meta, [p[0] + " ", h("b", { text: Array.isArray(p[1]) ? p[1].join(", ") : String(p[1]) })]);
    });
    meta.setAttribute("title", parts.map(function (p) { return p[0] + ": " + p[1]; }).join("\n"));
  }

  // ------------------------------------------------------------------ charts
  function barChart(title, entries, opts) {
    // entries: [{key, label, value, color}]
    opts = opts || {};
    var W = 560, labelW = opts.labelW || 210, rowH = 27, top = 6, max = 1;
    entries.forEach(function (e) { max = Math.max(max, e.value); });
    var H = top + entries.length * rowH + 4, barW = W - labelW - 60;
    var svg = sv("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": title });
    entries.forEach(function (e, i) {
      var y = top + i * rowH, w = e.value ? Math.max(2, (e.value / max) * barW) : 0;
      var g = sv("g", { class: "bar", "data-key": e.key },
        sv("title", { text: e.label + ": " + fmt(e.value) }),
        sv("rect", { x: 0, y: y, width: W, height: rowH, fill: "transparent" }),
        sv("text", { class: "lbl", x: labelW - 8, y: y + 18, "text-anchor": "end", text: cut(e.label, opts.cut || 30) }),
        sv("rect", { class: "fill", x: labelW, y: y + 5, width: w, height: rowH - 10, rx: 3, fill: e.color || PALETTE[0] }),
        sv("text", { class: "num", x: labelW + w + 6, y: y + 18, text: fmt(e.value) }));
      if (opts.onPick) on(g, "click", function () { opts.onPick(e.key); });
      svg.appendChild(g);
    });
    return h("div", { class: "card chart", "data-chart": opts.id || "" }, h("h2", { text: title }),
      entries.length ? svg : h("div", { class: "empty", text: "No findings." }),
      opts.onPick && entries.length ? h("div", { class: "hint", text: "Click a bar to list its findings." }) : null);
  }
  function pick(field) {
    return function (value) {
      resetFilters();
      if (field === "sev") state.sev = new Set([Number(value)]);
      else state[field] = value;
      syncControls();
      show("findings");
      update();
    };
  }
  function overview(view) {
    var files = new Set(F.map(function (f) { return f.where; }));
    var stats = [["Findings", F.length], ["Files with findings", files.size]];
    if (STUDY) {
      stats.push(["Repositories", RAW.repos.rows.length]);
      stats.push(["Repositories with findings", new Set(F.map(function (f) { return f.repo; })).size]);
    } else {
      stats.push(["Files scanned", RAW.meta.files_scanned], ["Skipped", RAW.skipped.length],
        ["Suppressed", RAW.suppressions.length], ["Duration", RAW.meta.duration_s + " s"]);
    }
    [4, 3].forEach(function (r) {
      stats.push([SEV[r].charAt(0).toUpperCase() + SEV[r].slice(1), F.filter(function (f) { return f.sev === r; }).length]);
    });
    view.appendChild(h("div", { class: "stats" }, stats.map(function (s) {
      return h("div", { class: "stat" }, h("div", { class: "n", text: typeof s[1] === "number" ? fmt(s[1]) : s[1] }),
        h("div", { class: "l", text: s[0] }));
    })));
    var bySev = countBy(F, function (f) { return f.sev; });
    var byStage = countBy(F, function (f) { return f.stage; });
    var byPattern = countBy(F, function (f) { return f.pattern; });
    var byFw = countBy(F, function (f) { return f.fw; });
    var charts = h("div", { class: "charts" });
    charts.appendChild(barChart("By severity", [4, 3, 2, 1, 0].map(function (r) {
      return { key: r, label: SEV[r], value: bySev.get(r) || 0, color: SEV_COLOR[SEV[r]] };
    }), { onPick: pick("sev"), labelW: 120, id: "severity" }));
    charts.appendChild(barChart("By pipeline stage", ALL_STAGES.map(function (s, i) {
      return { key: s, label: s, value: byStage.get(s) || 0, color: PALETTE[i % PALETTE.length] };
    }), { onPick: pick("stage"), labelW: 120, id: "stage" }));
    charts.appendChild(barChart("By bias pattern", Array.from(byPattern.entries()).sort(function (a, b) {
      return b[1] - a[1] || cmp(a[0], b[0]); }).map(function (e) {
      return { key: e[0], label: e[0] + " " + shortName(e[0]), value: e[1], color: PALETTE[0] };
    }), { onPick: pick("pattern"), labelW: 270, cut: 34, id: "pattern" }));
    charts.appendChild(barChart("By framework", Array.from(byFw.entries()).sort(function (a, b) {
      return b[1] - a[1] || cmp(a[0], b[0]); }).map(function (e) {
      return { key: e[0], label: e[0], value: e[1], color: PALETTE[1] };
    }), { onPick: pick("fw"), labelW: 160, id: "framework" }));
    if (STUDY && ALL_GROUPS.length) {
      var byGroup = countBy(F, function (f) { return f.group || "(none)"; });
      charts.appendChild(barChart("By repository group", Array.from(byGroup.entries()).map(function (e, i) {
        return { key: e[0], label: e[0], value: e[1], color: PALETTE[(i + 2) % PALETTE.length] };
      }), { onPick: pick("group"), labelW: 160, id: "group" }));
    }
    charts.appendChild(topFindings());
    if (STUDY && Object.keys(RAW.meta).length) charts.appendChild(h("div", { class: "card", "data-chart": "facts" },
      h("h2", { text: "Study" }), h("dl", { class: "kv" }, Object.keys(RAW.meta).map(function (k) {
        var v = RAW.meta[k];
        return [h("dt", { text: k.replace(/_/g, " ") }), h("dd", { class: "mono", text: Array.isArray(v) ? v.join(", ") :
          v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v) })];
      }))));
    view.appendChild(charts);
  }
  function topFindings() {
    var top = F.slice().sort(function (a, b) { return b.sev - a.sev || tiebreak(a, b); }).slice(0, 8);
    return h("div", { class: "card top-list", "data-chart": "top" }, h("h2", { text: "Highest-ranked findings" }),
      top.length ? h("ul", null, top.map(function (f) {
        var li = h("li", { title: f.msg }, sevBadge(f.sev), h("span", { class: "pid", text: f.pattern }),
          h("span", { class: "pname", text: f.pname }), h("span", { class: "loc", text: tail(f.where, 48) + (f.line ? ":" + f.line : "") }));
        on(li, "click", function () { show("findings"); select(f.i); });
        return li;
      })) : h("div", { class: "empty", text: "No findings." }));
  }

  // ------------------------------------------------------------------ findings table
  var controls = {};
  var table, countLine, detailBox, split;
  var COLS = [
    { key: "sev", label: "Severity", cls: "c-sev" },
    { key: "score", label: "Score", cls: "c-score num" },
    { key: "pattern", label: "Pattern", cls: "c-pattern" },
    { key: "stage", label: "Stage", cls: "c-stage" }
  ].concat(STUDY ? [{ key: "repo", label: "Repository", cls: "c-repo" }] : []).concat([
    { key: "where", label: "Location", cls: "c-loc" },
    { key: "msg", label: "Message", cls: "c-msg" },
    { key: "fw", label: "Framework", cls: "c-fw" }
  ]);
  function cellFor(col, f) {
    switch (col.key) {
      case "sev": return sevBadge(f.sev);
      case "score": return f.score.toFixed(2);
      case "pattern": return [h("span", { class: "pid", text: f.pattern }), h("span", { class: "pname", text: f.pname })];
      case "stage": return f.stage;
      case "repo": return f.repo;
      case "where": return h("span", { class: "loc" }, tail(f.path, 44),
        h("span", { class: "ln", text: f.cell >= 0 ? " cell " + f.cell + (f.d.cell ? ":" + f.d.cell[1] : "")
          : (f.line ? ":" + f.line : "") }));
      case "msg": return f.msg;
      case "fw": return f.fw.join(", ");
    }
    return "";
  }
  function titleFor(col, f) {
    switch (col.key) {
      case "pattern": return patternLabel(f.pattern);
      case "where": return f.where + (f.line ? ":" + f.line : "");
      case "msg": return f.msg;
      case "repo": return f.repo;
      case "fw": return f.fw.join(", ");
    }
    return null;
  }
  function renderRow(item) {
    if (item.g) {
      var g = item.g, closed = state.collapsed.has(g.key);
      var row = h("div", { class: "vt-row grp", role: "row", "aria-expanded": closed ? "false" : "true", title: g.key },
        h("span", { class: "caret", text: closed ? "▸" : "▾" }), h("span", { class: "gname", text: g.key }),
        h("span", { class: "gcount", text: fmt(g.items.length) + (g.items.length === 1 ? " finding" : " findings") }),
        sevBadge(g.maxSev));
      on(row, "click", function () {
        if (state.collapsed.has(g.key)) state.collapsed.delete(g.key); else state.collapsed.add(g.key);
        update(true);
      });
      return row;
    }
    var f = item.f;
    var r = h("div", { class: "vt-row findings-grid" + (f.i === state.selected ? " sel" : ""), role: "row", "data-i": f.i },
      COLS.map(function (c) { return h("div", { class: "td " + c.cls, title: titleFor(c, f) }, cellFor(c, f)); }));
    on(r, "click", function () { select(f.i); });
    return r;
  }
  function tableHead() {
    return h("div", { class: "vt-head findings-grid", role: "row" }, COLS.map(function (c) {
      var sorted = state.sortKey === c.key;
      var th = h("div", { class: "th " + c.cls + (sorted ? " sorted" : ""), role: "columnheader", "data-sort": c.key,
        "aria-sort": sorted ? (state.sortDir > 0 ? "ascending" : "descending") : "none" },
        c.label + (sorted ? (state.sortDir > 0 ? " ▲" : " ▼") : ""));
      on(th, "click", function () {
        if (state.sortKey === c.key) state.sortDir = -state.sortDir;
        else { state.sortKey = c.key; state.sortDir = (c.key === "sev" || c.key === "score") ? -1 : 1; }
        head.replaceWith(head = tableHead());
        update();
      });
      return th;
    }));
  }
  var head;
  function select_(label, key, options) {
    var s = h("select", { "aria-label": label, "data-filter": key },
      h("option", { value: "", text: "All " + label.toLowerCase() }),
      options.map(function (o) { return h("option", { value: o[0], text: o[1] }); }));
    on(s, "change", function () { state[key] = s.value; update(); });
    controls[key] = s;
    return s;
  }
  function findingsView(view) {
    var all = countBy(F, function (f) { return f.sev; });
    var chips = h("span", { class: "chips", role: "group", "aria-label": "Severity" }, [4, 3, 2, 1, 0].map(function (r) {
      var b = h("button", { class: "chip", "aria-pressed": "true", "data-sev": SEV[r], title: "Show or hide " + SEV[r] },
        h("span", { class: "dot sev-" + SEV[r] }), SEV[r] + " " + fmt(all.get(r) || 0));
      b.querySelector(".dot").style.background = SEV_COLOR[SEV[r]];
      on(b, "click", function () {
        if (state.sev.has(r)) state.sev.delete(r); else state.sev.add(r);
        syncControls(); update();
      });
      return b;
    }));
    controls.sevChips = chips;
    var byPattern = countBy(F, function (f) { return f.pattern; });
    var byFw = countBy(F, function (f) { return f.fw; });
    var text = h("input", { type: "search", class: "wide", placeholder: "Search message, rule, code…", "aria-label": "Search", "data-filter": "text" });
    var path = h("input", { type: "search", placeholder: STUDY ? "Repository / path (glob *)" : "Path (glob *)", "aria-label": "Path", "data-filter": "path" });
    on(text, "input", debounce(function () { state.text = text.value; update(); }, 120));
    on(path, "input", debounce(function () { state.path = path.value; update(); }, 120));
    controls.text = text; controls.path = path;
    var groupSel = h("select", { "aria-label": "Group by", "data-filter": "groupBy" },
      [["", "No grouping"], ["file", "Group by file"], ["pattern", "Group by pattern"]].concat(
        STUDY ? [["repo", "Group by repository"]] : []).map(function (o) { return h("option", { value: o[0], text: o[1] }); }));
    var fold = h("button", { class: "btn", type: "button", id: "fold", text: "Collapse all", hidden: true });
    on(groupSel, "change", function () {
      state.groupBy = groupSel.value; state.collapsed.clear(); update();
      if (state.groupBy) fold.removeAttribute("hidden"); else fold.setAttribute("hidden", "");
      fold.textContent = "Collapse all";
    });
    on(fold, "click", function () {
      if (state.collapsed.size) state.collapsed.clear();
      else filtered().forEach(function (f) { state.collapsed.add(GROUPS[state.groupBy](f)); });
      fold.textContent = state.collapsed.size ? "Expand all" : "Collapse all";
      update();
    });
    controls.groupBy = groupSel;
    var reset = on(h("button", { class: "btn", type: "button", text: "Clear filters" }), "click", function () {
      resetFilters(); syncControls(); update(); });
    countLine = h("span", { class: "count-line", role: "status", "aria-live": "polite", id: "count-line" });
    var filters = h("div", { class: "filters" }, chips,
      select_("Patterns", "pattern", ALL_PATTERNS.map(function (p) {
        return [p, cut(p + " " + shortName(p), 48) + " (" + fmt(byPattern.get(p) || 0) + ")"]; })),
      select_("Stages", "stage", ALL_STAGES.map(function (s) { return [s, s]; })),
      select_("Frameworks", "fw", ALL_FW.map(function (x) { return [x, x + " (" + fmt(byFw.get(x) || 0) + ")"]; })),
      STUDY && ALL_GROUPS.length ? select_("Groups", "group", ALL_GROUPS.map(function (x) { return [x, x]; })) : null,
      path, text, groupSel, fold, reset, countLine);
    var body = h("div", { class: "vt-body", tabindex: "0", role: "rowgroup", "aria-label": "Findings" });
    head = tableHead();
    var tableBox = h("div", { class: "vt", role: "table", "aria-label": "Findings" }, head, body);
    detailBox = h("aside", { class: "card detail", id: "detail", hidden: true, "aria-label": "Finding detail" });
    split = h("div", { class: "split" }, tableBox, detailBox);
    view.appendChild(filters);
    view.appendChild(split);
    table = VList(body, rowHeightPx(), renderRow);
    on(body, "keydown", function (e) {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      e.preventDefault();
      var items = table.items, pos = -1;
      for (var i = 0; i < items.length; i++) if (items[i].f && items[i].f.i === state.selected) { pos = i; break; }
      for (var j = pos + (e.key === "ArrowDown" ? 1 : -1); j >= 0 && j < items.length; j += (e.key === "ArrowDown" ? 1 : -1)) {
        if (items[j].f) { select(items[j].f.i); table.reveal(j); break; }
      }
    });
    on(document, "keydown", function (e) {
      if (e.key === "Escape" && state.selected >= 0) closeDetail();
    });
    views.findings.onShow = function () { table.refresh(); };
  }
  function resetFilters() {
    state.sev = new Set([0, 1, 2, 3, 4]);
    state.pattern = state.stage = state.fw = state.group = state.path = state.text = "";
  }
  function syncControls() {
    ["pattern", "stage", "fw", "group", "path", "text"].forEach(function (k) { if (controls[k]) controls[k].value = state[k]; });
    Array.prototype.forEach.call(controls.sevChips.children, function (b, i) {
      b.setAttribute("aria-pressed", state.sev.has(4 - i) ? "true" : "false");
    });
  }
  function update(keepScroll) {
    var t0 = performance.now();
    var list = filtered();
    table.set(withGroups(list), keepScroll);
    countLine.textContent = "Showing " + fmt(list.length) + " of " + fmt(F.length) + " findings";
    countLine.setAttribute("data-count", String(list.length));
    document.body.setAttribute("data-filter-ms", (performance.now() - t0).toFixed(1));
  }

  // ------------------------------------------------------------------ detail
  function select(i) {
    state.selected = i;
    var items = table.items, pos = -1;
    for (var k = 0; k < items.length; k++) if (items[k].f && items[k].f.i === i) { pos = k; break; }
    if (pos >= 0) table.reveal(pos); else table.refresh();
    renderDetail(F[i]);
    try { history.replaceState(null, "", "#finding=" + encodeURIComponent(F[i].fp || String(i))); } catch (e) { /* file: quirks */ }
  }
  function closeDetail() {
    state.selected = -1;
    try { history.replaceState(null, "", location.pathname + location.search); } catch (e) { /* file: quirks */ }
    detailBox.setAttribute("hidden", "");
    split.classList.remove("open");
    table.refresh();
  }
  function codeView(f) {
    var d = f.d, box = h("div", { class: "code", "data-code": "1" });
    var cellTxt = d.cell ? "Notebook cell " + d.cell[0] + (d.cell[2] >= 0 ? " (id " + S[d.cell[2]] + ")" : "") : "";
    if (!d.ctx) {
      var snip = d.snip !== undefined ? S[d.snip] : "";
      if (!snip) return h("p", { class: "muted", text: "No code was recorded for this finding." });
      box.appendChild(h("div", { class: "cap", text: (cellTxt ? cellTxt + " · " : "") +
        "Matched code (the source file was not available when the report was written)" }));
      box.appendChild(h("pre", { class: "snippet", text: snip }));
      return box;
    }
    var first = d.ctx[0], lines = d.ctx[1];
    var hlStart = d.cell ? d.cell[1] : f.line, hlEnd = hlStart + Math.max(0, f.end - f.line);
    box.appendChild(h("div", { class: "cap", text: (cellTxt ? cellTxt + " · " : f.path + " · ") +
      "lines " + first + "–" + (first + lines.length - 1) }));
    var tb = h("tbody");
    lines.forEach(function (si, k) {
      var n = first + k, text = S[si], hl = n >= hlStart && n <= hlEnd;
      var code = h("td", { class: "c" });
      var c0 = 0, c1 = text.length;
      if (hl && d.col) {
        if (n === hlStart) c0 = Math.max(0, (d.col[0] || 1) - 1);
        if (n === hlEnd && d.col[1] > 1) c1 = Math.min(text.length, d.col[1] - 1);
      }
      if (hl && c1 > c0) add(code, [text.slice(0, c0), h("mark", { text: text.slice(c0, c1) }), text.slice(c1)]);
      else code.textContent = text || " ";
      tb.appendChild(h("tr", { class: hl ? "hl" : null }, h("td", { class: "n", text: n }), code));
    });
    box.appendChild(h("table", null, tb));
    return box;
  }
  function factorTable(f) {
    var fs = f.d.factors || [];
    if (!fs.length) return h("p", { class: "muted", text: "No score breakdown was recorded." });
    var max = 0;
    fs.forEach(function (x) { max = Math.max(max, Math.abs(x[1])); });
    return h("table", { class: "factors" }, h("tbody", null, fs.map(function (x) {
      var bar = h("div", { class: "bar" + (x[1] < 0 ? " neg" : "") });
      bar.style.width = (max ? Math.abs(x[1]) / max * 100 : 0) + "%";
      return h("tr", null, h("td", { class: "f", text: S[x[0]] }),
        h("td", { class: "v", text: (x[1] >= 0 ? "+" : "") + x[1].toFixed(2) }),
        h("td", { class: "barc" }, bar), h("td", { text: S[x[2]] }));
    })));
  }
  function locText(o) {
    var t = S[o[0]];
    if (o[3]) return t + " · cell " + o[3][0] + ", line " + o[3][1];
    return t + ":" + o[1] + (o[2] > o[1] ? "–" + o[2] : "");
  }
  function suppression(f) {
    var id = f.pattern || f.rule;
    var indent = "";
    if (f.d.ctx) {
      var start = f.d.cell ? f.d.cell[1] : f.line, k = start - f.d.ctx[0];
      var line = f.d.ctx[1][k] !== undefined ? S[f.d.ctx[1][k]] : "";
      indent = (line.match(/^\s*/) || [""])[0];
    }
    var comment = "# fairlint: ignore[" + id + "] reason: <why this is acceptable here>";
    var pre = h("pre", { "data-suppress": "1", text: indent + comment });
    var copy = on(h("button", { class: "btn small", type: "button", text: "Copy" }), "click", function () {
      var done = function () { copy.textContent = "Copied"; setTimeout(function () { copy.textContent = "Copy"; }, 1200); };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(comment).then(done, function () {});
    });
    return h("div", { class: "supp" },
      h("p", null, "If this use is deliberate and reviewed, put this comment on the matched line or on the line before it" +
        (f.d.cell ? " (inside the same notebook cell)" : "") + ". A reason is required; a suppression without one is reported."),
      pre, copy);
  }
  function renderDetail(f) {
    var d = f.d;
    var close = on(h("button", { class: "close", type: "button", "aria-label": "Close detail", title: "Close (Esc)", text: "×" }),
      "click", closeDetail);
    var where = (STUDY && f.repo ? f.repo + " · " : "") + f.path +
      (d.cell ? " · cell " + d.cell[0] + ", line " + d.cell[1] : (f.line ? ":" + f.line + (f.end > f.line ? "–" + f.end : "") : ""));
    var kids = [
      h("div", { class: "dh" }, sevBadge(f.sev), h("span", { class: "pill", title: "score", text: "score " + f.score.toFixed(2) }),
        h("span", { class: "rule", text: f.rule }), close),
      h("h2", { text: f.pattern + (f.pname ? " · " + f.pname : "") }),
      h("div", { class: "where", text: where }),
      h("div", null, h("span", { class: "tag", text: "stage: " + f.stage }),
        f.conf ? h("span", { class: "tag", text: "confidence: " + f.conf }) : null,
        f.group ? h("span", { class: "tag", text: "group: " + f.group }) : null,
        d.repo_level ? h("span", { class: "tag", text: "repository level" }) : null,
        f.fw.map(function (x) { return h("span", { class: "tag", text: x }); })),
      f.msg ? h("p", { class: "msg", text: f.msg }) : null,
      h("h3", { text: "Code" }), codeView(f)
    ];
    if (d.flow && d.flow.length) kids.push(h("h3", { text: "Data flow (" + d.flow.length + " steps)" }),
      h("ol", { class: "flow" }, d.flow.map(function (o) { return h("li", { class: "mono", text: locText(o) }); })));
    if (d.ev && d.ev.length) kids.push(h("h3", { text: "Evidence" }),
      h("ul", null, d.ev.map(function (e) { return h("li", { text: S[e] }); })));
    if (RAW.measured) kids.push(measuredNote(f));
    kids.push(h("h3", { text: "Why it is bias-prone" }),
      h("p", null, "Pattern " + patternLabel(f.pattern) + " (" + f.stage + " stage). Bias-prone means the code needs a " +
        "group-wise evaluation, not that the model is biased; the message above says what to check or do instead."));
    if (d.refs && d.refs.length) kids.push(h("ul", { class: "refs" }, d.refs.map(function (r) { return h("li", null, linkify(S[r])); })));
    if (d.factors) kids.push(h("h3", { text: "Score " + f.score.toFixed(2) + " · factors" }), factorTable(f));
    if (d.occ && d.occ.length) kids.push(h("h3", { text: "Occurrences (" + d.occ.length + ")" }),
      h("ul", { class: "occ" }, d.occ.map(function (o, k) {
        return h("li", { class: "mono" }, locText(o), k === 0 ? h("span", { class: "muted", text: "  (primary)" }) : null);
      })));
    kids.push(h("h3", { text: "Suppress" }), suppression(f));
    var facts = [["Rule", f.rule], ["Fingerprint", f.fp]];
    if (d.by && d.by.length) facts.push(["Found by", d.by.map(function (b) { return S[b]; }).join(", ")]);
    ageFacts(f, facts);
    kids.push(h("h3", { text: "Details" }), h("dl", { class: "kv" }, facts.map(function (p) {
      return [h("dt", { text: p[0] }), h("dd", { class: "mono", text: p[1] })];
    })));
    detailBox.replaceChildren();
    add(detailBox, kids);
    detailBox.removeAttribute("hidden");
    detailBox.scrollTop = 0;
    split.classList.add("open");
    if (window.matchMedia && window.matchMedia("(max-width: 1100px)").matches) detailBox.scrollIntoView({ block: "start" });
  }

  // ------------------------------------------------------------------ study: prevalence and repositories
  function heatColor(x) {
    // white -> deep indigo
    var a = [246, 248, 252], b = [38, 58, 160], t = Math.max(0, Math.min(1, x));
    return "rgb(" + a.map(function (v, i) { return Math.round(v + (b[i] - v) * t); }).join(",") + ")";
  }
  function divColor(x) {
    var t = Math.max(-1, Math.min(1, x)), c = t >= 0 ? [201, 42, 42] : [24, 100, 171], w = [248, 249, 250], a = Math.abs(t);
    return "rgb(" + w.map(function (v, i) { return Math.round(v + (c[i] - v) * a); }).join(",") + ")";
  }
  function heatLegend(color, lo, hi) {
    var box = sv("svg", { width: 160, height: 12, viewBox: "0 0 160 12" });
    for (var k = 0; k < 16; k++) box.appendChild(sv("rect", { x: k * 10, y: 0, width: 10, height: 12,
      fill: color(lo.v + (hi.v - lo.v) * k / 15) }));
    return h("div", { class: "legend" }, h("span", { text: lo.label }), box, h("span", { text: hi.label }));
  }
  // cellOf(pattern, column) -> null or {fill, text, tip, dark}
  function heatmap(title, patterns, cols, cellOf, note, legends) {
    var cw = 74, ch = 24, lw = 240, th = 26;
    var W = lw + cols.length * cw + 10, H = th + patterns.length * ch + 6;
    var svg = sv("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": title });
    cols.forEach(function (c, j) {
      svg.appendChild(sv("text", { x: lw + j * cw + cw / 2, y: th - 8, "text-anchor": "middle", text: cut(c, 12) }, sv("title", { text: c })));
    });
    patterns.forEach(function (p, i) {
      var y = th + i * ch;
      svg.appendChild(sv("text", { x: lw - 8, y: y + 16, "text-anchor": "end", text: cut(p + " " + shortName(p), 32) },
        sv("title", { text: patternLabel(p) })));
      cols.forEach(function (c, j) {
        var v = cellOf(p, c), x = lw + j * cw;
        var g = sv("g", { class: "hm" }, sv("title", { text: patternLabel(p) + " × " + c + ": " + (v ? v.tip : "no data") }),
          sv("rect", { class: v && v.small ? "cell small" : "cell", x: x, y: y, width: cw, height: ch,
            fill: v ? v.fill : "#fbfbfc" }));
        if (v) g.appendChild(sv("text", { class: "v" + (v.dark ? " dark" : ""), x: x + cw / 2, y: y + 16,
          "text-anchor": "middle", text: v.text }));
        svg.appendChild(g);
      });
    });
    return h("div", { class: "card heatmap", "data-heatmap": title }, h("h2", { text: title }),
      note ? h("p", { class: "muted note", text: note }) : null, svg, legends);
  }
  function prevalenceView(view) {
    var rows = RAW.prevalence;
    if (!rows.length) { view.appendChild(h("div", { class: "card empty", text: "No prevalence data." })); return; }
    function keyOf(r, k) { return r[k] === undefined || r[k] === null || r[k] === "" ? null : String(r[k]); }
    var order = Object.keys(RAW.patterns);
    var pats = uniq(rows.map(function (r) { return String(r.pattern); })).sort(function (a, b) {
      var ia = order.indexOf(a), ib = order.indexOf(b);
      return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib) || cmp(a, b); });
    var max = 0;
    rows.forEach(function (r) { max = Math.max(max, Number(r.share) || 0); });
    function share(r) { return Number(r.share) || 0; }
    function tip(r) {
      return pct(share(r)) + (r.count !== undefined && r.count !== null ? " (" + r.count +
        (r.total !== undefined && r.total !== null ? " of " + r.total : "") + " repositories)" : "");
    }
    // Cells over fewer than RAW.min_cell_n repositories are grey and say count/total, as in the PNG.
    var SMALL = "#d9d9d9", smallNote = RAW.min_cell_n ? " Grey: fewer than " + RAW.min_cell_n +
      " repositories in the cell, too few to compare." : "";
    function smallCell(r, text) {
      return { fill: SMALL, text: text, small: true, dark: false,
        tip: tip(r) + " — fewer than " + RAW.min_cell_n + " repositories (small n)" };
    }
    function shareCell(r) {
      if (!r) return null;
      if (r.small) return smallCell(r, (r.count === undefined || r.count === null ? "?" : r.count) + "/" + r.total);
      var x = max ? share(r) / max : 0;
      return { fill: heatColor(x), text: pct(share(r)), tip: tip(r), dark: x > 0.55 };
    }
    function diffCell(a, b, dmax) {
      if (!a || !b) return null;
      if (a.small || b.small) return smallCell(a.small ? a : b, "small n");
      var dv = share(a) - share(b), x = dmax ? dv / dmax : 0;
      return { fill: divColor(x), text: (dv >= 0 ? "+" : "−") + Math.abs(dv * 100).toFixed(0),
        tip: (dv >= 0 ? "+" : "−") + Math.abs(dv * 100).toFixed(1) + " percentage points", dark: Math.abs(x) > 0.55 };
    }
    function index(list, colKey) {
      var m = {};
      list.forEach(function (r) { m[r.pattern + "\u0000" + colKey(r)] = r; });
      return function (p, c) { return m[p + "\u0000" + c]; };
    }
    function dmaxOf(get, A, B) {
      var d = 0;
      pats.forEach(function (p) { var a = get(p, A), b = get(p, B); if (a && b) d = Math.max(d, Math.abs(share(a) - share(b))); });
      return d;
    }
    var shareLegend = heatLegend(heatColor, { v: 0, label: "0%" }, { v: 1, label: pct(max) });
    var box = h("div", { class: "heatmaps" });
    var cross = rows.filter(function (r) { return keyOf(r, "framework") && keyOf(r, "group"); });
    var byFw = rows.filter(function (r) { return keyOf(r, "framework") && !keyOf(r, "group"); });
    var byGroup = rows.filter(function (r) { return !keyOf(r, "framework"); });
    if (byGroup.length) {
      var groups = uniq(byGroup.map(function (r) { return keyOf(r, "group") || "all"; }));
      var getG = index(byGroup, function (r) { return keyOf(r, "group") || "all"; });
      var pair = groups.filter(function (g) { return g !== "all"; });
      var cols = groups.slice(), dmax = 0, diffName = "";
      if (pair.length === 2) { dmax = dmaxOf(getG, pair[0], pair[1]); diffName = "difference"; cols.push(diffName); }
      box.appendChild(heatmap(pair.length === 2 ? "Prevalence: " + pair[0] + " vs " + pair[1] : "Prevalence by group", pats, cols,
        function (p, c) { return c === diffName ? diffCell(getG(p, pair[0]), getG(p, pair[1]), dmax) : shareCell(getG(p, c)); },
        "Share of repositories in each group in which the pattern occurs" + (diffName ? "; the last column is the difference " +
          "in percentage points (red: more common in " + pair[0] + ", blue: in " + pair[1] + ")." : ".") + smallNote,
        [shareLegend, diffName ? heatLegend(divColor, { v: -1, label: "−" + (dmax * 100).toFixed(0) },
          { v: 1, label: "+" + (dmax * 100).toFixed(0) }) : null]));
    }
    if (byFw.length) {
      var fws = uniq(byFw.map(function (r) { return keyOf(r, "framework"); })).sort();
      var getF = index(byFw, function (r) { return keyOf(r, "framework"); });
      box.appendChild(heatmap("Prevalence by framework", pats, fws, function (p, c) { return shareCell(getF(p, c)); },
        "Share of repositories using each framework in which the pattern occurs." + smallNote,
        heatLegend(heatColor, { v: 0, label: "0%" }, { v: 1, label: pct(max) })));
    }
    if (cross.length) {
      var cgroups = uniq(cross.map(function (r) { return keyOf(r, "group"); }));
      var cfws = uniq(cross.map(function (r) { return keyOf(r, "framework"); })).sort();
      var gets = {};
      cgroups.forEach(function (g) {
        gets[g] = index(cross.filter(function (r) { return keyOf(r, "group") === g; }), function (r) { return keyOf(r, "framework"); });
        box.appendChild(heatmap("Prevalence: " + g, pats, cfws, function (p, c) { return shareCell(gets[g](p, c)); },
          "Share of " + g + " repositories in which the pattern occurs, by framework." + smallNote,
          heatLegend(heatColor, { v: 0, label: "0%" }, { v: 1, label: pct(max) })));
      });
      if (cgroups.length === 2) {
        var A = cgroups[0], B = cgroups[1], cd = 0;
        pats.forEach(function (p) { cfws.forEach(function (c) {
          var a = gets[A](p, c), b = gets[B](p, c);
          if (a && b) cd = Math.max(cd, Math.abs(share(a) - share(b)));
        }); });
        box.appendChild(heatmap("Difference: " + A + " − " + B, pats, cfws, function (p, c) {
          return diffCell(gets[A](p, c), gets[B](p, c), cd); },
          "Percentage points; red: more common in " + A + ", blue: more common in " + B + "." + smallNote,
          heatLegend(divColor, { v: -1, label: "−" + (cd * 100).toFixed(0) }, { v: 1, label: "+" + (cd * 100).toFixed(0) })));
      }
    }
    view.appendChild(box);
  }
  function reposView(view) {
    var t = RAW.repos, cols = t.columns;
    if (!t.rows.length) { view.appendChild(h("div", { class: "card empty", text: "No repositories." })); return; }
    var st = { key: 0, dir: 1, text: "" };
    var template = cols.map(function (c, i) { return i === 0 ? "minmax(190px, 2fr)" : "minmax(110px, 1fr)"; }).join(" ");
    var repoCol = cols.indexOf("repo");
    function show_(v) { return v === null || v === undefined ? "" : Array.isArray(v) ? v.join(", ") :
      typeof v === "number" && !Number.isInteger(v) ? v.toFixed(3) : String(v); }
    var headRow = h("div", { class: "vt-head", role: "row" });
    headRow.style.gridTemplateColumns = template;
    function drawHead() {
      headRow.replaceChildren.apply(headRow, cols.map(function (c, i) {
        var th = h("div", { class: "th" + (st.key === i ? " sorted" : ""), role: "columnheader", title: c,
          text: c.replace(/_/g, " ") + (st.key === i ? (st.dir > 0 ? " ▲" : " ▼") : "") });
        on(th, "click", function () { if (st.key === i) st.dir = -st.dir; else { st.key = i; st.dir = 1; } drawHead(); refresh(); });
        return th;
      }));
    }
    var body = h("div", { class: "vt-body", tabindex: "0", role: "rowgroup" });
    var list = VList(body, rowHeightPx(), function (r) {
      var row = h("div", { class: "vt-row", role: "row", title: repoCol >= 0 ? "Show this repository's findings" : null },
        r.map(function (v) { return h("div", { class: "td" + (typeof v === "number" ? " num" : ""), text: show_(v), title: show_(v) }); }));
      row.style.gridTemplateColumns = template;
      if (repoCol >= 0) on(row, "click", function () {
        resetFilters(); state.path = String(r[repoCol]) + "/*"; syncControls(); show("findings"); update(); });
      return row;
    });
    var input = h("input", { type: "search", class: "wide", placeholder: "Filter repositories…", "aria-label": "Filter repositories" });
    var cnt = h("span", { class: "count-line" });
    function refresh() {
      var q = st.text.toLowerCase();
      var rows = t.rows.filter(function (r) { return !q || r.some(function (v) { return show_(v).toLowerCase().indexOf(q) >= 0; }); });
      rows.sort(function (a, b) {
        var x = a[st.key], y = b[st.key];
        if (typeof x === "number" && typeof y === "number") return st.dir * (x - y);
        return st.dir * cmp(show_(x), show_(y));
      });
      list.set(rows);
      cnt.textContent = "Showing " + fmt(rows.length) + " of " + fmt(t.rows.length) + " repositories";
    }
    on(input, "input", debounce(function () { st.text = input.value; refresh(); }, 120));
    drawHead();
    view.appendChild(h("div", { class: "filters" }, input, cnt));
    var inner = h("div", { class: "vt-inner" }, headRow, body);
    inner.style.minWidth = (190 + 110 * (cols.length - 1)) + "px";
    view.appendChild(h("div", { class: "vt wide", role: "table", "aria-label": "Repositories" }, inner));
    views.repositories.onShow = function () { list.refresh(); };
    refresh();
  }

  // ------------------------------------------------------------------ scan: run details
  function runView(view) {
    var m = RAW.meta;
    var facts = [["Root", m.root], ["Files scanned", fmt(m.files_scanned)], ["Duration", m.duration_s + " s"],
      ["fairlint", m.fairlint], ["Rule pack", m.rule_pack], ["Engines", (m.engines || []).join(", ")],
      ["Configuration", m.config || "default"]];
    (m.notes || []).forEach(function (n) { facts.push(["Note", n]); });
    if (m.semgrep) facts.push(["Semgrep", m.semgrep]);
    if (m.codeql) facts.push(["CodeQL", m.codeql]);
    var cards = [h("div", { class: "card" }, h("h2", { text: "Scan" }), h("dl", { class: "kv" }, facts.map(function (p) {
      return [h("dt", { text: p[0] }), h("dd", { text: p[1] })]; })))];
    function simple(title, heads, rows, emptyText) {
      return h("div", { class: "card" }, h("h2", { text: title + " (" + rows.length + ")" }),
        rows.length ? h("table", { class: "simple" }, h("thead", null, h("tr", null, heads.map(function (x) { return h("th", { text: x }); }))),
          h("tbody", null, rows.map(function (r) { return h("tr", null, r.map(function (v) {
            return v && v.nodeType ? h("td", null, v) : h("td", { text: v === null || v === undefined ? "" : String(v) }); })); })))
          : h("p", { class: "muted", text: emptyText }));
    }
    cards.push(simple("Suppressions", ["Location", "Ids", "Reason", "Kind", "Hid", "Problem"], RAW.suppressions.map(function (s) {
      return [s[0] + ":" + s[1], s[2].join(", "), s[3], s[4], s[5], s[6] ? h("span", { class: "warn", text: s[6] }) : ""];
    }), "No inline suppressions."));
    cards.push(simple("Skipped files", ["Path", "Reason", "Detail"], RAW.skipped, "Every file was analysed."));
    cards.push(simple("Errors", ["Message"], RAW.errors.map(function (e) { return [e]; }), "No errors."));
    view.appendChild(h("div", { class: "stack" }, cards));
  }

  // ------------------------------------------------------------------ history: trend and first seen (issue 24)
  function short(oid) { return String(oid || "").slice(0, 12); }
  function ageFacts(f, facts) {
    var a = RAW.ages && RAW.ages[f.fp];
    if (!a) return;
    facts.push(["First seen", short(a.first_seen_commit) + " · " + String(a.first_seen_date).slice(0, 10) + " · " +
      a.first_seen_author + (a.age_days !== null && a.age_days !== undefined ? " (" + a.age_days + " days before the newest commit)" : "")]);
  }
  function trendView(view) {
    var T = RAW.trend, cs = T.commits, FS = T.findings, mode = { by: "sev" }, picked = -1;
    var byFp = {};
    F.forEach(function (f) { byFp[f.fp] = f.i; });
    var sel = h("select", { id: "trend-by", "aria-label": "Stack by" }, [["sev", "Stack by severity"],
      ["stage", "Stack by stage"], ["pattern", "Stack by pattern"]].map(function (o) {
        return h("option", { value: o[0], text: o[1] }); }));
    on(sel, "change", function () { mode.by = sel.value; draw(); });
    var chartBox = h("div", { class: "card trend-chart", id: "trend-chart" });
    var list = h("div", { class: "card trend-list", id: "trend-list" },
      h("p", { class: "muted", text: "Click a commit in the chart to list the findings introduced or fixed there." }));
    function keysFor(by) {
      if (by === "sev") return [4, 3, 2, 1, 0];
      var seen = {};
      cs.forEach(function (c) { Object.keys(c[by] || {}).forEach(function (k) { seen[k] = 1; }); });
      var keys = Object.keys(seen).sort();
      return by === "stage" ? ALL_STAGES.filter(function (s) { return seen[s]; }).concat(keys.filter(function (k) {
        return ALL_STAGES.indexOf(k) < 0; })) : keys;
    }
    function valueOf(c, by, k) { return by === "sev" ? c.sev[k] || 0 : (c[by] && c[by][k]) || 0; }
    function colorOf(by, k, j) { return by === "sev" ? SEV_COLOR[SEV[k]] : PALETTE[j % PALETTE.length]; }
    function labelOf(by, k) { return by === "sev" ? SEV[k] : by === "pattern" ? patternLabel(k) : k; }
    function draw() {
      var by = mode.by, keys = keysFor(by), top = 34, B = 30, L = 44, H = 280;
      var bw = Math.max(6, Math.min(28, 900 / Math.max(1, cs.length))), W = L + bw * cs.length + 16, max = 1;
      cs.forEach(function (c) { max = Math.max(max, c.total); });
      var plot = H - B - top;
      var svg = sv("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Findings over commits" });
      [0, max].forEach(function (v) {
        var y = H - B - v / max * plot;
        svg.appendChild(sv("line", { x1: L - 4, x2: W - 8, y1: y, y2: y, stroke: "#dde2ea" }));
        svg.appendChild(sv("text", { class: "num", x: L - 8, y: y + 4, "text-anchor": "end", text: String(v) }));
      });
      cs.forEach(function (c, i) {
        var x = L + i * bw, y = H - B;
        var g = sv("g", { class: "pt" + (c.status !== "scanned" ? " skipped" : "") + (i === picked ? " picked" : ""),
          "data-seq": String(i + 1), "data-oid": c.oid, tabindex: "0", role: "button" },
          sv("title", { text: short(c.oid) + " · " + String(c.date).slice(0, 10) + " · " + c.total + " finding(s)" +
            (c.in.length ? " · " + c.in.length + " introduced" : "") + (c.out.length ? " · " + c.out.length + " fixed" : "") +
            (c.status !== "scanned" ? " · skipped: " + c.reason : "") }),
          sv("rect", { class: "hit", x: x, y: top - 4, width: bw, height: plot + 4, fill: "transparent" }));
        keys.forEach(function (k, j) {
          var v = valueOf(c, by, k);
          if (!v) return;
          var hh = v / max * plot;
          y -= hh;
          g.appendChild(sv("rect", { x: x + 1, y: y, width: Math.max(1, bw - 2), height: hh, fill: colorOf(by, k, j) }));
        });
        if (c.in.length) g.appendChild(sv("text", { class: "delta in", x: x + bw / 2, y: H - B + 13, "text-anchor": "middle", text: "+" }));
        if (c.out.length) g.appendChild(sv("text", { class: "delta out", x: x + bw / 2, y: H - B + 25, "text-anchor": "middle", text: "−" }));
        on(g, "click", function () { pickCommit(i); });
        on(g, "keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pickCommit(i); } });
        svg.appendChild(g);
        if (c.tags.length) {
          var tx = x + bw / 2;
          svg.appendChild(sv("g", { class: "tag-mark", "data-tag": c.tags.join(", ") },
            sv("line", { x1: tx, x2: tx, y1: top - 12, y2: H - B, stroke: "#5f3dc4", "stroke-dasharray": "3 3" }),
            sv("text", { x: tx, y: top - 16, "text-anchor": "middle", text: cut(c.tags.join(", "), 16) }, sv("title", { text: c.tags.join(", ") }))));
        }
      });
      var legend = h("div", { class: "legend trend-legend" }, keys.map(function (k, j) {
        var sw = sv("svg", { width: 12, height: 12, viewBox: "0 0 12 12" }, sv("rect", { x: 0, y: 0, width: 12, height: 12, fill: colorOf(by, k, j) }));
        return h("span", null, sw, " " + labelOf(by, k));
      }));
      chartBox.replaceChildren(h("h2", { text: "Findings over commits (" + cs.length + ")" }),
        h("p", { class: "muted note", text: "One bar per walked commit, oldest on the left; + marks commits that introduced findings, − commits that fixed some; dashed lines are tags." }),
        h("div", { class: "trend-scroll" }, svg), legend);
    }
    function entry(k, extra) {
      var x = FS[k], known = byFp[x.fp] !== undefined;
      var li = h("li", { "data-fp": x.fp, class: known ? "link" : null, title: known ? "Show this finding" : "Not in the newest commit" },
        sevBadge(x.sev), h("span", { class: "mono", text: x.pattern + " " + x.rule }),
        h("span", { class: "loc mono", text: x.path + ":" + x.line }),
        h("span", { class: "muted", text: "first seen " + short(x.first) + (extra ? " · " + extra : "") }));
      if (known) on(li, "click", function () { show("findings"); select(byFp[x.fp]); });
      return li;
    }
    function pickCommit(i) {
      picked = i;
      var c = cs[i];
      draw();
      var kids = [h("h2", { text: "Commit " + short(c.oid) + " · " + String(c.date).slice(0, 10) + " · " + c.author }),
        h("p", { class: "msg", text: c.subject }),
        c.tags.length ? h("p", null, c.tags.map(function (t) { return h("span", { class: "tag", text: t }); })) : null];
      if (c.status !== "scanned") kids.push(h("p", { class: "warn", text: "Skipped: " + c.reason }));
      kids.push(h("h3", { text: "Introduced (" + c.in.length + ")" }),
        c.in.length ? h("ul", { class: "trend-items", "data-kind": "introduced" }, c.in.map(function (k) { return entry(k, ""); }))
          : h("p", { class: "muted", text: "None." }));
      kids.push(h("h3", { text: "Fixed (" + c.out.length + ")" }),
        c.out.length ? h("ul", { class: "trend-items", "data-kind": "fixed" }, c.out.map(function (o) {
          return entry(o[0], o[1] + (o[2] ? ": " + o[2] : "")); })) : h("p", { class: "muted", text: "None." }));
      list.replaceChildren.apply(list, kids.filter(Boolean));
      list.setAttribute("data-seq", String(i + 1));
    }
    view.appendChild(h("div", { class: "filters" }, sel,
      h("span", { class: "count-line", text: T.repository + " · " + T.selection })));
    view.appendChild(h("div", { class: "stack" }, chartBox, list));
    draw();
  }

  // ------------------------------------------------------------------ measured (fairlint scan --measure, issue 23)
  // RAW.measured is `fairlint measure --format json`'s data plus `findings` (fingerprint -> facets).
  function signed(x) { return x === null || x === undefined ? "–" : (x >= 0 ? "+" : "−") + Math.abs(x).toFixed(3); }
  function estimate(e, ratio) {
    if (!e) return "–";
    if (e.value === null || e.value === undefined) return e.note || "undefined";
    var show = ratio ? function (x) { return x.toFixed(3); } : signed;
    return show(e.value) + (e.ci ? " [" + show(e.ci[0]) + ", " + show(e.ci[1]) + "]" : "");
  }
  function measuredFlag(name, e) {
    var M = RAW.measured, base = name.split("[")[0];
    if (!e || e.value === null || e.value === undefined || base === "CI") return false;
    if (base === "DI" || base === "DI_pred") return e.value < M.config.min_di;
    return Math.abs(e.value) > M.config.max_abs_difference;
  }
  function measuredNote(f) {
    var facets = RAW.measured.findings[f.fp] || [];
    if (!facets.length) return null;
    var go = on(h("button", { class: "btn small", type: "button", text: "Show the measured figures" }), "click",
      function () { show("measured"); });
    return h("div", { class: "measured-note", "data-measured": facets.join(",") },
      h("h3", { text: "Measured" }),
      h("p", null, "This finding bears on the measured facet" + (facets.length > 1 ? "s " : " ") + facets.join(", ") +
        " (" + RAW.measured.source + ")."), go);
  }
  function rateChart(table, prediction) {
    // one row per facet value: the favourable label rate (and predicted rate) as bars on 0..100%
    var rows = table.rows, W = 620, labelW = 170, rowH = prediction ? 34 : 24, top = 4, barW = W - labelW - 70;
    var H = top + rows.length * rowH + 4;
    var svg = sv("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img",
      "aria-label": "Favourable rate by " + table.facet });
    rows.forEach(function (r, i) {
      var y = top + i * rowH;
      var g = sv("g", { class: "grp", "data-value": r.value },
        sv("title", { text: r.value + ": n " + fmt(r.n) + (r.too_small ? ", too small to judge" : ", favourable labels " +
          pct(r.label_positive_rate) + (prediction && r.predicted_positive_rate !== null ? ", favourable predictions " +
          pct(r.predicted_positive_rate) : "")) }),
        sv("text", { class: "lbl", x: labelW - 8, y: y + 16, "text-anchor": "end", text: cut(r.value, 24) + " (n " + fmt(r.n) + ")" }));
      if (r.too_small) {
        g.appendChild(sv("text", { class: "small", x: labelW, y: y + 16, text: "too small to judge" }));
      } else {
        var parts = [["label", r.label_positive_rate]];
        if (prediction) parts.push(["pred", r.predicted_positive_rate]);
        parts.forEach(function (p, k) {
          if (p[1] === null || p[1] === undefined) return;
          var bh = prediction ? 13 : 16, by = y + 4 + k * (bh + 2), w = Math.max(1, p[1] * barW);
          g.appendChild(sv("rect", { class: "rate " + p[0], x: labelW, y: by, width: w, height: bh, rx: 2 }));
          g.appendChild(sv("text", { class: "num", x: labelW + w + 6, y: by + bh - 3, text: pct(p[1]) }));
        });
      }
      svg.appendChild(g);
    });
    return h("div", { class: "card measured-groups", "data-facet": table.facet },
      h("h2", { text: "Per group: " + table.facet }),
      h("p", { class: "muted note", text: "Favourable rate of each value" + (prediction ? " (upper bar: labels, lower bar: predictions)" : "") + "." }),
      svg);
  }
  function ddChart(comp, cond) {
    // diverging bars around 0: the aggregate DD, the conditional CDD, then DD within each stratum.
    // Positive: the facet value's share of the unfavourable outcomes exceeds its share of the favourable ones.
    var entries = [{ key: "marginal", label: cond.marginal.metric + " (aggregate)", v: cond.marginal.value },
      { key: "conditional", label: cond.metric + " (within " + cond.group + ")", v: cond.conditional.value }];
    cond.strata.forEach(function (st) {
      entries.push({ key: "stratum", label: cond.group + " = " + st.value, v: st.dd, small: st.too_small, n: st.n,
        driving: cond.simpson.driving_strata.indexOf(st.value) >= 0 });
    });
    var max = 0.05;
    entries.forEach(function (e) { if (e.v !== null && e.v !== undefined) max = Math.max(max, Math.abs(e.v)); });
    var W = 660, labelW = 200, pad = 56, rowH = 24, top = 6, half = (W - labelW - 2 * pad) / 2, zero = labelW + pad + half;
    var H = top + entries.length * rowH + 8;
    var svg = sv("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img",
      "aria-label": cond.marginal.metric + " against " + cond.metric + " within " + cond.group });
    svg.appendChild(sv("line", { x1: zero, x2: zero, y1: top, y2: H - 4, stroke: "#8a94a3" }));
    entries.forEach(function (e, i) {
      var y = top + i * rowH, has = e.v !== null && e.v !== undefined;
      var g = sv("g", { class: "dd " + e.key + (e.driving ? " driving" : ""), "data-value": has ? String(e.v) : "" },
        sv("title", { text: e.label + ": " + (has ? signed(e.v) : e.small ? "too small to judge" : "undefined") +
          (e.n !== undefined ? " (n " + fmt(e.n) + ")" : "") + (e.driving ? " · drives the conditional disparity" : "") }),
        sv("text", { class: "lbl" + (e.key !== "stratum" ? " strong" : ""), x: labelW - 8, y: y + 16, "text-anchor": "end",
          text: cut(e.label, 30) + (e.driving ? " ★" : "") }));
      if (has) {
        var w = Math.max(1, Math.abs(e.v) / max * half), x = e.v >= 0 ? zero : zero - w;
        g.appendChild(sv("rect", { class: "bar " + (e.v >= 0 ? "pos" : "neg"), x: x, y: y + 5, width: w, height: rowH - 10, rx: 2 }));
        g.appendChild(sv("text", { class: "num", x: e.v >= 0 ? zero + w + 4 : zero - w - 4, y: y + 16,
          "text-anchor": e.v >= 0 ? "start" : "end", text: signed(e.v) }));
      } else {
        g.appendChild(sv("text", { class: "small", x: zero + 6, y: y + 16, text: e.small ? "too small to judge" : "undefined" }));
      }
      svg.appendChild(g);
    });
    var kind = cond.simpson.kind;
    return h("div", { class: "card measured-cdd" + (kind === "reversal" ? " reversal" : ""), "data-kind": kind,
        "data-facet": comp.facet, "data-value": comp.value, "data-group": cond.group, "data-outcome": cond.outcome },
      h("h2", null, comp.facet + " = " + comp.value + ": " + cond.marginal.metric + " vs " + cond.metric + " within " + cond.group +
        " (" + cond.outcome + "s) ", h("span", { class: "kind kind-" + kind, text: kind })),
      h("p", { class: "figures" }, cond.marginal.metric + " " + estimate(cond.marginal) + " → " + cond.metric + " " +
        estimate(cond.conditional)),
      svg,
      h("p", { class: "explain", text: cond.simpson.explanation }),
      h("p", { class: "muted note", text: "Bars right of 0: " + comp.facet + " = " + comp.value + " has a larger share of the " +
        "unfavourable outcomes than of the favourable ones. ★ marks the strata that drive the conditional disparity." }));
  }
  function metricTable(comp) {
    var M = RAW.measured, rows = [];
    [["label_metrics", ""], ["prediction_metrics", "pred"]].forEach(function (k) {
      Object.keys(comp[k[0]] || {}).forEach(function (name) {
        var key = k[1] && name === "DI" ? "DI_pred" : name, e = comp[k[0]][name], flag = measuredFlag(key, e);
        rows.push(h("tr", { class: flag ? "flag" : null, "data-metric": key },
          h("td", { class: "mono", text: key }), h("td", { class: "num", text: estimate(e, key === "DI" || key === "DI_pred") + (flag ? " !" : "") }),
          h("td", { text: M.metric_names[key] || "" })));
      });
    });
    return h("table", { class: "simple metrics" }, h("thead", null, h("tr", null,
      ["metric", "value", "meaning (SageMaker Clarify)"].map(function (x) { return h("th", { text: x }); }))), h("tbody", null, rows));
  }
  function measuredView(view) {
    var M = RAW.measured, cards = [];
    var facts = [["Table", M.source], ["Rows", fmt(M.rows_read) + " read, " + fmt(M.rows_used) + " measured"],
      ["Label", M.label.column + " (favourable: " + M.label.positive + ")"]];
    if (M.config.prediction) facts.push(["Prediction", M.config.prediction + " (favourable: score ≥ " + M.config.threshold + ")"]);
    if (M.config.groups.length) facts.push(["Strata", M.config.groups.join(", ")]);
    Object.keys(M.dropped || {}).forEach(function (k) { facts.push(["Dropped", fmt(M.dropped[k]) + " rows: " + k]); });
    cards.push(h("div", { class: "card" }, h("h2", { text: "Measured outcomes" }), h("dl", { class: "kv" }, facts.map(function (p) {
      return [h("dt", { text: p[0] }), h("dd", { text: p[1] })]; }))));
    var byKey = {};
    M.comparisons.forEach(function (c) { c.conditional.forEach(function (k) { byKey[[c.facet, c.value, k.group, k.outcome].join("\u0000")] = k; }); });
    if (M.reversals.length) {
      cards.push(h("div", { class: "card reversal-callout", id: "measured-reversals", role: "note" },
        h("h2", { text: "Simpson's paradox: " + M.reversals.length + " reversal" + (M.reversals.length > 1 ? "s" : "") }),
        h("ul", null, M.reversals.map(function (r) {
          var k = byKey[[r.facet, r.value, r.group, r.outcome].join("\u0000")];
          return h("li", { "data-reversal": r.facet + "=" + r.value + "|" + r.group },
            h("b", { text: r.facet + " = " + r.value + " within " + r.group + " (" + r.outcome + "s): " }),
            k ? k.marginal.metric + " " + signed(k.marginal.value) + " but " + k.metric + " " + signed(k.conditional.value) + ". " +
              k.simpson.explanation : "");
        }))));
    }
    var linked = F.filter(function (f) { return M.findings[f.fp]; });
    cards.push(h("div", { class: "card measured-findings" }, h("h2", { text: "Findings these figures bear on (" + linked.length + ")" }),
      linked.length ? h("ul", { class: "measured-list" }, linked.map(function (f) {
        var li = h("li", { class: "link", "data-fp": f.fp }, sevBadge(f.sev), " ", h("span", { class: "mono", text: f.pattern + " " + f.rule }),
          " ", h("span", { class: "muted", text: f.where + ":" + f.line + " · " + M.findings[f.fp].join(", ") }));
        on(li, "click", function () { show("findings"); select(f.i); });
        return li;
      })) : h("p", { class: "muted", text: "No finding names a measured facet." })));
    M.group_tables.forEach(function (t) { cards.push(rateChart(t, !!M.config.prediction)); });
    M.comparisons.forEach(function (c) {
      if (c.too_small) {
        cards.push(h("div", { class: "card measured-small", text: c.facet + " = " + c.value + ": too small to judge (n_d " +
          fmt(c.n_d) + ", n_a " + fmt(c.n_a) + ")" }));
        return;
      }
      cards.push(h("div", { class: "card measured-metrics", "data-facet": c.facet, "data-value": c.value },
        h("h2", { text: c.facet + " = " + c.value + " vs the rest (n_d " + fmt(c.n_d) + ", n_a " + fmt(c.n_a) + ")" }),
        metricTable(c),
        h("p", { class: "muted note", text: "! marks a difference beyond " + M.config.max_abs_difference + " or a disparate impact " +
          "below " + M.config.min_di + ": bias-prone, needs review in context." })));
      c.conditional.forEach(function (k) { cards.push(ddChart(c, k)); });
    });
    view.appendChild(h("div", { class: "stack measured" }, cards));
  }

  // ------------------------------------------------------------------ boot
  header();
  if (STUDY) document.body.classList.add("study");
  overview(addTab("overview", "Overview"));
  if (STUDY) {
    prevalenceView(addTab("prevalence", "Prevalence"));
    reposView(addTab("repositories", "Repositories", RAW.repos.rows.length));
  }
  findingsView(addTab("findings", "Findings", F.length));
  if (!STUDY) runView(addTab("run", "Run details"));
  if (RAW.trend) trendView(addTab("trend", "Trend", RAW.trend.commits.length));
  if (RAW.measured) measuredView(addTab("measured", "Measured", RAW.measured.reversals.length || undefined));
  update();
  var wanted = /^#finding=(.+)$/.exec(location.hash);
  var target = wanted ? F.filter(function (f) { return (f.fp || String(f.i)) === decodeURIComponent(wanted[1]); })[0] : null;
  if (target) { show("findings"); select(target.i); } else show("overview");
  document.body.setAttribute("data-ready", "1");
})();
