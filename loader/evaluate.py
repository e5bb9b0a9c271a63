"""Score a Khyber knowledge graph against hand-made gold annotations.

    python -m loader.evaluate --store DIR | --dump FILE [--gold tests/gold] [--json] [--verbose]

The KG is read only through SPARQL over the contract's and conventions' vocabulary, with the default
graph = the union of all graphs. Gold files are described in ``tests/gold/README.md``.

Articles: a gold file ``{"source_file": F, "index": n}`` is the ``kh:Article`` whose ``kh:sourceFile``
is ``"F#n"`` (or ``"F"`` when n = 1 and no ``"F#1"`` exists; failing both, the article whose
``kh:sourceFile`` starts with F and whose ``dcterms:title`` equals the gold title). A fact belongs to an article when it has
``prov:wasDerivedFrom`` the article. Entities (``group``, ``person``) belong to it when they have
``prov:wasDerivedFrom`` it, or occur (as subject or object) in the article's named graph or as the value
of a fact derived from it.

Names: a gold name (or any of a list of alternative names) matches a KG node when it equals any of the
node's ``rdfs:label`` / ``skos:altLabel`` after normalisation (casefold, accents folded, punctuation and
spaces dropped, a leading "the" dropped); for a ``kh:Person`` node also when both names have >= 2 words,
the same last word and one's words are a subset of the other's ("Ali Khan" ~ "Mohammad Ali Khan");
a ``kh:GovernmentBody`` node matches the state it is ``kh:governmentOf``. A node without labels is named
by the last segment of its IRI. Places also match any place they are ``kh:locatedIn`` (transitively).

Per-kind rules. A gold fact and a KG fact match when every *key* field that the gold fact gives (non-null)
agrees; other fields are informative. Facts are matched one-to-one (maximum bipartite matching per
article and kind); unmatched gold facts are misses, unmatched KG facts are spurious.

| kind        | KG class / triples                 | key fields (gold → KG)                                                |
|-------------|------------------------------------|-----------------------------------------------------------------------|
| holding     | kh:PositionHolding (or a bare      | person → kh:holder; position → title of kh:heldPosition (see below);  |
|             | `kh:holdsPosition` in the graph)   | of → kh:positionOf of that position                                   |
| meeting     | kh:Meeting and subclasses          | participants → kh:participant/coChair: >= 2 gold participants found,  |
|             | (kh:Dialogue)                      | or all of them if fewer; date → kh:date (or kh:startDate)             |
| visit       | kh:Visit                           | visitor → kh:visitor/participant; every destination →                 |
|             |                                    | kh:destination/location; start → kh:startDate; end → kh:endDate       |
| call        | kh:PhoneCall                       | participants (as meeting); date                                       |
| briefing    | kh:PressBriefing                   | spokesperson → kh:spokesperson/participant; if no spokesperson:       |
|             |                                    | body_or_state → a participant or the body of its post; date           |
| attack      | kh:Attack                          | place → kh:location OR date → kh:date (one of those given must agree);|
|             |                                    | perpetrator → kh:perpetrator; killed → kh:killed; injured → kh:injured|
| designation | kh:Designation                     | designee → kh:designee; by → kh:designatedBy; type →                  |
|             |                                    | kh:designationType; date                                              |
| agreement   | kh:Agreement                       | parties → kh:party (as participants); valueUSD → kh:valueUSD (±1%);   |
|             |                                    | status → kh:status (any of a list); date → date/startDate/endDate     |
| claim       | kh:Claim                           | claimant → kh:claimant; accused → kh:accused; deniedBy → kh:deniedBy  |
| affiliation | `?g kh:affiliateOf ?h` in the      | group → ?g; affiliateOf → ?h                                          |
|             | article graph or on its facts      |                                                                       |
| group       | kh:MilitantGroup mentioned         | name                                                                  |
| person      | kh:Person mentioned                | name                                                                  |

Dates agree when the lexical forms are equal (precision included: "2023" does not match "2023-10-02").
Numbers agree when equal. A position title agrees when, after dropping stop words ("of", "the", "for"),
"acting"/"former"/"retired", and the words of the state or body it belongs to (names and demonyms),
the gold and KG word sets are equal or one contains the other with extra words that are not rank
modifiers ("deputy", "vice", "assistant", "under", "prime", ...). "kind" and "type" fields are not keys.

Scores: precision, recall and F1 per kind and overall (micro-averaged), on *all* gold facts and on
*core* gold facts (``"hard": true`` ones left out; a KG fact matched to a hard gold fact is then neither
a hit nor spurious).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pyoxigraph as ox

KH = "https://w3id.org/khyber/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"

PREFIXES = f"""
PREFIX kh: <{KH}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
PREFIX prov: <{PROV}>
PREFIX dcterms: <{DCT}>
"""

KINDS = (
    "holding", "meeting", "visit", "call", "briefing", "attack",
    "designation", "agreement", "claim", "affiliation", "group", "person",
)

#: the KG class of each node-based kind (subclasses declared in the store count too)
KIND_CLASS = {
    "holding": KH + "PositionHolding",
    "meeting": KH + "Meeting",
    "visit": KH + "Visit",
    "call": KH + "PhoneCall",
    "briefing": KH + "PressBriefing",
    "attack": KH + "Attack",
    "designation": KH + "Designation",
    "agreement": KH + "Agreement",
    "claim": KH + "Claim",
}
#: subclasses known from the conventions even when the ontology is not in the store
KNOWN_SUBCLASSES = {KH + "Meeting": {KH + "Dialogue"}}
ENTITY_CLASS = {"group": KH + "MilitantGroup", "person": KH + "Person"}

#: key fields per kind (documented in the module docstring's table)
KEY_FIELDS = {
    "holding": ("person", "position", "of"),
    "meeting": ("participants", "date"),
    "visit": ("visitor", "destinations", "start", "end"),
    "call": ("participants", "date"),
    "briefing": ("spokesperson", "body_or_state", "date"),
    "attack": ("place", "date", "perpetrator", "killed", "injured"),
    "designation": ("designee", "by", "type", "date"),
    "agreement": ("parties", "valueUSD", "status", "date"),
    "claim": ("claimant", "accused", "deniedBy"),
    "affiliation": ("group", "affiliateOf"),
    "group": ("name",),
    "person": ("name",),
}

STOP_WORDS = {"of", "the", "for", "and", "s", "on", "to", "in"}
IGNORED_TITLE_WORDS = {"acting", "former", "retired", "then", "current", "incumbent", "ex"}
RANK_MODIFIERS = {
    "deputy", "vice", "assistant", "under", "prime", "associate", "additional", "joint",
    "principal", "senior", "junior", "chief", "special", "lieutenant", "major",
}
COMMON_DEMONYMS = {"us", "u", "usa", "american", "america"}


# --------------------------------------------------------------------------- normalisation

def norm(text: str) -> str:
    """casefold, fold accents, punctuation → space, collapse spaces, drop a leading 'the'."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("’", "'").replace("'s ", " ")
    text = re.sub(r"[^0-9a-z]+", " ", text).strip()
    if text.startswith("the ") and len(text) > 4:
        text = text[4:]
    return text


