"""RDF and SPARQL-results formats as data: media type, file extension, pyoxigraph format."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from xml.sax.saxutils import escape

import pyoxigraph as ox


@dataclass(frozen=True)
class RdfFormat:
    """One RDF syntax, shared by dumps, CONSTRUCT responses and the CLI."""

    name: str
    extension: str
    media_type: str
    ox_format: ox.RdfFormat
    rdflib_name: str
    quads: bool


RDF_FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("ttl", "ttl", "text/turtle", ox.RdfFormat.TURTLE, "turtle", False),
        RdfFormat("nt", "nt", "application/n-triples", ox.RdfFormat.N_TRIPLES, "nt", False),
        RdfFormat("trig", "trig", "application/trig", ox.RdfFormat.TRIG, "trig", True),
        RdfFormat("nq", "nq", "application/n-quads", ox.RdfFormat.N_QUADS, "nquads", True),
        RdfFormat("jsonld", "jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, "json-ld", True),
        RdfFormat("rdfxml", "rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML, "xml", False),
    )
}
DUMP_FORMATS = ("ttl", "nt", "trig", "nq", "jsonld")


@dataclass(frozen=True)
class ResultsFormat:
    """One SPARQL results syntax (SELECT/ASK)."""

    name: str
    media_type: str
    ox_format: ox.QueryResultsFormat


RESULTS_FORMATS: dict[str, ResultsFormat] = {
    f.name: f
    for f in (
        ResultsFormat("json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ResultsFormat("xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ResultsFormat("csv", "text/csv", ox.QueryResultsFormat.CSV),
        ResultsFormat("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
    )
}


def dump(store: ox.Store, fmt: RdfFormat, output) -> None:
    """Write the whole store (all graphs) in one format to a binary file-like object or path."""
    union = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    if fmt.quads:
        # The named graphs (ontology, reference, each article and its inferences); the default graph is
        # only their union (loader.store.materialize_union), so it is left out rather than written twice.
        quads = (q for q in store.quads_for_pattern(None, None, None, None)
                 if not isinstance(q.graph_name, ox.DefaultGraph))
        ox.serialize(quads, output, format=fmt.ox_format)
    elif next(iter(union), None) is not None:
        ox.serialize((q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())),
                     output, format=fmt.ox_format)
    else:
        # a store without the materialised union: de-duplicate the named graphs' triples here
        rows = store.query("SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        ox.serialize((ox.Triple(r[0], r[1], r[2]) for r in rows), output, format=fmt.ox_format)


# Other media types clients send for the same syntaxes (answered with the type they asked for).
RDF_ALIASES: dict[str, str] = {
    "application/x-turtle": "ttl",
    "text/n3": "ttl",  # Turtle is N3
    "application/turtle": "ttl",
    "text/plain": "nt",
    "application/x-trig": "trig",
    "text/x-nquads": "nq",
    "application/json": "jsonld",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
}
RESULTS_ALIASES: dict[str, str] = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
# Names accepted by the `format=` parameter (besides the canonical names and the media types).
RDF_NAMES: dict[str, str] = {"turtle": "ttl", "n3": "ttl", "ntriples": "nt", "n-triples": "nt", "nquads": "nq",
                             "json-ld": "jsonld", "rdf": "rdfxml", "xml": "rdfxml", "owl": "rdfxml"}
RESULTS_NAMES: dict[str, str] = {"srj": "json", "srx": "xml"}


def write_solutions(variables: list[str], rows: list[list], fmt: ResultsFormat) -> bytes:
    """Serialize SELECT rows (lists of pyoxigraph terms or None) in one SPARQL results format.

    Needed because a result set cut at the row cap is no longer a pyoxigraph QuerySolutions object.
    """
    if fmt.name == "json":
        return _solutions_json(variables, rows)
    if fmt.name == "xml":
        return _solutions_xml(variables, rows)
    if fmt.name == "csv":
        return _solutions_csv(variables, rows)
    return _solutions_tsv(variables, rows)


def write_boolean(value: bool, fmt: ResultsFormat) -> bytes:
    """Serialize an ASK answer in one SPARQL results format."""
    if fmt.name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt.name == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="{_SRX}"><head></head>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return (("true" if value else "false") + "\n").encode()  # CSV/TSV have no standard form for booleans


_SRX = "http://www.w3.org/2005/sparql-results#"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                            "predicate": _term_json(term.predicate),
                                            "object": _term_json(term.object)}}
    return {"type": "literal", "value": str(term)}


def _solutions_json(variables, rows) -> bytes:
    bindings = [{v: _term_json(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":")).encode()


def _term_xml(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f'<literal xml:lang="{escape(term.language)}">{escape(term.value)}</literal>'
        if term.datatype.value != _XSD_STRING:
            return f'<literal datatype="{escape(term.datatype.value)}">{escape(term.value)}</literal>'
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_term_xml(term.subject)}</subject><predicate>{_term_xml(term.predicate)}"
                f"</predicate><object>{_term_xml(term.object)}</object></triple>")
    return f"<literal>{escape(str(term))}</literal>"


def _solutions_xml(variables, rows) -> bytes:
    out = [f'<?xml version="1.0"?>\n<sparql xmlns="{_SRX}"><head>']
    out += [f'<variable name="{escape(v)}"/>' for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        out += [f'<binding name="{escape(v)}">{_term_xml(t)}</binding>' for v, t in zip(variables, row) if t is not None]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def _solutions_csv(variables, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if t is None else (f"_:{t.value}" if isinstance(t, ox.BlankNode) else
                         t.value if isinstance(t, (ox.NamedNode, ox.Literal)) else str(t)) for t in row])
    return buffer.getvalue().encode()


def _solutions_tsv(variables, rows) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()
