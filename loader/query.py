"""Running read-only SPARQL queries on the store safely, and formatting their results."""

from __future__ import annotations

import re

import pyoxigraph as ox

from .formats import RDF_FORMATS, RESULTS_FORMATS

PREFIXES = {
    "kh": "https://w3id.org/khyber/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
}


class QueryError(ValueError):
    """A query that is malformed or not allowed; the message is safe to show to the user."""


class QueryRefused(QueryError):
    """A well-formed query that Khyber will not run (updates, remote or file access)."""


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_COMMENT = re.compile(r"#[^\n]*")
_STRING = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"", re.S)
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_FORBIDDEN = re.compile(
    r"(?<![\w:?$])(SERVICE|LOAD|INSERT|DELETE|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH|FROM)\b(?!:)", re.I
)


def unescape(text: str) -> str:
    """Apply SPARQL's \\u / \\U escapes, which the grammar allows anywhere in a query."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def check_query(text: str) -> None:
    """Refuse updates, SERVICE, and FROM/FROM NAMED dataset loading, whatever the spelling."""
    code = _STRING.sub('""', _IRI.sub("<>", unescape(text)))
    code = _COMMENT.sub(" ", code)
    match = _FORBIDDEN.search(code)
    if not match:
        return
    keyword = match.group(1).upper()
    if keyword == "SERVICE":
        raise QueryRefused("SERVICE (federated query) is not allowed: queries never leave this server")
    if keyword == "FROM":
        raise QueryRefused("FROM / FROM NAMED are not allowed: the dataset is the local knowledge graph "
                           "(use GRAPH <...> to pick a named graph)")
    raise QueryRefused(f"{keyword}: updates are not allowed; this is a read-only endpoint")


def execute(store: ox.Store, text: str, **options):
    """Check and run a query over the union of all graphs; raises QueryError on bad or refused queries."""
    check_query(text)
    try:
        return store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES, **options)
    except SyntaxError as err:
        raise QueryError(f"syntax error: {err}") from None


def run_query(store: ox.Store, text: str, fmt: str | None = None) -> str:
    """Run a query and format its results as text (a table by default)."""
    result = execute(store, text)
    if isinstance(result, ox.QueryTriples):
        rdf = RDF_FORMATS["nt" if fmt == "nt" else "ttl"]
        return ox.serialize(result, format=rdf.ox_format, prefixes=PREFIXES).decode("utf-8")
    if isinstance(result, ox.QueryBoolean):
        return ("true" if bool(result) else "false") + "\n"
    if fmt in RESULTS_FORMATS:
        return result.serialize(format=RESULTS_FORMATS[fmt].ox_format).decode("utf-8")
    return _table(result)


def _table(solutions: ox.QuerySolutions) -> str:
    names = [v.value for v in solutions.variables]
    rows = [[_short(s[n]) for n in names] for s in solutions]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in rows]
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines) + "\n"


def _short(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)
