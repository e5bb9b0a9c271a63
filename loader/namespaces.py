"""Namespaces and IRI minting shared by the loader, the server and the tests."""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/khyber/ontology"
ID_BASE = "https://w3id.org/khyber/id/"
GRAPH_BASE = "https://w3id.org/khyber/graph/"

ID = Namespace(ID_BASE)
WD = Namespace("http://www.wikidata.org/entity/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")

ONTOLOGY_GRAPH = URIRef(GRAPH_BASE + "ontology")
REFERENCE_GRAPH = URIRef(GRAPH_BASE + "reference")
INFERRED_GRAPH_BASE = GRAPH_BASE + "inferred/"


class KH(DefinedNamespace):
    """The Khyber ontology's terms; a misspelt term raises AttributeError at once."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes
    Agent: URIRef
    Person: URIRef
    Organization: URIRef
    State: URIRef
    GovernmentBody: URIRef
    MilitantGroup: URIRef
    InternationalOrganization: URIRef
    Position: URIRef
    PositionHolding: URIRef
    Place: URIRef
    City: URIRef
    Province: URIRef
    Event: URIRef
    Meeting: URIRef
    Dialogue: URIRef
    Visit: URIRef
    PhoneCall: URIRef
    PressBriefing: URIRef
    Attack: URIRef
    Designation: URIRef
    DesignationType: URIRef
    Agreement: URIRef
    AgreementStatus: URIRef
    Claim: URIRef
    Article: URIRef
    CasualtyFigure: URIRef
    # individuals
    ForeignTerroristOrganization: URIRef
    SpeciallyDesignatedGlobalTerrorist: URIRef
    Proscription: URIRef
    UNSanctionsListing: URIRef
    Proposed: URIRef
    UnderNegotiation: URIRef
    Signed: URIRef
    Renewed: URIRef
    Dormant: URIRef
    Ended: URIRef
    # object properties
    holdsPosition: URIRef
    positionOf: URIRef
    holder: URIRef
    heldPosition: URIRef
    participant: URIRef
    visitor: URIRef
    coChair: URIRef
    spokesperson: URIRef
    location: URIRef
    destination: URIRef
    locatedIn: URIRef
    designatedBy: URIRef
    designee: URIRef
    designationType: URIRef
    perpetrator: URIRef
    party: URIRef
    status: URIRef
    affiliateOf: URIRef
    claimant: URIRef
    deniedBy: URIRef
    accused: URIRef
    claimAbout: URIRef
    killedBreakdown: URIRef
    injuredBreakdown: URIRef
    governmentOf: URIRef
    dateline: URIRef
    metonymFor: URIRef
    mentions: URIRef
    # datatype properties
    date: URIRef
    startDate: URIRef
    endDate: URIRef
    killed: URIRef
    injured: URIRef
    valueUSD: URIRef
    durationYears: URIRef
    attackKind: URIRef
    agreementKind: URIRef
    casualtyCategory: URIRef
    count: URIRef
    claimText: URIRef
    positionTitle: URIRef
    evidence: URIRef
    evidenceStart: URIRef
    evidenceEnd: URIRef
    extractionRule: URIRef
    confidence: URIRef
    sourceFile: URIRef
    contentHash: URIRef
    demonym: URIRef
    isoCode: URIRef
    genericName: URIRef
    ambiguousAlias: URIRef


_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lowercase ASCII slug of a name: accents folded, words joined by '-'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_WORD.sub("-", folded.lower()).strip("-") or "unnamed"


def mint(kind: str, name: str) -> URIRef:
    """The stable IRI of a resource of one kind, from its (canonical) name."""
    return URIRef(f"{ID_BASE}{kind}/{slugify(name)}")


def inferred_graph(article_iri: URIRef) -> URIRef:
    """The named graph holding the OWL RL inferences of one article."""
    return URIRef(INFERRED_GRAPH_BASE + str(article_iri).rsplit("/", 1)[-1])
