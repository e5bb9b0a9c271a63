"""RDF and SPARQL-results formats as data: media type, file extension, pyoxigraph format."""

from __future__ import annotations

from dataclasses import dataclass

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
    if fmt.quads:
        store.dump(output, format=fmt.ox_format)
    else:
        # Triple formats cannot carry graph names: serialise the union of all graphs.
        quads = store.quads_for_pattern(None, None, None, None)
        ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), output, format=fmt.ox_format)
