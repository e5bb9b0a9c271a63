"""Running read-only SPARQL queries on the store safely, and formatting their results."""

from __future__ import annotations

import re
from dataclasses import dataclass

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

# Defaults of the limits (the server overrides them from its settings).
MAX_QUERY_LENGTH = 100_000
MAX_QUERY_NESTING = 64


class QueryError(ValueError):
    """A query that is malformed or not allowed; the message is safe to show to the user."""


class QueryRefused(QueryError):
    """A well-formed query that Khyber will not run (updates, remote or file access)."""


class UpdateRefused(QueryRefused):
    """A SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...): this is a read-only store."""


class QueryTooLarge(QueryError):
    """A query longer than the length limit."""


class QueryTooComplex(QueryError):
    """A query nested deeper than the nesting limit (deep nesting crashes the engines)."""


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_UPDATE_KEYWORDS = {"LOAD", "INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_FORBIDDEN = _UPDATE_KEYWORDS | {"SERVICE", "FROM"}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A word right after one of these is part of a name (?var, $var, prefix:local, a-b, "x"@lang), not a keyword.
# A dot is not among them: `?s ?p ?o.SERVICE <x> {}` is valid SPARQL.
_NAME_BEFORE = set("?$:_-@")


def unescape(text: str) -> str:
    """Apply SPARQL's \\u / \\U escapes, which the grammar allows anywhere in a query."""

    def char(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else "\ufffd"

    return _ESCAPE.sub(char, text)


@dataclass(frozen=True)
class Token:
    """A keyword-like word of the query outside strings, IRIs and comments, with its offset."""

    word: str
    offset: int


def scan(text: str) -> tuple[list[Token], int]:
    """Lex a (unescaped) query: the bare words outside strings, IRIs and comments, and the deepest bracket nesting.

    One left-to-right pass, so a quote inside a comment or an IRI cannot hide what follows it.
    """
    words: list[Token] = []
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            if text.startswith(c * 3, i):
                end = i + 3
                while True:
                    end = text.find(c * 3, end)
                    if end < 0:
                        end = n
                        break
                    if _escaped(text, end):
                        end += 1
                        continue
                    end += 3
                    break
                i = end
            else:
                j = i + 1
                while j < n and text[j] != c and text[j] != "\n":
                    j += 2 if text[j] == "\\" else 1
                i = j + 1
        elif c == "<" and _iri_end(text, i) > 0:
            i = _iri_end(text, i)
        elif c in "({[":
            depth += 1
            deepest = max(deepest, depth)
            i += 1
        elif c in ")}]":
            depth = max(0, depth - 1)
            i += 1
        elif c.isalpha() or c == "_":
            match = _WORD.match(text, i)
            if match is None:  # a word starting outside the keyword alphabet ("Àx"): never a keyword, skip it whole
                i = re.compile(r"\w+").match(text, i).end()
                continue
            end = match.end()
            before = text[i - 1] if i else " "
            after = text[end] if end < n else " "
            if before not in _NAME_BEFORE and not before.isalnum() and after != ":":
                words.append(Token(match.group().upper(), i))
            i = end
        else:
            i += 1
    return words, deepest


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - 1 - backslashes >= 0 and text[index - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")


def _iri_end(text: str, start: int) -> int:
    match = _IRIREF.match(text, start)
    return match.end() if match else -1


_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def check_query(text: str, *, max_length: int = MAX_QUERY_LENGTH, max_nesting: int = MAX_QUERY_NESTING) -> str | None:
    """Refuse updates, SERVICE and FROM / FROM NAMED whatever the spelling; refuse too long or too deep queries.

    Returns the query form (SELECT, ASK, CONSTRUCT or DESCRIBE; None if there is none: the engine will say
    what is wrong). Raises UpdateRefused, QueryRefused, QueryTooLarge or QueryTooComplex; messages are safe to show.
    """
    if len(text) > max_length:
        raise QueryTooLarge(f"the query is {len(text)} characters long; the limit is {max_length}")
    words, deepest = scan(unescape(text))
    if deepest > max_nesting:
        raise QueryTooComplex(f"the query nests brackets {deepest} deep; the limit is {max_nesting}")
    for token in words:
        if token.word in _FORBIDDEN:
            _refuse(token.word, f" (at character {token.offset})")
    return next((t.word for t in words if t.word in _FORMS), None)


def _refuse(keyword: str, where: str = ""):
    if keyword == "SERVICE":
        raise QueryRefused(f"SERVICE (federated query) is not allowed{where}: queries never leave this server")
    if keyword == "FROM":
        raise QueryRefused(f"FROM / FROM NAMED are not allowed{where}: the dataset is the local knowledge graph "
                           "(use GRAPH <...>, or the protocol's default-graph-uri / named-graph-uri, to pick graphs)")
    raise UpdateRefused(f"{keyword}{where}: updates are not allowed; this is a read-only endpoint")


def check_algebra(text: str) -> None:
    """Second opinion from rdflib's SPARQL parser: refuse a parsed SERVICE, dataset clause or update.

    Only for checking (the query runs on Oxigraph). Text rdflib cannot parse is left to Oxigraph's parser,
    which reports the syntax error; a RecursionError means the query is nested too deep.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except ParseException:
        return
    except RecursionError:
        raise QueryTooComplex("the query is nested too deeply to check") from None
    _walk(tree, 0)


def _walk(node, depth: int) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if depth > 10_000:
        raise QueryTooComplex("the query is nested too deeply to check")
    if isinstance(node, CompValue):
        name = node.name
        if name == "ServiceGraphPattern":
            _refuse("SERVICE")
        if name == "DatasetClause":
            _refuse("FROM")
        if name in ("Load", "Clear", "Drop", "Create", "Add", "Move", "Copy", "InsertData", "DeleteData",
                    "DeleteWhere", "Modify"):
            _refuse(name.upper())
        children = list(node.values())
    elif isinstance(node, (list, tuple)):
        children = list(node)
    elif hasattr(node, "asList") and not isinstance(node, str):
        children = list(node)
    else:
        return
    for child in children:
        _walk(child, depth + 1)


def execute(store: ox.Store, text: str, **options):
    """Check and run a query over the union of all graphs; raises QueryError on bad or refused queries."""
    check_query(text)
    try:
        # the default graph is the KG's de-duplicated union (see loader.store.materialize_union)
        return store.query(text, prefixes=PREFIXES, **options)
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
