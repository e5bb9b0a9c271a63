"""Generate the ontology's derived artifacts from the one hand-edited source, ontology/khyber.ttl.

    python -m loader.ontology_artifacts            # rewrite ontology/khyber.{owl,jsonld,html}
    python -m loader.ontology_artifacts --check    # exit 1 when a committed artifact is stale

- ``khyber.owl``: RDF/XML, for Protégé and the OWL API;
- ``khyber.jsonld``: JSON-LD with an inline context (no remote context to fetch);
- ``khyber.html``: documentation by pyLODE (``OntPub``) when it is installed, else a plain
  page rendered here from the graph.

Never edit the generated files by hand: the staleness test regenerates them and compares.
"""

from __future__ import annotations

import argparse
import html
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic, to_canonical_graph
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

REPO_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = REPO_ROOT / "ontology"
SOURCE = ONTOLOGY_DIR / "khyber.ttl"
NAMES = ("khyber.owl", "khyber.jsonld", "khyber.html")

KH = Namespace("https://w3id.org/khyber/ontology#")
PREFIXES = {
    "kh": str(KH),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "vann": "http://purl.org/vocab/vann/",
}


def load_source(source: Path = SOURCE) -> Graph:
    """Parse the hand-edited Turtle source."""
    graph = Graph(bind_namespaces="core")
    graph.parse(source, format="turtle")
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, replace=True)
    return graph


def render_owl(graph: Graph) -> str:
    """The ontology as RDF/XML (the syntax Protégé opens by default)."""
    return graph.serialize(format="xml")


def render_jsonld(graph: Graph) -> str:
    """The ontology as JSON-LD with an inline @context of the usual prefixes."""
    return graph.serialize(format="json-ld", context=dict(PREFIXES), indent=2, sort_keys=True)


def render_html(source: Path = SOURCE) -> str:
    """HTML documentation: pyLODE's OntPub profile when available, else a plain page.

    pyLODE iterates Python sets of strings, whose order depends on the hash seed, so it runs
    in a child interpreter with PYTHONHASHSEED=0: the same source always gives the same text.
    """
    if os.environ.get("PYTHONHASHSEED") == "0":
        return _render_html_here(Path(source))
    env = dict(os.environ, PYTHONHASHSEED="0")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    code = ("import sys; from pathlib import Path; from loader.ontology_artifacts import _render_html_here; "
            "sys.stdout.buffer.write(_render_html_here(Path(sys.argv[1])).encode('utf-8'))")
    proc = subprocess.run([sys.executable, "-c", code, str(source)], env=env, capture_output=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"HTML generation failed:\n{proc.stderr.decode('utf-8', 'replace')}")
    return proc.stdout.decode("utf-8")


def _render_html_here(source: Path) -> str:
    """Render the HTML documentation in this interpreter (see render_html)."""
    try:
        from pylode import OntPub  # noqa: PLC0415 - optional dependency
    except Exception:  # pyLODE missing or broken (3.4.1's wheel fails at import)
        return _plain_html(load_source(source))
    # pyLODE logs at INFO on the root logger while loading; keep the command quiet.
    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
    graph = load_source(source)
    page = OntPub(ontology=_deterministic_graph(graph)).make_html()
    # pyLODE's OntPub profile does not document named individuals (the designation types and
    # agreement statuses): add a section in its markup before the namespaces.
    marker = '<div id="namespaces">'
    if marker in page:
        page = page.replace(marker, _individuals_html(graph) + marker, 1)
    return page


