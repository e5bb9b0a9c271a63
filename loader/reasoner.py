"""OWL RL for one article at a time, with the ontology compiled once: owlrl's closure, computed fast.

owlrl re-derives the ontology's own closure for every article and re-scans every triple on each of
its cycles (~2 s an article). Here the ontology's closure T* is computed once, by owlrl itself, and
its axioms are compiled into lookup tables; an article's triples are then closed semi-naively (each
new triple is joined once against what is known). The result is the same set of triples owlrl
computes for ontology + article + context: `tests/perf/test_reasoner.py` compares the two on every
article we have.

Anything the compiled rules do not cover (owl:sameAs, functional or inverse-functional properties,
keys, cardinalities, allValuesFrom, schema triples in the data, or an inconsistency owlrl would
report as an error triple) makes `closure()` return None and the caller falls back to owlrl.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import owlrl
from rdflib import BNode, Graph, Literal
from owlrl.XsdDatatypes import OWL_RL_Datatypes
from rdflib.namespace import OWL, RDF, RDFS

_RL_DATATYPES = frozenset(OWL_RL_Datatypes)
TYPE, THING, NOTHING, SAME_AS = RDF.type, OWL.Thing, OWL.Nothing, OWL.sameAs

# Triples with these predicates are schema axioms: rules read them, so data must not add any.
SCHEMA_PREDICATES = frozenset({
    RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.equivalentClass,
    OWL.equivalentProperty, OWL.disjointWith, OWL.propertyDisjointWith, OWL.inverseOf,
    OWL.propertyChainAxiom, OWL.hasKey, OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.oneOf,
    OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue, OWL.onProperty, OWL.onClass,
    OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.members, OWL.distinctMembers, OWL.sameAs,
    OWL.differentFrom, OWL.sourceIndividual, OWL.assertionProperty, OWL.targetIndividual,
    OWL.targetValue, RDF.first, RDF.rest,
})
# rdf:type objects that trigger owlrl schema or property rules.
META_CLASSES = frozenset({
    OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property, OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty, OWL.IrreflexiveProperty, OWL.SymmetricProperty,
    OWL.AsymmetricProperty, OWL.TransitiveProperty, OWL.AllDisjointProperties, OWL.AllDisjointClasses,
    OWL.AllDifferent, OWL.Nothing,
})
# TBox features the compiled rules do not implement (owlrl is used when the ontology has any).
UNSUPPORTED_PREDICATES = (OWL.hasKey, OWL.allValuesFrom, OWL.maxCardinality, OWL.maxQualifiedCardinality,
                          OWL.propertyDisjointWith, OWL.sourceIndividual, OWL.complementOf)
UNSUPPORTED_TYPES = (OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.IrreflexiveProperty,
                     OWL.AsymmetricProperty, OWL.AllDisjointProperties)


def owlrl_closure(graph: Graph) -> owlrl.OWLRL_Semantics:
    """Expand `graph` in place with owlrl's OWL RL rules (the settings Khyber uses everywhere)."""
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False,
                           datatype_axioms=False).expand(graph)
    return graph


