"""Finding known entities (states, places, groups, bodies, organizations) in text by their names and aliases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import SKOS

from .namespaces import KH
from .resources import reference_graph

# The order says which kind wins when one entity has several types.
KIND_OF_CLASS = [
    (KH.State, "state"),
    (KH.MilitantGroup, "group"),
    (KH.GovernmentBody, "body"),
    (KH.InternationalOrganization, "org"),
    (KH.Province, "place"),
    (KH.City, "place"),
    (KH.Place, "place"),
    (KH.Organization, "org"),
]


@dataclass(frozen=True)
class Entry:
    """A known entity: IRI, kind and preferred label."""

    iri: URIRef
    kind: str
    label: str
    rdf_type: URIRef


@dataclass(frozen=True)
class Mention:
    """A span of text naming a known entity; `via` says how (label, alias, demonym, metonym)."""

    start: int
    end: int
    text: str
    entry: Entry
    via: str


class Gazetteer:
    """An index of the reference data's names, matched as whole words."""

    def __init__(self, graph=None):
        graph = reference_graph() if graph is None else graph
        self.entries: dict[URIRef, Entry] = {}
        names: dict[str, list[tuple[Entry, str]]] = {}
        for rdf_type, kind in KIND_OF_CLASS:
            for iri in graph.subjects(RDF.type, rdf_type):
                if iri in self.entries or not isinstance(iri, URIRef):
                    continue
                label = graph.value(iri, RDFS.label)
                if label is None:
                    continue
                self.entries[iri] = Entry(iri, kind, str(label), rdf_type)
        for iri, entry in self.entries.items():
            names.setdefault(entry.label, []).append((entry, "label"))
            for alias in graph.objects(iri, SKOS.altLabel):
                names.setdefault(str(alias), []).append((entry, "alias"))
            for demonym in graph.objects(iri, KH.demonym):
                names.setdefault(str(demonym), []).append((entry, "demonym"))
        self.metonyms: dict[URIRef, URIRef] = {
            city: state for city, state in graph.subject_objects(KH.metonymFor) if state in self.entries
        }
        self.generic_names: dict[str, list[Entry]] = {}
        for iri, generic in graph.subject_objects(KH.genericName):
            if iri in self.entries:
                self.generic_names.setdefault(str(generic).lower(), []).append(self.entries[iri])
        self.affiliate_of = {g: p for g, p in graph.subject_objects(KH.affiliateOf)}
        direct: dict[URIRef, set] = {}
        for place, container in graph.subject_objects(KH.locatedIn):
            direct.setdefault(place, set()).add(container)
        self.located_in: dict[URIRef, frozenset] = {p: frozenset(_closure(p, direct)) for p in direct}
        self.government_of = {b: s for b, s in graph.subject_objects(KH.governmentOf)}
        self._names = names
        self._exact, self._folded = self._compile(names)

    @staticmethod
    def _compile(names: dict[str, list]) -> tuple[re.Pattern | None, re.Pattern | None]:
        # Acronyms and dotted forms ("US", "U.S.", "TTP") match only as written; other names in any case.
        exact = sorted((n for n in names if _is_acronym(n)), key=len, reverse=True)
        folded = sorted((n for n in names if not _is_acronym(n)), key=len, reverse=True)

        def build(items, flags):
            if not items:
                return None
            body = "|".join(re.escape(n).replace(r"\ ", r"[\s\-]+") for n in items)
            return re.compile(rf"(?<![\w\-])(?:{body})(?![\w]|-(?!{_COMPOUND_SUFFIXES}\b)\w)", flags)

        return build(exact, 0), build(folded, re.IGNORECASE)

    def lookup(self, name: str) -> list[tuple[Entry, str]]:
        """The entries a name (as written) refers to, with how."""
        if name in self._names:
            return self._names[name]
        lowered = name.lower()
        return next((v for k, v in self._names.items() if k.lower() == lowered and not _is_acronym(k)), [])

    def _names_of(self, candidates) -> list[str]:
        iris = {entry.iri for entry, _ in candidates}
        return [name for name, entries in self._names.items() if any(e.iri in iris for e, _ in entries)]

    def find(self, text: str) -> list[Mention]:
        """All non-overlapping mentions of known entities in a text, longest first, in order."""
        found: list[Mention] = []
        for pattern in (self._exact, self._folded):
            if pattern is None:
                continue
            for match in pattern.finditer(text):
                written = match.group(0)
                candidates = self.lookup(" ".join(written.replace("-", " ").split())) or self.lookup(written)
                if pattern is self._folded and not written[:1].isupper() and not any(
                        _starts_lowercase(name) for name in self._names_of(candidates)):
                    continue  # proper names are capitalised ("afghan" in running text is not one; "al-Qaeda" is)
                if not candidates:
                    continue
                entry, via = _preferred(candidates)
                found.append(Mention(match.start(), match.end(), written, entry, via))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        result: list[Mention] = []
        for mention in found:
            if result and mention.start < result[-1].end:
                continue
            result.append(mention)
        return result


def _closure(start, direct: dict) -> set:
    """Every place a place lies in, following kh:locatedIn transitively."""
    seen: set = set()
    todo = list(direct.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(direct.get(node, ()))
    return seen


def _preferred(candidates: list[tuple[Entry, str]]) -> tuple[Entry, str]:
    rank = {"state": 0, "group": 1, "org": 2, "body": 3, "place": 4}
    via_rank = {"label": 0, "alias": 1, "demonym": 2}
    return min(candidates, key=lambda c: (via_rank.get(c[1], 3), rank.get(c[0].kind, 9)))


# "al-Qaeda-linked", "Somalia-based": a name followed by one of these is still that name.
_COMPOUND_SUFFIXES = r"(?:linked|affiliated|aligned|allied|backed|inspired|led|based|born|run|sponsored|funded|trained|style)"


def _starts_lowercase(name: str) -> bool:
    return name[:1].islower()


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and len(name) <= 8 and all(c.isupper() for c in letters)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer over the bundled reference data (built once per process)."""
    return Gazetteer()
