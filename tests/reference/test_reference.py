"""Checks for the loader's reference data (loader/reference/)."""

import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

REF = Path(__file__).resolve().parents[2] / "loader" / "reference"
KH = Namespace("https://w3id.org/khyber/ontology#")
ID = "https://w3id.org/khyber/id/"
WD = "http://www.wikidata.org/entity/"

# file -> the classes its entities may have
ENTITY_FILES = {
    "states.ttl": {KH.State},
    "places.ttl": {KH.City, KH.Province, KH.Place},
    "groups.ttl": {KH.MilitantGroup},
    "organizations.ttl": {KH.InternationalOrganization},
    "bodies.ttl": {KH.GovernmentBody},
}
OTHER_TTL = ["metonyms.ttl"]
KIND_OF_CLASS = {
    KH.State: "state",
    KH.City: "place",
    KH.Province: "place",
    KH.Place: "place",
    KH.MilitantGroup: "group",
    KH.InternationalOrganization: "org",
    KH.GovernmentBody: "body",
}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Same-kind entities that intentionally share their bare rdfs:label (disambiguated in the slug).
INTENTIONAL_HOMONYM_LABELS = {"punjab", "hyderabad"}

# Names (label or altLabel, folded) that intentionally belong to entities of different kinds.
# A new cross-kind collision must be reviewed and added here (or the alias removed).
INTENTIONAL_CROSS_KIND: set[str] = set()

# Places that are cities but deliberately not kh:locatedIn any state (contested status).
CONTESTED_CITIES = {"jerusalem"}

# Bare words that must never be plain aliases (they match ordinary words or several entities).
FORBIDDEN_ALIASES = {
    "taliban", "baloch", "baluch", "pakistani", "afghan", "islamic state of", "army", "navy",
    "air force", "foreign office", "foreign ministry", "ministry of foreign affairs",
    "ministry of defence", "ministry of defense", "interior ministry", "ministry of interior",
    "defence ministry", "defense ministry", "president", "prime minister", "government",
    "military", "intelligence", "police", "the states", "up",
}

# Abbreviations whose lower-case form is an ordinary English word: never plain aliases (use
# kh:ambiguousAlias), except the ones the loader must know and matches case-sensitively.
COMMON_WORDS = set(
    "a am an and as at be bra by can car cis do eco era eta for go he hub hum if in is it let "
    "male man may me my no of on or raw red roma so sun tip to up us war was we who".split()
)
CASE_SENSITIVE_OK = {"US", "LeT"}

TITLE_KINDS = {"government", "military", "diplomatic", "spokesperson", "legislative", "judicial"}


def fold(s: str) -> str:
    """Case-insensitive, accent- and punctuation-folded form used for alias comparison."""
    s = unicodedata.normalize("NFKD", str(s))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = s.replace("&", " and ")
    s = re.sub(r"[-–—/_]", " ", s)
    s = re.sub(r"[^\w\s]", "", s)
    return re.sub(r"\s+", " ", s).strip()


@pytest.fixture(scope="module")
def graphs():
    out = {}
    for name in list(ENTITY_FILES) + OTHER_TTL:
        g = Graph()
        if (REF / name).is_file():  # a missing file fails test_file_parses
            g.parse(REF / name, format="turtle")
        out[name] = g
    return out


@pytest.fixture(scope="module")
def union(graphs):
    u = Graph()
    for g in graphs.values():
        for t in g:
            u.add(t)
    return u


@pytest.fixture(scope="module")
def entities(graphs):
    """IRI -> (file, kind) for every typed entity."""
    ents = {}
    for name, classes in ENTITY_FILES.items():
        g = graphs[name]
        for s, o in g.subject_objects(RDF.type):
            assert o in classes, f"{name}: {s} has unexpected type {o}"
            kind = KIND_OF_CLASS[o]
            assert s not in ents or ents[s] == (name, kind), f"{s} defined twice"
            ents[s] = (name, kind)
    return ents


def names(g, s):
    return [g.value(s, RDFS.label)] + list(g.objects(s, SKOS.altLabel))


@pytest.mark.parametrize("name", list(ENTITY_FILES) + OTHER_TTL)
def test_file_parses(name):
    assert (REF / name).is_file(), f"{name} missing"
    g = Graph()
    g.parse(REF / name, format="turtle")
    assert len(g) > 0


def test_titles_json_parses():
    data = json.loads((REF / "titles.json").read_text(encoding="utf-8"))
    assert isinstance(data, list) and data


def test_readme_exists():
    assert (REF / "README.md").is_file()


def test_iris_well_formed(graphs, entities):
    for s, (name, kind) in entities.items():
        assert isinstance(s, URIRef)
        m = re.fullmatch(re.escape(ID) + r"([a-z-]+)/(.+)", str(s))
        assert m, f"{name}: bad IRI {s}"
        assert m.group(1) == kind, f"{name}: {s} should be under id/{kind}/"
        assert SLUG.match(m.group(2)), f"{name}: bad slug in {s}"
    # every subject in an entity file is a typed entity of that file
    for name in ENTITY_FILES:
        for s in set(graphs[name].subjects()):
            assert s in entities and entities[s][0] == name, f"{name}: untyped subject {s}"