class CompiledOntology:
    """An ontology's OWL RL closure, with its axioms indexed for rule application."""

    def __init__(self, ontology: Graph):
        closed = Graph()
        for triple in ontology:
            closed.add(triple)
        owlrl_closure(closed)
        self.closure = closed
        self.triples = frozenset(closed)
        sp, po, by_p = defaultdict(set), defaultdict(set), defaultdict(set)
        for s_, p_, o_ in self.triples:
            sp[(s_, p_)].add(o_)
            po[(p_, o_)].add(s_)
            by_p[p_].add((s_, o_))
        self.index = (self.triples, {k: frozenset(v) for k, v in sp.items()},
                      {k: frozenset(v) for k, v in po.items()}, {k: frozenset(v) for k, v in by_p.items()})
        # owlrl's datatype rules over the ontology's own literals are in T* already; what an article
        # can change is only which datatypes are in use, so one triple per datatype stands for them.
        representatives: dict = {}
        for t in ontology:
            if _datatype_relevant(t):
                key = t[2].datatype if isinstance(t[2], Literal) else t
                representatives.setdefault(key, t)
        self.literal_triples = list(representatives.values())
        self.supported = not any((None, p, None) in closed for p in UNSUPPORTED_PREDICATES) and not any(
            (None, RDF.type, t) in closed for t in UNSUPPORTED_TYPES) and not any(
            "daml.org/2002/03/agents" in str(o) for o in closed.objects(None, RDF.type))
        g = closed
        self.sco = _table(g, RDFS.subClassOf)
        for c1, c2 in g.subject_objects(OWL.equivalentClass):
            self.sco[c1].add(c2)
            self.sco[c2].add(c1)
        self.spo = _table(g, RDFS.subPropertyOf)
        for p1, p2 in g.subject_objects(OWL.equivalentProperty):
            self.spo[p1].add(p2)
            self.spo[p2].add(p1)
        self.domain = _table(g, RDFS.domain)
        self.range = _table(g, RDFS.range)
        self.inverse: dict = defaultdict(set)
        for p1, p2 in g.subject_objects(OWL.inverseOf):
            self.inverse[p1].add(p2)
            self.inverse[p2].add(p1)
        self.symmetric = set(g.subjects(RDF.type, OWL.SymmetricProperty))
        self.transitive = set(g.subjects(RDF.type, OWL.TransitiveProperty))
        self.chains: dict = defaultdict(set)  # property in a chain -> {index in chain_list}
        self.chain_list = []
        for q, head in g.subject_objects(OWL.propertyChainAxiom):
            chain = list(g.items(head))
            if chain:
                for p in set(chain):
                    self.chains[p].add(len(self.chain_list))
                self.chain_list.append((q, chain))
        self.svf_by_property: dict = defaultdict(list)  # p -> [(restriction, class)]
        self.svf_by_class: dict = defaultdict(list)  # class -> [(restriction, p)]
        for r, y in g.subject_objects(OWL.someValuesFrom):
            for p in g.objects(r, OWL.onProperty):
                self.svf_by_property[p].append((r, y))
                self.svf_by_class[y].append((r, p))
        self.hv_by_class: dict = defaultdict(list)  # restriction -> [(p, value)]
        self.hv_by_property: dict = defaultdict(list)  # p -> [(value, restriction)]
        for r, v in g.subject_objects(OWL.hasValue):
            for p in g.objects(r, OWL.onProperty):
                self.hv_by_class[r].append((p, v))
                self.hv_by_property[p].append((v, r))
        self.intersections: dict = defaultdict(list)  # member class -> [(class, members)]
        self.intersection_of: dict = defaultdict(list)  # class -> [members]
        for c, head in g.subject_objects(OWL.intersectionOf):
            members = list(g.items(head))
            self.intersection_of[c].append(members)
            if members:
                for m in set(members):
                    self.intersections[m].append((c, members))
        self.unions: dict = defaultdict(list)  # member class -> [union class]
        for c, head in g.subject_objects(OWL.unionOf):
            for m in g.items(head):
                self.unions[m].append(c)
        self.disjoint_pairs = set(g.subject_objects(OWL.disjointWith))
        self.disjoint_lists = []
        for x in g.subjects(RDF.type, OWL.AllDisjointClasses):
            for head in g.objects(x, OWL.members):
                self.disjoint_lists.append(list(g.items(head)))


def _table(graph: Graph, predicate) -> dict:
    table: dict = defaultdict(set)
    for s, o in graph.subject_objects(predicate):
        table[s].add(o)
    return table


@lru_cache(maxsize=4)
def compiled(ontology: Graph) -> CompiledOntology:
    """The compiled form of an ontology graph (once per process and ontology object)."""
    return CompiledOntology(ontology)


def _datatype_relevant(triple) -> bool:
    """Whether owlrl's datatype rules read this triple (a literal value, or a type that may be a datatype)."""
    _s, p, o = triple
    return isinstance(o, Literal) or (p is TYPE or p == TYPE) and o in _RL_DATATYPES or p == SAME_AS


def _datatype_triples(ontology: CompiledOntology, data: list[tuple]) -> tuple[set, list]:
    """owlrl's one-time datatype rules (dt-type1/2, subsumptions, disjointness) for ontology + data."""
    probe = Graph()
    for t in ontology.literal_triples:
        probe.add(t)
    for triple in data:
        if _datatype_relevant(triple):
            probe.add(triple)
    engine = owlrl.OWLRL_Semantics(probe, False, False)
    engine.empty_stored_triples()
    engine._one_time_rules_misc()
    engine._one_time_rules_datatypes()
    return set(engine.added_triples), list(engine.error_messages)