def _individuals_html(graph: Graph) -> str:
    """A pyLODE-styled section documenting the kh: named individuals."""
    terms = sorted((t for t in graph.subjects(RDF.type, OWL.NamedIndividual)
                    if str(t).startswith(str(KH))), key=lambda t: (_types_key(graph, t), str(t)))
    if not terms:
        return ""
    parts = ['<div id="individuals">', "<h2>Named Individuals</h2>"]
    for term in terms:
        types = ", ".join(_ref(graph, t) for t in sorted(graph.objects(term, RDF.type), key=str)
                          if t != OWL.NamedIndividual)
        parts += [
            f'<div class="property entity" id="{html.escape(_local(term))}">',
            f'<h3>{html.escape(_label(graph, term))} <sup class="sup-ni" title="OWL Named Individual">ni</sup></h3>',
            "<table>",
            f"<tr><th>IRI</th><td><code>{html.escape(str(term))}</code></td></tr>",
            f"<tr><th>Description</th><td><p>{html.escape(str(graph.value(term, SKOS.definition) or ''))}</p></td></tr>",
            f"<tr><th>Types</th><td>{types}</td></tr>",
            "</table>",
            "</div>",
        ]
    parts.append("</div>\n")
    return "\n".join(parts)


def _types_key(graph: Graph, term) -> str:
    """Sort key grouping individuals by their first kh: type."""
    return min((str(t) for t in graph.objects(term, RDF.type) if t != OWL.NamedIndividual), default="")


def parse_artifact(path: str | Path) -> Graph:
    """Parse a generated artifact into an rdflib graph (JSON-LD through pyoxigraph, RDF/XML through rdflib)."""
    path = Path(path)
    if path.suffix == ".jsonld":
        # rdflib's JSON-LD parser would fetch remote contexts and warns on this version;
        # pyoxigraph is an independent parser, and the round trip goes through N-Triples.
        import pyoxigraph  # noqa: PLC0415

        quads = pyoxigraph.parse(path.read_bytes(), format=pyoxigraph.RdfFormat.JSON_LD)
        nt = pyoxigraph.serialize([q.triple for q in quads], format=pyoxigraph.RdfFormat.N_TRIPLES)
        return Graph().parse(data=nt.decode("utf-8"), format="nt")
    return Graph().parse(path, format="xml")


def _deterministic_graph(graph: Graph) -> Graph:
    """The same graph with canonical blank-node labels, triples inserted in sorted order.

    pyLODE renders in the store's iteration order, and a parser labels blank nodes at random,
    so without this the HTML (e.g. the operands of an intersection) changes from run to run.
    """
    canonical = to_canonical_graph(graph)
    out = Graph(bind_namespaces="core")
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, replace=True)
    for triple in sorted(canonical, key=lambda t: tuple(f"{type(x).__name__}:{x}" for x in t)):
        out.add(triple)
    # pyLODE renders the operands of an intersection from a set of HTML elements, ordered by
    # object identity: the general class axioms "(A and B) SubClassOf C" would come out in a
    # different order on every run. Their meaning is stated in C's skos:scopeNote, so the
    # documentation leaves them out.
    for node in list(out.subjects(OWL.intersectionOf, None)):
        if isinstance(node, BNode):
            out.remove((node, RDFS.subClassOf, None))
    return out


def html_generator() -> str:
    """Name and version of what render_html uses here (for skip reasons and reports)."""
    try:
        from importlib.metadata import version

        from pylode import OntPub  # noqa: F401, PLC0415

        return f"pylode {version('pylode')}"
    except Exception:
        return "built-in"


def _label(graph: Graph, term) -> str:
    """The term's English label, else its local name."""
    for label in graph.objects(term, RDFS.label):
        return str(label)
    return _local(term)


def _local(term) -> str:
    """The local name of an IRI (after # or the last /)."""
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _ref(graph: Graph, term) -> str:
    """An HTML reference to a term: an anchor for kh: terms, a prefixed name otherwise."""
    if isinstance(term, BNode):
        return _class_expression(graph, term)
    if isinstance(term, URIRef) and str(term).startswith(str(KH)):
        return f'<a href="#{html.escape(_local(term))}">kh:{html.escape(_local(term))}</a>'
    try:
        return html.escape(graph.namespace_manager.normalizeUri(term))
    except Exception:
        return html.escape(str(term))