def squash(text: str) -> str:
    return norm(text).replace(" ", "")


def alternatives(slot: Any) -> list[str]:
    """A gold name slot: a string or a list of alternative names; [] when null."""
    if slot is None:
        return []
    if isinstance(slot, str):
        return [slot]
    return [s for s in slot if isinstance(s, str)]


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


# --------------------------------------------------------------------------- the KG side

def _term_key(term: Any) -> Any:
    """A hashable Python value for a pyoxigraph term: str for IRIs, ('_', id) for blank nodes,
    ('lit', value, datatype) for literals."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return ("_", term.value)
    if isinstance(term, ox.Literal):
        return ("lit", term.value, term.datatype.value if term.datatype else None)
    return str(term)


def _is_lit(v: Any) -> bool:
    return isinstance(v, tuple) and v and v[0] == "lit"


class KG:
    """Read-only SPARQL view of the store with caches."""

    def __init__(self, store: ox.Store):
        self.store = store
        self._props: dict[str, dict[str, set]] = {}
        self.labels: dict[Any, list[str]] = {}
        for row in self.select("SELECT ?s ?l WHERE { ?s rdfs:label|skos:altLabel ?l }"):
            self.labels.setdefault(row["s"], []).append(row["l"][1])
        self.types: dict[Any, set[str]] = {}
        for row in self.select("SELECT ?s ?c WHERE { ?s a ?c }"):
            if isinstance(row["c"], str):
                self.types.setdefault(row["s"], set()).add(row["c"])
        self.subclasses: dict[str, set[str]] = {}
        for row in self.select("SELECT ?c ?d WHERE { ?c rdfs:subClassOf ?d }"):
            if isinstance(row["c"], str) and isinstance(row["d"], str):
                self.subclasses.setdefault(row["d"], set()).add(row["c"])
        for sup, subs in KNOWN_SUBCLASSES.items():
            self.subclasses.setdefault(sup, set()).update(subs)
        self.located_in: dict[Any, set] = {}
        for row in self.select("SELECT ?s ?o WHERE { ?s kh:locatedIn ?o }"):
            self.located_in.setdefault(row["s"], set()).add(row["o"])
        self.government_of: dict[Any, set] = {}
        for row in self.select("SELECT ?s ?o WHERE { ?s kh:governmentOf ?o }"):
            self.government_of.setdefault(row["s"], set()).add(row["o"])
        self.demonyms: dict[Any, set[str]] = {}
        for row in self.select("SELECT ?s ?d WHERE { ?s kh:demonym ?d }"):
            self.demonyms.setdefault(row["s"], set()).add(norm(row["d"][1]))

    def select(self, query: str) -> list[dict[str, Any]]:
        result = self.store.query(PREFIXES + query, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        rows = []
        for sol in result:
            row = {}
            for n in names:
                t = sol[n]
                if t is not None:
                    row[n] = _term_key(t)
            rows.append(row)
        return rows

    # -- per-node helpers
    def props(self, node: Any) -> dict[str, set]:
        """All (predicate → values) of an IRI node (blank nodes: only what was prefetched)."""
        if node in self._props:
            return self._props[node]
        out: dict[str, set] = {}
        if isinstance(node, str):
            for row in self.select(f"SELECT ?p ?o WHERE {{ <{node}> ?p ?o }}"):
                out.setdefault(row["p"], set()).add(row["o"])
        self._props[node] = out
        return out

    def prefetch(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self._props.setdefault(row["f"], {}).setdefault(row["p"], set()).add(row["o"])

    def classes_under(self, cls: str) -> set[str]:
        seen, todo = {cls}, [cls]
        while todo:
            for sub in self.subclasses.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        return seen

    def is_a(self, node: Any, cls: str) -> bool:
        return bool(self.types.get(node, set()) & self.classes_under(cls))

    def names(self, node: Any) -> list[str]:
        if _is_lit(node):
            return [node[1]]
        labels = self.labels.get(node)
        if labels:
            return labels
        if isinstance(node, str):
            return [local_name(node).replace("-", " ").replace("_", " ")]
        return []

    def ancestors(self, node: Any) -> set:
        seen, todo = set(), [node]
        while todo:
            for up in self.located_in.get(todo.pop(), ()):
                if up not in seen:
                    seen.add(up)
                    todo.append(up)
        return seen

    def describe(self, node: Any) -> str:
        """Short human-readable summary of a KG fact node."""
        parts = []
        skip = {RDF_TYPE, PROV + "wasDerivedFrom", KH + "evidence", KH + "evidenceStart",
                KH + "evidenceEnd", KH + "extractionRule", KH + "confidence"}
        types = sorted(local_name(t) for t in self.types.get(node, ()) if t.startswith(KH))
        for p, vals in sorted(self.props(node).items()):
            if p in skip:
                continue
            shown = sorted(self.show(v) for v in vals)
            parts.append(f"{local_name(p)}={'|'.join(shown)}")
        return f"{'/'.join(types) or '?'} {node if isinstance(node, str) else ''} " + "; ".join(parts)

    def show(self, v: Any) -> str:
        if _is_lit(v):
            return repr(v[1][:60])
        names = self.names(v)
        return names[0] if names else str(v)


# --------------------------------------------------------------------------- matching

class Matcher:
    def __init__(self, kg: KG):
        self.kg = kg

    # -- entities
    def entity(self, slot: Any, node: Any, _depth: int = 0) -> bool:
        alts = alternatives(slot)
        if not alts or node is None:
            return False
        kg = self.kg
        gold_sq = {squash(a) for a in alts}
        names = kg.names(node)
        if any(squash(n) in gold_sq for n in names):
            return True
        if kg.is_a(node, KH + "Person"):
            for a in alts:
                ga = norm(a).split()
                for n in names:
                    ka = norm(n).split()
                    if len(ga) >= 2 and len(ka) >= 2 and ga[-1] == ka[-1] and (
                            set(ga) <= set(ka) or set(ka) <= set(ga)):
                        return True
        if _depth == 0:
            for state in kg.government_of.get(node, ()):
                if self.entity(slot, state, 1):
                    return True
        return False

    def place(self, slot: Any, node: Any) -> bool:
        if self.entity(slot, node):
            return True
        return any(self.entity(slot, up) for up in self.kg.ancestors(node))

    def any_entity(self, slot: Any, nodes: Iterable[Any]) -> bool:
        return any(self.entity(slot, n) for n in nodes)

    def count_found(self, slots: list, nodes: set) -> tuple[int, int]:
        slots = [s for s in slots if alternatives(s)]
        found = sum(1 for s in slots if self.any_entity(s, nodes))
        return found, len(slots)

    def group_ok(self, slots: list, nodes: set) -> bool:
        found, total = self.count_found(slots, nodes)
        return total == 0 or found >= 2 or found == total

    # -- literals
    @staticmethod
    def date(gold: Any, values: Iterable[Any]) -> bool:
        """gold: an ISO date string, or a list of acceptable ones."""
        golds = {str(g).strip() for g in (gold if isinstance(gold, list) else [gold])}
        for v in values:
            if _is_lit(v):
                lex = v[1].strip()
                lex = lex.split("T")[0] if "T" in lex else lex
                lex = re.sub(r"(Z|[+-]\d\d:\d\d)$", "", lex)
                if lex in golds:
                    return True
        return False

    @staticmethod
    def number(gold: Any, values: Iterable[Any], tolerance: float = 0.0) -> bool:
        for v in values:
            if _is_lit(v):
                try:
                    x = float(v[1])
                except ValueError:
                    continue
                if abs(x - float(gold)) <= tolerance * abs(float(gold)) + 1e-9:
                    return True
        return False

    def individual(self, gold: Any, values: Iterable[Any]) -> bool:
        """Status / designation type: gold local name(s) vs KG IRI local name or labels."""
        golds = {squash(g) for g in alternatives(gold)}
        for v in values:
            cands = list(self.kg.names(v)) if not _is_lit(v) else [v[1]]
            if isinstance(v, str):
                cands.append(local_name(v))
            if any(squash(c) in golds for c in cands):
                return True
        return False

    # -- positions
    def _of_words(self, of_slot: Any, position: Any) -> set[str]:
        words = set(COMMON_DEMONYMS)
        for a in alternatives(of_slot):
            words |= set(norm(a).split())
        nodes = set(self.kg.props(position).get(KH + "positionOf", ()))
        for n in list(nodes):
            nodes |= self.kg.government_of.get(n, set())
        for n in nodes:
            for name in self.kg.names(n):
                words |= set(norm(name).split())
            for d in self.kg.demonyms.get(n, ()):
                words |= set(d.split())
        if alternatives(of_slot):
            for state, dems in self.kg.demonyms.items():
                if self.entity(of_slot, state):
                    for d in dems:
                        words |= set(d.split())
        return words

    def _title_words(self, text: str, drop: set[str]) -> set[str]:
        return {w for w in norm(text).split() if w not in STOP_WORDS | IGNORED_TITLE_WORDS | drop}

    def position(self, gold_title: Any, of_slot: Any, position: Any) -> bool:
        kg = self.kg
        props = kg.props(position)
        cands = [v[1] for v in props.get(KH + "positionTitle", ()) if _is_lit(v)]
        cands += kg.names(position)
        drop = self._of_words(of_slot, position)
        for g in alternatives(gold_title):
            gw = self._title_words(g, drop)
            if not gw:
                continue
            for c in cands:
                kw = self._title_words(c, drop)
                if not kw:
                    continue
                if gw == kw:
                    return True
                if (gw <= kw or kw <= gw) and not ((gw ^ kw) & RANK_MODIFIERS):
                    return True
        return False

    def position_of(self, of_slot: Any, position: Any) -> bool:
        kg = self.kg
        owners = kg.props(position).get(KH + "positionOf", set())
        if owners:
            return self.any_entity(of_slot, owners)
        # no kh:positionOf: accept the state's name or demonym inside the position's label
        label_words = set()
        for n in kg.names(position):
            label_words |= set(norm(n).split())
        for a in alternatives(of_slot):
            if set(norm(a).split()) <= label_words:
                return True
        for state, dems in kg.demonyms.items():
            if self.entity(of_slot, state) and any(set(d.split()) <= label_words for d in dems):
                return True
        return False

    # -- per kind
    def match(self, kind: str, g: dict, f: "KGFact") -> bool:
        return getattr(self, "m_" + kind)(g, f)

    def m_holding(self, g: dict, f: "KGFact") -> bool:
        if not self.any_entity(g.get("person"), f.get(KH + "holder")):
            return False
        for pos in f.get(KH + "heldPosition"):
            if g.get("position") is not None and not self.position(g["position"], g.get("of"), pos):
                continue
            if g.get("of") is not None and not self.position_of(g["of"], pos):
                continue
            return True
        return False

    def _participants(self, f: "KGFact") -> set:
        return f.get(KH + "participant", KH + "coChair", KH + "visitor", KH + "spokesperson")

    def _dated(self, g: dict, f: "KGFact", key: str = "date") -> bool:
        if g.get(key) is None:
            return True
        return self.date(g[key], f.get(KH + "date") or f.get(KH + "startDate"))

    def m_meeting(self, g: dict, f: "KGFact") -> bool:
        parts = g.get("participants") or []
        if parts and not self.group_ok(parts, self._participants(f)):
            return False
        return self._dated(g, f)

    m_call = m_meeting

    def m_visit(self, g: dict, f: "KGFact") -> bool:
        if g.get("visitor") is not None and not self.any_entity(g["visitor"], self._participants(f)):
            return False
        dests = f.get(KH + "destination", KH + "location")
        for d in g.get("destinations") or []:
            if alternatives(d) and not any(self.place(d, n) for n in dests):
                return False
        if g.get("start") is not None and not self.date(
                g["start"], f.get(KH + "startDate") or f.get(KH + "date")):
            return False
        if g.get("end") is not None and not self.date(g["end"], f.get(KH + "endDate")):
            return False
        return True

    def m_briefing(self, g: dict, f: "KGFact") -> bool:
        people = self._participants(f)
        if g.get("spokesperson") is not None:
            if not self.any_entity(g["spokesperson"], people):
                return False
        elif g.get("body_or_state") is not None:
            owners = set(people)
            for p in people:
                for pos in self.kg.props(p).get(KH + "holdsPosition", ()):
                    owners |= self.kg.props(pos).get(KH + "positionOf", set())
            if not self.any_entity(g["body_or_state"], owners):
                return False
        return self._dated(g, f)

    def m_attack(self, g: dict, f: "KGFact") -> bool:
        has_place, has_date = bool(alternatives(g.get("place"))), g.get("date") is not None
        if has_place or has_date:
            place_ok = has_place and any(self.place(g["place"], n) for n in f.get(KH + "location"))
            date_ok = has_date and self.date(g["date"], f.get(KH + "date") or f.get(KH + "startDate"))
            if not (place_ok or date_ok):
                return False
        elif g.get("perpetrator") is None and g.get("killed") is None:
            return False
        if g.get("perpetrator") is not None and not self.any_entity(
                g["perpetrator"], f.get(KH + "perpetrator")):
            return False
        for key in ("killed", "injured"):
            if g.get(key) is not None and not self.number(g[key], f.get(KH + key)):
                return False
        return True

    def m_designation(self, g: dict, f: "KGFact") -> bool:
        if not self.any_entity(g.get("designee"), f.get(KH + "designee")):
            return False
        if g.get("by") is not None and not self.any_entity(g["by"], f.get(KH + "designatedBy")):
            return False
        if g.get("type") is not None and not self.individual(g["type"], f.get(KH + "designationType")):
            return False
        return self._dated(g, f)

    def m_agreement(self, g: dict, f: "KGFact") -> bool:
        parties = g.get("parties") or []
        if parties and not self.group_ok(parties, f.get(KH + "party", KH + "participant")):
            return False
        if g.get("valueUSD") is not None and not self.number(g["valueUSD"], f.get(KH + "valueUSD"), 0.01):
            return False
        if g.get("status") is not None and not self.individual(g["status"], f.get(KH + "status")):
            return False
        if g.get("date") is not None and not self.date(
                g["date"], f.get(KH + "date", KH + "startDate", KH + "endDate")):
            return False
        return True

    def m_claim(self, g: dict, f: "KGFact") -> bool:
        given = [k for k in ("claimant", "accused", "deniedBy") if alternatives(g.get(k))]
        if not given:
            return False
        return all(self.any_entity(g[k], f.get(KH + k)) for k in given)

    def m_affiliation(self, g: dict, f: "KGFact") -> bool:
        return self.entity(g.get("group"), f.node[0]) and self.entity(g.get("affiliateOf"), f.node[1])

    def m_group(self, g: dict, f: "KGFact") -> bool:
        return self.entity(g.get("name"), f.node)

    m_person = m_group


# --------------------------------------------------------------------------- facts

@dataclass
class KGFact:
    kind: str
    node: Any
    kg: KG

    def get(self, *preds: str) -> set:
        out: set = set()
        props = self.kg.props(self.node) if not isinstance(self.node, tuple) or self.node[0] == "_" else {}
        for p in preds:
            out |= props.get(p, set())
        return out

    def describe(self) -> str:
        if self.kind == "affiliation":
            return f"{self.kg.show(self.node[0])} affiliateOf {self.kg.show(self.node[1])}"
        if self.kind in ENTITY_CLASS:
            return f"{self.kg.show(self.node)} <{self.node}>"
        return self.kg.describe(self.node)


@dataclass
class GoldArticle:
    path: Path
    source_file: str
    index: int
    title: str | None
    date: str | None
    facts: dict[str, list[dict]]

    @property
    def key(self) -> str:
        return f"{self.source_file}#{self.index}"


def _gold_item(kind: str, item: Any) -> dict:
    if kind in ENTITY_CLASS:
        if isinstance(item, dict):
            return {"name": item.get("name"), "hard": bool(item.get("hard"))}
        return {"name": item, "hard": False}
    return item


def load_gold(gold_dir: str | Path) -> list[GoldArticle]:
    """Every ``*.json`` under gold_dir (recursively) that is a gold file (has ``facts``)."""
    out = []
    for path in sorted(Path(gold_dir).rglob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if not isinstance(data, dict) or "facts" not in data or "source_file" not in data:
            continue
        facts = {k: [_gold_item(k, it) for it in (data["facts"].get(k) or [])] for k in KINDS}
        out.append(GoldArticle(path, data["source_file"], int(data.get("index") or 1),
                               data.get("title"), data.get("date"), facts))
    return out


# --------------------------------------------------------------------------- report

@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        if self.tp + self.fp:
            return self.tp / (self.tp + self.fp)
        return 1.0 if self.fn == 0 else 0.0

    @property
    def recall(self) -> float:
        if self.tp + self.fn:
            return self.tp / (self.tp + self.fn)
        return 1.0 if self.fp == 0 else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Report:
    per_kind: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    core_per_kind: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    misses: list[dict] = field(default_factory=list)
    spurious: list[dict] = field(default_factory=list)
    missing_articles: list[str] = field(default_factory=list)
    articles: int = 0

    @property
    def overall(self) -> Counts:
        total = Counts()
        for c in self.per_kind.values():
            total.add(c)
        return total

    @property
    def core_overall(self) -> Counts:
        total = Counts()
        for c in self.core_per_kind.values():
            total.add(c)
        return total

    def to_dict(self) -> dict:
        return {
            "articles": self.articles,
            "missing_articles": self.missing_articles,
            "overall": self.overall.to_dict(),
            "core_overall": self.core_overall.to_dict(),
            "per_kind": {k: c.to_dict() for k, c in self.per_kind.items()},
            "core_per_kind": {k: c.to_dict() for k, c in self.core_per_kind.items()},
            "misses": self.misses,
            "spurious": self.spurious,
        }

    def format_table(self, verbose: bool = False) -> str:
        head = (f"{'kind':<12} {'gold':>5} {'kg':>5} {'tp':>4} {'P':>6} {'R':>6} {'F1':>6}"
                f"   {'core:gold':>9} {'P':>6} {'R':>6} {'F1':>6}")
        lines = [f"articles scored: {self.articles}"
                 + (f" (not found in KG: {', '.join(self.missing_articles)})" if self.missing_articles else ""),
                 head, "-" * len(head)]

        def row(name: str, c: Counts, k: Counts) -> str:
            return (f"{name:<12} {c.tp + c.fn:>5} {c.tp + c.fp:>5} {c.tp:>4} {c.precision:>6.3f} "
                    f"{c.recall:>6.3f} {c.f1:>6.3f}   {k.tp + k.fn:>9} {k.precision:>6.3f} "
                    f"{k.recall:>6.3f} {k.f1:>6.3f}")

        for kind in KINDS:
            lines.append(row(kind, self.per_kind[kind], self.core_per_kind[kind]))
        lines.append("-" * len(head))
        lines.append(row("overall", self.overall, self.core_overall))
        if verbose:
            lines.append("")
            lines.append(f"misses ({len(self.misses)}):")
            for m in self.misses:
                flag = " [hard]" if m["hard"] else ""
                lines.append(f"  {m['article']:<32} {m['kind']:<11}{flag} {json.dumps(m['gold'], ensure_ascii=False)}")
            lines.append(f"spurious ({len(self.spurious)}):")
            for s in self.spurious:
                lines.append(f"  {s['article']:<32} {s['kind']:<11} {s['fact']}")
        return "\n".join(lines)


# --------------------------------------------------------------------------- evaluation

def _max_matching(n_gold: int, n_kg: int, ok: list[list[bool]]) -> dict[int, int]:
    """Kuhn's augmenting paths; returns gold index → kg index. Non-hard gold facts go first."""
    match_kg: dict[int, int] = {}

    def try_gold(i: int, seen: set[int]) -> bool:
        for j in range(n_kg):
            if ok[i][j] and j not in seen:
                seen.add(j)
                if j not in match_kg or try_gold(match_kg[j], seen):
                    match_kg[j] = i
                    return True
        return False

    for i in range(n_gold):
        try_gold(i, set())
    return {i: j for j, i in match_kg.items()}


