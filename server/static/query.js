// Khyber's query page: a small SPARQL editor with examples, a results table and downloads. No dependencies.
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("example-data").textContent);
  var prefixes = JSON.parse(document.getElementById("prefix-data").textContent);
  var form = document.getElementById("query-form");
  var editor = document.getElementById("query");
  var picker = document.getElementById("examples");
  var runButton = document.getElementById("run");
  var statusLine = document.getElementById("status");
  var results = document.getElementById("results");
  var downloads = document.getElementById("downloads");
  var downloadLinks = document.getElementById("download-links");
  var LOCAL = "https://w3id.org/khyber/";
  var RESULT_FORMATS = [["csv", "CSV"], ["tsv", "TSV"], ["json", "JSON"], ["xml", "XML"]];
  var GRAPH_FORMATS = [["ttl", "Turtle"], ["nt", "N-Triples"], ["jsonld", "JSON-LD"], ["rdfxml", "RDF/XML"], ["trig", "TriG"]];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function compact(iri) {
    var best = null;
    Object.keys(prefixes).forEach(function (p) {
      var ns = prefixes[p];
      if (iri.indexOf(ns) === 0 && (!best || ns.length > prefixes[best].length)) { best = p; }
    });
    if (best) { return best + ":" + iri.slice(prefixes[best].length); }
    if (iri.indexOf(LOCAL + "id/") === 0) { return iri.slice((LOCAL + "id/").length); }
    return iri;
  }

  function href(iri) {
    // Our own resources dereference here; the ontology's terms go to its documentation.
    if (iri.indexOf(LOCAL + "id/") === 0) { return "/id/" + iri.slice((LOCAL + "id/").length); }
    if (iri.indexOf(LOCAL + "ontology#") === 0) { return "/ontology.html#" + iri.slice((LOCAL + "ontology#").length); }
    if (/^https?:\/\//.test(iri)) { return iri; }
    return null;
  }

  function cell(term) {
    var td = el("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var target = href(term.value);
      var a = target ? el("a", { href: target, title: term.value }, compact(term.value)) : el("span", { title: term.value }, compact(term.value));
      if (target && target.charAt(0) !== "/") { a.setAttribute("rel", "noopener noreferrer"); }
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else if (term.type === "triple") {
      td.textContent = "<< " + [term.value.subject, term.value.predicate, term.value.object].map(function (t) { return t.value; }).join(" ") + " >>";
    } else {
      td.appendChild(document.createTextNode(term.value));
      var note = term["xml:lang"] ? "@" + term["xml:lang"] : (term.datatype ? compact(term.datatype) : "");
      if (note && note !== "xsd:string") { td.appendChild(document.createTextNode(" ")); td.appendChild(el("small", {}, note)); }
    }
    return td;
  }

  function setStatus(text, isError) {
    statusLine.textContent = text;
    statusLine.className = isError ? "error" : "";
  }

  function showDownloads(kind) {
    downloadLinks.textContent = "";
    (kind === "graph" ? GRAPH_FORMATS : RESULT_FORMATS).forEach(function (f) {
      var params = new URLSearchParams({ query: editor.value, format: f[0], download: "1" });
      downloadLinks.appendChild(el("a", { href: "/sparql?" + params.toString(), download: "", "class": "download", "data-format": f[0] }, f[1]));
    });
    downloads.hidden = false;
  }

  function showTable(data, truncated) {
    var vars = data.head.vars || [];
    var rows = data.results.bindings;
    var table = el("table", { "class": "results", id: "results-table" });
    var head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", {}, v)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    rows.forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    results.appendChild(table);
    return rows.length;
  }

  function run() {
    var query = editor.value;
    runButton.disabled = true;
    setStatus("Running…");
    results.textContent = "";
    downloads.hidden = true;
    var started = performance.now();
    fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
      body: new URLSearchParams({ query: query }).toString()
    }).then(function (response) {
      return response.text().then(function (text) { return { response: response, text: text }; });
    }).then(function (r) {
      var ms = Math.round(performance.now() - started);
      var truncated = r.response.headers.get("X-Khyber-Truncated");
      if (!r.response.ok) {
        setStatus("Error " + r.response.status + " (" + ms + " ms)", true);
        results.appendChild(el("pre", { "class": "error", id: "error" }, r.text));
        return;
      }
      var type = r.response.headers.get("Content-Type") || "";
      if (type.indexOf("json") >= 0) {
        var data = JSON.parse(r.text);
        if (typeof data.boolean === "boolean") {
          results.appendChild(el("p", { id: "boolean" }, "Answer: " + data.boolean));
          setStatus("ASK answered in " + ms + " ms");
          showDownloads("results");
          return;
        }
        var count = showTable(data);
        setStatus(count + (count === 1 ? " row" : " rows") + " in " + ms + " ms" + (truncated ? " (cut at the row limit)" : ""));
        showDownloads("results");
      } else {
        results.appendChild(el("pre", { "class": "graph", id: "graph" }, r.text));
        setStatus("Graph of " + (r.response.headers.get("X-Khyber-Rows") || "?") + " triples in " + ms + " ms");
        showDownloads("graph");
      }
    }).catch(function (err) {
      setStatus("The server could not be reached: " + err, true);
    }).then(function () { runButton.disabled = false; });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
    if (event.key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      var s = editor.selectionStart;
      editor.setRangeText("  ", s, editor.selectionEnd, "end");
    }
  });
  picker.addEventListener("change", function () {
    var ex = examples.filter(function (e) { return e.key === picker.value; })[0];
    if (ex) { editor.value = ex.query; editor.focus(); }
  });
  document.getElementById("insert-prefixes").addEventListener("click", function () {
    var lines = Object.keys(prefixes).map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; });
    var missing = lines.filter(function (l) { return editor.value.indexOf(l) < 0; });
    editor.value = missing.join("\n") + (missing.length ? "\n" : "") + editor.value;
  });
  var fromUrl = new URLSearchParams(window.location.search).get("example");
  if (fromUrl) { picker.value = fromUrl; picker.dispatchEvent(new Event("change")); }
}());
