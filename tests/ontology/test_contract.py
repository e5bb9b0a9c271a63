"""The ontology declares every term of the public contract and of docs/conventions.md, documented once each."""

from __future__ import annotations

import re

import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from .conftest import KH, REPO

CONTRACT = REPO.parent / "shared" / "contract.md"
CONVENTIONS = REPO / "docs" / "conventions.md"
TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)
PREFIXES = {"kh": str(KH), "prov": "http://www.w3.org/ns/prov#", "skos": str(SKOS), "dcterms": str(DCTERMS),
            "rdfs": str(RDFS), "xsd": str(XSD)}


def contract_text() -> str:
    """The contract's text, or skip when ../shared is not beside the repository."""
    if not CONTRACT.exists():
        pytest.skip(f"contract not found at {CONTRACT} (CI keeps ../shared beside the repo)")
    return CONTRACT.read_text(encoding="utf-8")


def section(text: str, title: str) -> str:
    """The body of a '## title' section of a Markdown document."""
    return text.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def contract_classes() -> list[str]:
    return sorted(set(re.findall(r"`kh:([A-Z]\w*)`", section(contract_text(), "Classes"))))


def contract_properties() -> list[str]:
    return sorted(set(re.findall(r"`(kh:[a-z]\w*|prov:\w+)`", section(contract_text(), "Properties"))))


def _term(curie: str) -> rdflib.URIRef:
    prefix, local = curie.split(":", 1)
    return rdflib.URIRef(PREFIXES[prefix] + local)


def kinds(ontology, term) -> set:
    return {k for k in ontology.objects(term, RDF.type) if k in TERM_KINDS}


def test_contract_tables_parse():
    """The contract tables yield the expected number of terms (guards the parsing itself)."""
    assert len(contract_classes()) >= 25 and "Article" in contract_classes()
    assert len(contract_properties()) >= 20 and "kh:holdsPosition" in contract_properties()


@pytest.fixture(scope="module")
def classes():
    return contract_classes()


@pytest.fixture(scope="module")
def properties():
    return contract_properties()


def test_every_contract_class_is_declared(ontology, classes):
    """Each class of the contract is an owl:Class (the two designation types are individuals)."""
    problems = []
    for name in classes:
        term = KH[name]
        expected = OWL.NamedIndividual if (term, RDF.type, KH.DesignationType) in ontology or any(
            (term, RDF.type, c) in ontology for c in ontology.subjects(RDFS.subClassOf, KH.DesignationType)) \
            else OWL.Class
        if kinds(ontology, term) != {expected}:
            problems.append(f"kh:{name}: declared as {sorted(kinds(ontology, term))}, want {expected}")
    assert problems == []


def test_every_contract_property_is_declared(ontology, properties):
    """Each property of the contract is declared exactly once as an OWL property."""
    problems = [p for p in properties
                if len(kinds(ontology, _term(p)) & {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}) != 1]
    assert problems == []


def test_reused_vocabulary_is_declared(ontology):
    """The reused terms named in the contract are declared, so OWL tools see no undeclared entity."""
    names = re.findall(r"`((?:skos|prov|dcterms):\w+)`", section(contract_text(), "Names"))
    assert names, "no reused vocabulary found in the contract's Names section"
    assert [n for n in names if not kinds(ontology, _term(n))] == []


def test_every_conventions_term_is_declared(ontology):
    """Every kh: term mentioned in docs/conventions.md is declared in the ontology."""
    names = sorted(set(re.findall(r"kh:([A-Za-z]\w*)", CONVENTIONS.read_text(encoding="utf-8"))))
    assert len(names) > 30
    assert [n for n in names if not kinds(ontology, KH[n])] == []


def test_every_kh_term_has_one_english_label_and_definition(ontology):
    """Every kh: class, property and individual has exactly one rdfs:label@en and one skos:definition@en."""
    problems = []
    terms = {t for k in TERM_KINDS for t in ontology.subjects(RDF.type, k) if str(t).startswith(str(KH))}
    assert len(terms) > 80
    for term in sorted(terms):
        for prop in (RDFS.label, SKOS.definition):
            values = list(ontology.objects(term, prop))
            if len(values) != 1 or getattr(values[0], "language", None) != "en" or not str(values[0]).strip():
                problems.append(f"{term}: {prop} = {values}")
    assert problems == []