def _find_article(kg: KG, articles: dict[Any, dict], gold: GoldArticle) -> Any:
    by_sf: dict[str, list] = {}
    for node, info in articles.items():
        for sf in info["sf"]:
            by_sf.setdefault(sf, []).append(node)
    want = f"{gold.source_file}#{gold.index}"
    if by_sf.get(want):
        return by_sf[want][0]
    plain = by_sf.get(gold.source_file, [])
    if gold.title:
        # any article of that file (whatever the separator of its position) with the gold title
        for node in plain + [n for sf, ns in by_sf.items() if sf.startswith(gold.source_file) for n in ns]:
            if any(squash(t) == squash(gold.title) for t in articles[node]["title"]):
                return node
    if plain and gold.index == 1 and len(plain) == 1:
        return plain[0]
    return None


def _kg_facts(kg: KG, article: Any) -> dict[str, list[KGFact]]:
    a = f"<{article}>"
    rows = kg.select(f"SELECT ?f ?p ?o WHERE {{ ?f prov:wasDerivedFrom {a} . ?f ?p ?o }}")
    kg.prefetch(rows)
    derived = {r["f"] for r in rows}
    out: dict[str, list[KGFact]] = {k: [] for k in KINDS}
    for kind, cls in KIND_CLASS.items():
        for node in sorted(derived, key=str):
            if kg.is_a(node, cls):
                out[kind].append(KGFact(kind, node, kg))
    # bare holdsPosition triples without a reified holding
    reified = {(h, p) for f in out["holding"] for h in f.get(KH + "holder") for p in f.get(KH + "heldPosition")}
    bare = kg.select(f"SELECT ?s ?o WHERE {{ GRAPH {a} {{ ?s kh:holdsPosition ?o }} }}")
    for r in bare:
        if (r["s"], r["o"]) not in reified:
            reified.add((r["s"], r["o"]))
            node = ("_", f"holding:{r['s']}:{r['o']}")
            kg._props[node] = {KH + "holder": {r["s"]}, KH + "heldPosition": {r["o"]}}
            out["holding"].append(KGFact("holding", node, kg))
    # affiliations
    pairs = {(r["g"], r["h"]) for r in kg.select(
        f"SELECT ?g ?h WHERE {{ {{ GRAPH {a} {{ ?g kh:affiliateOf ?h }} }} UNION "
        f"{{ ?g prov:wasDerivedFrom {a} . ?g kh:affiliateOf ?h }} }}")}
    out["affiliation"] = [KGFact("affiliation", p, kg) for p in sorted(pairs, key=str)]
    # mentioned entities
    mentioned = set(derived)
    for r in kg.select(f"SELECT DISTINCT ?x WHERE {{ GRAPH {a} {{ {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }} }} }}"):
        mentioned.add(r["x"])
    for node in derived:
        for vals in kg.props(node).values():
            mentioned |= {v for v in vals if not _is_lit(v)}
    for kind, cls in ENTITY_CLASS.items():
        out[kind] = [KGFact(kind, n, kg) for n in sorted(mentioned, key=str)
                     if isinstance(n, str) and kg.is_a(n, cls)]
    return out