def _class_expression(graph: Graph, node: BNode) -> str:
    """A readable Manchester-like rendering of an anonymous class expression."""
    prop = graph.value(node, OWL.onProperty)
    if prop is not None:
        some = graph.value(node, OWL.someValuesFrom)
        if some is not None:
            return f"{_ref(graph, prop)} <em>some</em> {_ref(graph, some)}"
        value = graph.value(node, OWL.hasValue)
        if value is not None:
            return f"{_ref(graph, prop)} <em>value</em> {_ref(graph, value)}"
    for op, word in ((OWL.intersectionOf, "and"), (OWL.unionOf, "or")):
        members = graph.value(node, op)
        if members is not None:
            return "(" + f" <em>{word}</em> ".join(_ref(graph, m) for m in graph.items(members)) + ")"
    return "[anonymous]"


def _plain_html(graph: Graph) -> str:
    """A self-contained documentation page rendered from the graph with rdflib only."""
    onto = next(graph.subjects(RDF.type, OWL.Ontology))
    title = str(graph.value(onto, DCTERMS.title) or "Ontology")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
        "dt{font-weight:bold}section.term{border-top:1px solid #ccc;padding:.5em 0}"
        "code{background:#f4f4f4}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        "<dl>",
    ]
    for label, pred in (("IRI", None), ("Version IRI", OWL.versionIRI), ("Version", OWL.versionInfo),
                        ("Prior version", OWL.priorVersion), ("License", DCTERMS.license),
                        ("Creator", DCTERMS.creator), ("Description", DCTERMS.description)):
        value = onto if pred is None else graph.value(onto, pred)
        if value is not None:
            parts.append(f"<dt>{label}</dt><dd>{html.escape(str(value))}</dd>")
    parts.append("</dl>")
    sections = [
        ("Classes", OWL.Class),
        ("Object properties", OWL.ObjectProperty),
        ("Datatype properties", OWL.DatatypeProperty),
        ("Annotation properties", OWL.AnnotationProperty),
        ("Named individuals", OWL.NamedIndividual),
    ]
    for heading, kind in sections:
        terms = sorted((t for t in graph.subjects(RDF.type, kind)
                        if isinstance(t, URIRef) and str(t).startswith(str(KH))), key=str)
        if not terms:
            continue
        parts.append(f"<h2>{heading}</h2>")
        parts.append("<p>" + ", ".join(_ref(graph, t) for t in terms) + "</p>")
        for term in terms:
            parts.append(f'<section class="term" id="{html.escape(_local(term))}">')
            parts.append(f"<h3>{html.escape(_label(graph, term))} <code>kh:{html.escape(_local(term))}</code></h3>")
            parts.append(f"<p><code>{html.escape(str(term))}</code></p>")
            definition = graph.value(term, SKOS.definition)
            if definition is not None:
                parts.append(f"<p>{html.escape(str(definition))}</p>")
            rows = []
            for name, pred in (("Subclass of", RDFS.subClassOf), ("Subproperty of", RDFS.subPropertyOf),
                               ("Domain", RDFS.domain), ("Range", RDFS.range), ("Inverse of", OWL.inverseOf),
                               ("Type", RDF.type), ("Example", SKOS.example), ("Note", SKOS.scopeNote)):
                values = sorted(graph.objects(term, pred), key=str)
                if pred == RDF.type:
                    values = [v for v in values if v != kind]
                if values:
                    rendered = ", ".join(html.escape(str(v)) if isinstance(v, Literal) else _ref(graph, v)
                                         for v in values)
                    rows.append(f"<dt>{name}</dt><dd>{rendered}</dd>")
            chain = graph.value(term, OWL.propertyChainAxiom)
            if chain is not None:
                rows.append("<dt>Property chain</dt><dd>"
                            + " ∘ ".join(_ref(graph, p) for p in graph.items(chain)) + "</dd>")
            if rows:
                parts.append("<dl>" + "".join(rows) + "</dl>")
            parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def rl_core(graph: Graph | None = None) -> Graph:
    """The ontology's logical axioms only, for owlrl: no annotations, no entity declarations.

    owlrl's closure costs (triples x cycles), and labels, definitions and declarations are a
    third of the ontology's triples and add nothing an OWL RL rule uses (domain typing of the
    annotation-property dates is kept). Reasoning over data + rl_core() gives the same inferences
    about the data as data + the whole ontology, in about half the time
    (tests/ontology/test_inference.py checks both claims).
    """
    graph = load_source() if graph is None else graph
    annotation_props = set(graph.subjects(RDF.type, OWL.AnnotationProperty)) | {
        RDFS.label, RDFS.comment, RDFS.seeAlso, OWL.versionInfo, OWL.versionIRI, OWL.priorVersion}
    # Annotation properties that carry OWL RL meaning through rdfs:domain stay as subjects.
    declarations = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                    OWL.NamedIndividual, OWL.Ontology, RDFS.Datatype}
    core = Graph()
    for s, p, o in graph:
        if p in annotation_props:
            continue
        if p == RDF.type and o in declarations and isinstance(s, URIRef):
            continue
        core.add((s, p, o))
    return core