def test_one_english_label(graphs, entities):
    for s, (name, _) in entities.items():
        labels = list(graphs[name].objects(s, RDFS.label))
        assert len(labels) == 1, f"{s} has {len(labels)} rdfs:label"
        assert isinstance(labels[0], Literal) and labels[0].language == "en", s
        assert str(labels[0]).strip() == str(labels[0]) and labels[0], s
        for a in graphs[name].objects(s, SKOS.altLabel):
            assert isinstance(a, Literal) and a.language == "en" and str(a).strip(), (s, a)


def test_no_alias_shared_within_kind(graphs, entities):
    by_kind = defaultdict(lambda: defaultdict(set))  # kind -> folded name -> {(iri, is_label)}
    for s, (name, kind) in entities.items():
        g = graphs[name]
        by_kind[kind][fold(g.value(s, RDFS.label))].add((s, True))
        for a in g.objects(s, SKOS.altLabel):
            by_kind[kind][fold(a)].add((s, False))
    problems = []
    for kind, table in by_kind.items():
        for n, holders in table.items():
            iris = {h[0] for h in holders}
            if len(iris) < 2:
                continue
            only_labels = all(is_label for _, is_label in holders)
            if only_labels and n in INTENTIONAL_HOMONYM_LABELS:
                continue
            problems.append((kind, n, sorted(str(i) for i in iris)))
    assert not problems, "aliases shared within a kind:\n" + "\n".join(map(str, problems))


def test_cross_kind_collisions_are_known(graphs, entities):
    table = defaultdict(set)
    for s, (name, kind) in entities.items():
        for n in names(graphs[name], s):
            table[fold(n)].add(kind)
    found = {n for n, kinds in table.items() if len(kinds) > 1}
    assert found == INTENTIONAL_CROSS_KIND, (
        f"new: {sorted(found - INTENTIONAL_CROSS_KIND)}; stale: {sorted(INTENTIONAL_CROSS_KIND - found)}"
    )


def test_forbidden_bare_aliases(graphs, entities):
    for s, (name, _) in entities.items():
        for n in names(graphs[name], s):
            assert fold(n) not in FORBIDDEN_ALIASES, f"{s}: unsafe alias {n!r}"


def test_no_common_word_aliases(graphs, entities):
    for s, (name, _) in entities.items():
        for a in graphs[name].objects(s, SKOS.altLabel):
            if str(a) not in CASE_SENSITIVE_OK:
                assert str(a).casefold() not in COMMON_WORDS, f"{s}: alias {a!r} is an ordinary word"


def test_context_only_strings_are_not_aliases(union, entities, graphs):
    all_names = {fold(n) for s, (name, _) in entities.items() for n in names(graphs[name], s)}
    for p in (KH.ambiguousAlias, KH.genericName):
        for s, o in union.subject_objects(p):
            assert s in entities, s
            assert isinstance(o, Literal) and str(o).strip()
            assert fold(o) not in all_names, f"{s}: {p} {o!r} is also a matchable name"


def test_located_in_chains_end_at_state(union, entities):
    for s, (_, kind) in entities.items():
        if kind != "place":
            continue
        seen, cur = set(), s
        while True:
            parents = list(union.objects(cur, KH.locatedIn))
            assert len(parents) <= 1, f"{cur} has several kh:locatedIn"
            if not parents:
                break
            cur = parents[0]
            assert cur not in seen, f"locatedIn cycle at {cur}"
            seen.add(cur)
            assert cur in entities, f"{s}: locatedIn target {cur} undefined"
        end_kind = entities[cur][1]
        if cur == s:  # no locatedIn at all: only transnational regions and contested cities
            slug = str(s).rsplit("/", 1)[1]
            assert (s, RDF.type, KH.Place) in union or slug in CONTESTED_CITIES, (
                f"{s} is a City/Province without kh:locatedIn"
            )
        else:
            assert end_kind == "state", f"{s}: chain ends at {cur}, not a kh:State"


def test_located_in_only_on_places(union, entities):
    for s in union.subjects(KH.locatedIn):
        assert entities.get(s, (None, None))[1] == "place", s


def test_wikidata_ids_unique(union, entities):
    owner = {}
    for s, o in union.subject_objects(SKOS.exactMatch):
        assert s in entities, s
        assert re.fullmatch(re.escape(WD) + r"Q[1-9][0-9]*", str(o)), o
        assert o not in owner, f"{o} used by {owner.get(o)} and {s}"
        owner[o] = s
    per_entity = defaultdict(int)
    for s in owner.values():
        per_entity[s] += 1
    assert all(v == 1 for v in per_entity.values()), [s for s, v in per_entity.items() if v > 1]