def open_kg(kg: ox.Store | str | Path) -> ox.Store:
    """A Store as is; a directory as a pyoxigraph store (or its ``current`` child); a file as a dump."""
    if isinstance(kg, ox.Store):
        return kg
    path = Path(kg)
    if path.is_dir():
        return ox.Store.read_only(str(find_store_dir(path)))
    return load_dump(path)


def find_store_dir(path: Path) -> Path:
    """The pyoxigraph (RocksDB) directory inside a store layout: DIR itself, DIR/current,
    or an ``oxigraph`` directory in either (the first that holds a RocksDB ``CURRENT`` file)."""
    candidates = [path, path / "current", path / "oxigraph", path / "current" / "oxigraph"]
    for cand in candidates:
        if (cand / "CURRENT").is_file():
            return cand.resolve()
    for cand in candidates[1:]:
        if cand.is_dir():
            return cand.resolve()
    return path.resolve()


FORMATS = {
    ".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".nquads": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML, ".n3": ox.RdfFormat.N3,
}


def load_dump(path: str | Path) -> ox.Store:
    path = Path(path)
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".gz":
        data = gzip.decompress(data)
        suffix = Path(path.stem).suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise ValueError(f"unknown RDF dump format: {path.name}")
    store = ox.Store()
    store.load(io.BytesIO(data), format=fmt)
    return store