def _supers(ontology, cls) -> set:
    return set(ontology.transitive_objects(cls, RDFS.subClassOf))


DATATYPES = {"xsd:integer": XSD.integer, "xsd:decimal": XSD.decimal}


def test_contract_domains_and_ranges(ontology):
    """Where the contract names classes ('Person → Position', 'State or GovernmentBody'), the
    ontology's domain and range cover every one of them; datatypes match exactly."""
    rows = re.findall(r"^\| (`[^|]+`) \| ([^|]+) \|", section(contract_text(), "Properties"), re.M)
    assert rows
    problems = []
    checked = 0
    for names_cell, types_cell in rows:
        if "→" not in types_cell:
            continue
        left, right = (side.strip() for side in types_cell.split("→", 1))
        for curie in re.findall(r"`(kh:\w+)`", names_cell):
            term = _term(curie)
            for side, prop in ((left, RDFS.domain), (right, RDFS.range)):
                side = side.strip("` ")
                if side in DATATYPES:
                    checked += 1
                    if (term, prop, DATATYPES[side]) not in ontology:
                        problems.append(f"{curie} {prop}: want {side}")
                    continue
                wanted = [w.strip() for w in re.split(r" or |/", side)]
                if not all(re.fullmatch(r"[A-Z]\w*", w) and (KH[w], RDF.type, OWL.Class) in ontology for w in wanted):
                    continue  # free text ('any extracted node') or datatypes with alternatives
                declared = set(ontology.objects(term, prop))
                checked += 1
                for w in wanted:
                    if not declared or not all(d in _supers(ontology, KH[w]) for d in declared):
                        problems.append(f"{curie} {prop} {sorted(declared)} does not cover kh:{w}")
    assert checked >= 20
    assert problems == []


def test_ontology_header(ontology):
    """Title, description, license, creator, version IRI matching the version, prior version; no imports."""
    onto = rdflib.URIRef("https://w3id.org/khyber/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator, OWL.versionInfo,
                 OWL.priorVersion):
        assert ontology.value(onto, prop) is not None, f"header lacks {prop}"
    version = str(ontology.value(onto, OWL.versionInfo))
    assert str(ontology.value(onto, OWL.versionIRI)) == f"https://w3id.org/khyber/ontology/{version}"
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert str(ontology.value(onto, OWL.priorVersion)).startswith("https://w3id.org/khyber/ontology/")
    assert list(ontology.objects(onto, OWL.imports)) == [], "owl:imports would need the network in Protégé"


def test_external_terms_are_only_aligned_not_redefined(ontology):
    """Every external class or property we align to is declared, and the ontology adds no
    domain or range to it (we reuse their IRIs, we do not change their meaning)."""
    external = {s for k in TERM_KINDS for s in ontology.subjects(RDF.type, k)
                if isinstance(s, rdflib.URIRef) and not str(s).startswith(str(KH))}
    assert rdflib.URIRef("http://www.w3.org/ns/prov#Entity") in external
    assert rdflib.URIRef("http://www.w3.org/ns/org#Post") in external
    assert [str(t) for t in external if (t, RDFS.domain, None) in ontology or (t, RDFS.range, None) in ontology] == []


@pytest.mark.parametrize("sub,sup", [
    ("Article", "http://www.w3.org/ns/prov#Entity"),
    ("Article", "https://schema.org/NewsArticle"),
    ("Organization", "http://www.w3.org/ns/org#Organization"),
    ("Position", "http://www.w3.org/ns/org#Post"),
    ("State", str(KH.Organization)),
    ("State", str(KH.Place)),
    ("Dialogue", str(KH.Meeting)),
])
def test_alignment_and_tree(ontology, sub, sup):
    """Key subclass links of the contract, conventions and alignment hold."""
    assert rdflib.URIRef(sup) in _supers(ontology, KH[sub])


def test_holds_position_aligned_to_org_holds(ontology):
    """kh:holdsPosition specializes W3C ORG's org:holds, kh:positionOf org:postIn."""
    org = rdflib.Namespace("http://www.w3.org/ns/org#")
    assert (KH.holdsPosition, RDFS.subPropertyOf, org.holds) in ontology
    assert (KH.positionOf, RDFS.subPropertyOf, org.postIn) in ontology