class _Closure:
    """Semi-naive forward chaining of the compiled rules over T* plus some data triples.

    T*'s indexes are built once (`CompiledOntology.index`); a closure only indexes what it adds.
    """

    def __init__(self, tbox: CompiledOntology):
        self.t = tbox
        self.base, self.base_sp, self.base_po, self.base_p = tbox.index
        self.new: set = set()
        self.new_sp: dict = defaultdict(set)  # (s, p) -> {o}
        self.new_po: dict = defaultdict(set)  # (p, o) -> {s}
        self.new_p: dict = defaultdict(set)  # p -> {(s, o)}
        self.queue: list = []
        self.dirty_chains: set = set()

    def __contains__(self, triple) -> bool:
        return triple in self.new or triple in self.base

    def objects(self, s, p) -> list:
        key = (s, p)
        return [*self.base_sp.get(key, ()), *self.new_sp.get(key, ())]

    def subjects(self, p, o) -> set:
        key = (p, o)
        return self.base_po.get(key, frozenset()) | self.new_po.get(key, set())

    def pairs(self, p) -> list:
        return [*self.base_p.get(p, ()), *self.new_p.get(p, ())]

    @property
    def facts(self) -> set:
        return self.base | self.new

    def add(self, triple) -> None:
        if triple in self.new or triple in self.base or isinstance(triple[1], Literal):
            return
        s, p, o = triple
        self.new.add(triple)
        self.new_sp[(s, p)].add(o)
        self.new_po[(p, o)].add(s)
        self.new_p[p].add((s, o))
        self.queue.append(triple)

    def run(self) -> None:
        t = self.t
        while self.queue or self.dirty_chains:
            while self.queue:
                s, p, o = self.queue.pop()
                for c in t.domain.get(p, ()):
                    self.add((s, TYPE, c))
                for c in t.range.get(p, ()):
                    self.add((o, TYPE, c))
                for q in t.spo.get(p, ()):
                    if q != p:
                        self.add((s, q, o))
                for q in t.inverse.get(p, ()):
                    self.add((o, q, s))
                if p in t.symmetric:
                    self.add((o, p, s))
                if p in t.transitive:
                    for z in self.objects(o, p):
                        self.add((s, p, z))
                    for x in self.subjects(p, s):
                        self.add((x, p, o))
                if p in t.chains:
                    self.dirty_chains.update(t.chains[p])
                for r, y in t.svf_by_property.get(p, ()):
                    if y == THING or (o, TYPE, y) in self:
                        self.add((s, TYPE, r))
                for v, r in t.hv_by_property.get(p, ()):
                    if v == o:
                        self.add((s, TYPE, r))
                if p == TYPE:
                    self._typed(s, o)
            for index in sorted(self.dirty_chains):
                self._chain(*t.chain_list[index])
            self.dirty_chains.clear()

    def _typed(self, x, c) -> None:
        t = self.t
        for d in t.sco.get(c, ()):
            if d != c:
                self.add((x, TYPE, d))
        for k, members in t.intersections.get(c, ()):
            if all((x, TYPE, m) in self for m in members):
                self.add((x, TYPE, k))
        for members in t.intersection_of.get(c, ()):
            for m in members:
                self.add((x, TYPE, m))
        for k in t.unions.get(c, ()):
            self.add((x, TYPE, k))
        for r, p in t.svf_by_class.get(c, ()):
            for u in self.subjects(p, x):
                self.add((u, TYPE, r))
        for p, v in t.hv_by_class.get(c, ()):
            self.add((x, p, v))

    def _chain(self, q, chain) -> None:
        for u1, z in self.pairs(chain[0]):
            ends = {z}
            for pi in chain[1:]:
                ends = {u for e in ends for u in self.objects(e, pi)}
                if not ends:
                    break
            for un in ends:
                self.add((u1, q, un))

    def inconsistent(self) -> bool:
        """True when owlrl would report an error (and so add error triples) for these facts."""
        t = self.t
        if self.subjects(TYPE, NOTHING):
            return True
        for c1, c2 in t.disjoint_pairs:
            if self.subjects(TYPE, c1) & self.subjects(TYPE, c2):
                return True
        for classes in t.disjoint_lists:
            for i, c1 in enumerate(classes[:-1]):
                members = self.subjects(TYPE, c1)
                if members:
                    for c2 in classes[i + 1:]:
                        if members & self.subjects(TYPE, c2):
                            return True
        return False


def closure(ontology: Graph, *data: Graph) -> set | None:
    """What owlrl's OWL RL closure of ontology + data adds to the ontology's own closure T*.

    The closure is T* (`compiled(ontology).triples`) plus the returned triples (the data's
    triples among them); None when owlrl must do it.
    """
    tbox = compiled(ontology)
    if not tbox.supported:
        return None
    triples = [t for g in data for t in g]
    for s, p, o in triples:
        if p in SCHEMA_PREDICATES or isinstance(p, BNode) or (p == TYPE and o in META_CLASSES):
            if (s, p, o) not in tbox.triples:
                return None
    extra, errors = _datatype_triples(tbox, triples)
    if errors:
        return None
    work = _Closure(tbox)
    for triple in triples:
        work.add(triple)
    for triple in extra:
        work.add(triple)
    work.run()
    for s, p, o in work.new:
        if p in SCHEMA_PREDICATES or isinstance(p, BNode) or (p == TYPE and o in META_CLASSES):
            if (s, p, o) not in tbox.triples:
                return None  # the data derived schema: owlrl's schema rules would apply
    if work.inconsistent():
        return None
    return work.new