def test_states(graphs, entities):
    g = graphs["states.ttl"]
    states = [s for s, (n, _) in entities.items() if n == "states.ttl"]
    assert len(states) == 193 + 4  # UN members + Palestine, Taiwan, Kosovo, Vatican City
    iso, dem = {}, {}
    for s in states:
        codes = list(g.objects(s, KH.isoCode))
        assert len(codes) == 1 and re.fullmatch(r"[A-Z]{2}", str(codes[0])), s
        assert str(codes[0]) not in iso, f"ISO {codes[0]} twice"
        iso[str(codes[0])] = s
        for d in g.objects(s, KH.demonym):
            assert dem.get(fold(d), s) == s, f"demonym {d} on {dem.get(fold(d))} and {s}"
            dem[fold(d)] = s
        assert len(list(g.objects(s, SKOS.exactMatch))) == 1, f"{s} lacks Wikidata"
    st = lambda slug: URIRef(ID + "state/" + slug)
    assert iso["US"] == st("united-states") and iso["PK"] == st("pakistan") and iso["TR"] == st("turkiye")
    assert (st("united-states"), SKOS.exactMatch, URIRef(WD + "Q30")) in g
    assert (st("pakistan"), SKOS.exactMatch, URIRef(WD + "Q843")) in g
    for alias in ["US", "U.S.", "USA", "America"]:
        assert (st("united-states"), SKOS.altLabel, Literal(alias, lang="en")) in g


def test_metonyms(graphs, entities):
    g = graphs["metonyms.ttl"]
    assert set(g.predicates()) == {KH.metonymFor}
    for s, o in g.subject_objects(KH.metonymFor):
        assert entities.get(s, (None, None))[1] == "place", s
        assert entities.get(o, (None, None))[1] == "state", o
    p = lambda slug: URIRef(ID + "place/" + slug)
    assert (p("islamabad"), KH.metonymFor, URIRef(ID + "state/pakistan")) in g
    assert (p("washington-dc"), KH.metonymFor, URIRef(ID + "state/united-states")) in g


def test_groups_affiliates(graphs, entities):
    g = graphs["groups.ttl"]
    for s, o in g.subject_objects(KH.affiliateOf):
        assert entities.get(s, (None, None))[1] == "group", s
        assert entities.get(o, (None, None))[1] == "group", f"{s} affiliateOf undefined {o}"
        assert s != o
    gr = lambda slug: URIRef(ID + "group/" + slug)
    for slug in ["tehreek-e-taliban-pakistan", "balochistan-liberation-army"]:
        assert (gr(slug), RDF.type, KH.MilitantGroup) in g, slug


def test_bodies_government_of(graphs, entities):
    g = graphs["bodies.ttl"]
    for s in (s for s, (n, _) in entities.items() if n == "bodies.ttl"):
        states = list(g.objects(s, KH.governmentOf))
        assert len(states) == 1, f"{s} needs exactly one kh:governmentOf"
        assert entities.get(states[0], (None, None))[1] == "state", states[0]


def test_titles(entities):
    data = json.loads((REF / "titles.json").read_text(encoding="utf-8"))
    state_slugs = {str(s).rsplit("/", 1)[1] for s, (_, k) in entities.items() if k == "state"}
    body_slugs = {str(s).rsplit("/", 1)[1] for s, (_, k) in entities.items() if k == "body"}
    seen = {}
    for t in data:
        assert set(t) == {"title", "variants", "kind", "implies_state", "implies_body"}, t
        assert isinstance(t["title"], str) and t["title"].strip()
        assert isinstance(t["variants"], list) and all(isinstance(v, str) and v.strip() for v in t["variants"])
        assert t["kind"] in TITLE_KINDS, t
        assert t["implies_state"] is None or t["implies_state"] in state_slugs, t
        assert t["implies_body"] is None or t["implies_body"] in body_slugs, t
        for n in [t["title"]] + t["variants"]:
            assert seen.get(fold(n), t["title"]) == t["title"], f"title form {n!r} in {t['title']!r} and {seen[fold(n)]!r}"
            seen[fold(n)] = t["title"]


def test_reference_data_conforms_to_shapes(union):
    """The reference data alone conforms to the project's SHACL shapes (with RDFS inference)."""
    pyshacl = pytest.importorskip("pyshacl")
    root = REF.parents[1]
    shapes, onto = root / "shapes" / "khyber-shapes.ttl", root / "ontology" / "khyber.ttl"
    if not shapes.is_file() or not onto.is_file():
        pytest.skip("shapes or ontology not present")
    conforms, _, text = pyshacl.validate(
        union,
        shacl_graph=Graph().parse(shapes),
        ont_graph=Graph().parse(onto),
        inference="rdfs",
        allow_warnings=True,
    )
    assert conforms, text[:3000]