def evaluate(kg: ox.Store | str | Path, gold_dir: str | Path = "tests/gold") -> Report:
    """Score the KG (a Store, a store directory or a dump file) against every gold file in gold_dir."""
    view = KG(open_kg(kg))
    matcher = Matcher(view)
    articles: dict[Any, dict] = {}
    for r in view.select("SELECT ?a ?sf ?t WHERE { ?a a kh:Article . "
                         "OPTIONAL { ?a kh:sourceFile ?sf } OPTIONAL { ?a dcterms:title ?t } }"):
        info = articles.setdefault(r["a"], {"sf": set(), "title": set()})
        if "sf" in r:
            info["sf"].add(r["sf"][1])
        if "t" in r:
            info["title"].add(r["t"][1])
    report = Report()
    for gold in load_gold(gold_dir):
        report.articles += 1
        node = _find_article(view, articles, gold)
        kg_facts = _kg_facts(view, node) if node is not None else {k: [] for k in KINDS}
        if node is None:
            report.missing_articles.append(gold.key)
        for kind in KINDS:
            golds = sorted(gold.facts[kind], key=lambda g: bool(g.get("hard")))
            preds = kg_facts[kind]
            ok = [[matcher.match(kind, g, f) for f in preds] for g in golds]
            pairs = _max_matching(len(golds), len(preds), ok)
            matched_kg = set(pairs.values())
            c, k = report.per_kind[kind], report.core_per_kind[kind]
            for i, g in enumerate(golds):
                hard = bool(g.get("hard"))
                if i in pairs:
                    c.tp += 1
                    k.tp += 0 if hard else 1
                else:
                    c.fn += 1
                    k.fn += 0 if hard else 1
                    report.misses.append({"article": gold.key, "kind": kind, "hard": hard, "gold": g})
            for j, f in enumerate(preds):
                if j not in matched_kg:
                    c.fp += 1
                    k.fp += 1
                    report.spurious.append({"article": gold.key, "kind": kind, "fact": f.describe()})
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loader.evaluate",
                                     description="Precision/recall/F1 of a Khyber KG against gold annotations.")
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument("--store", help="pyoxigraph store directory (or a directory with a 'current' store)")
    src.add_argument("--dump", help="RDF dump file (TriG, N-Quads, Turtle, ...; .gz allowed)")
    parser.add_argument("--gold", default="tests/gold", help="directory of gold JSON files (default tests/gold)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses and spurious facts")
    args = parser.parse_args(argv)
    try:
        report = evaluate(args.store or args.dump, args.gold)
    except (OSError, ValueError, SyntaxError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        print(report.format_table(verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