def generate(out_dir: str | Path = ONTOLOGY_DIR, *, source: str | Path = SOURCE) -> list[Path]:
    """Write khyber.owl, khyber.jsonld and khyber.html for SOURCE into OUT_DIR; return their paths."""
    out_dir = Path(out_dir)
    source = Path(source)
    out_dir.mkdir(parents=True, exist_ok=True)
    graph = load_source(source)
    texts = {
        "khyber.owl": render_owl(graph),
        "khyber.jsonld": render_jsonld(graph),
        "khyber.html": render_html(source),
    }
    paths = []
    for name in NAMES:
        path = out_dir / name
        path.write_text(texts[name], encoding="utf-8")
        paths.append(path)
    return paths


def stale(artifact_dir: str | Path = ONTOLOGY_DIR, *, source: str | Path = SOURCE,
          compare_html: bool = True) -> list[str]:
    """Names of the artifacts in ARTIFACT_DIR that differ from a fresh generation (graphs for RDF, text for HTML)."""
    artifact_dir = Path(artifact_dir)
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        generate(tmp, source=source)
        for name in ("khyber.owl", "khyber.jsonld"):
            committed = artifact_dir / name
            if not committed.exists():
                problems.append(f"{name}: missing")
                continue
            fresh = parse_artifact(Path(tmp) / name)
            if not isomorphic(parse_artifact(committed), fresh):
                problems.append(f"{name}: differs from {Path(source).name} as a graph")
        if compare_html:
            committed = artifact_dir / "khyber.html"
            if not committed.exists():
                problems.append("khyber.html: missing")
            elif committed.read_text(encoding="utf-8") != (Path(tmp) / "khyber.html").read_text(encoding="utf-8"):
                problems.append("khyber.html: text differs from a fresh generation")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Regenerate the ontology artifacts (or, with --check, report stale ones and exit 1)."""
    parser = argparse.ArgumentParser(prog="python -m loader.ontology_artifacts", description=main.__doc__)
    parser.add_argument("--out-dir", type=Path, default=ONTOLOGY_DIR, help="where to write (default: ontology/)")
    parser.add_argument("--source", type=Path, default=SOURCE, help="the Turtle source (default: ontology/khyber.ttl)")
    parser.add_argument("--check", action="store_true", help="only check that the artifacts in --out-dir are fresh")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale(args.out_dir, source=args.source)
        for p in problems:
            print(p, file=sys.stderr)
        return 1 if problems else 0
    for path in generate(args.out_dir, source=args.source):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
