"""Tests of the evaluator (loader/evaluate.py) on small hand-made TriG KGs, independent of the loader,
plus one slow end-to-end test of `khyber build` against the seed gold."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from loader.evaluate import KINDS, evaluate, load_gold, main, norm  # noqa: E402

GOLD_DIR = ROOT / "tests" / "gold"
GEN_DIR = ROOT / "tests" / "generalization"

PREFIXES = """\
@prefix kh: <https://w3id.org/khyber/ontology#> .
@prefix id: <https://w3id.org/khyber/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

SMALL_GOLD = {
    "source_file": "a.txt", "index": 1, "title": "US and Pakistan hold talks", "date": "2024-09-16",
    "facts": {
        "holding": [{"person": "Mohammad Ishaq Dar", "position": "Foreign Minister", "of": "Pakistan"}],
        "meeting": [{"participants": ["John Bass", "Mohammad Ishaq Dar"], "place": "Islamabad",
                     "date": "2024-09-16", "type": "Meeting"}],
        "attack": [{"place": "Balochistan", "date": "2026-01-31",
                    "perpetrator": ["Baloch Liberation Army", "BLA"], "killed": 50}],
        "group": [["Tehreek-e-Taliban Pakistan", "TTP"], ["Baloch Liberation Army", "BLA"]],
        "person": ["John Bass", "Mohammad Ishaq Dar"],
    },
}

# Entities live in the reference graph; note the aliases differ from the gold's spellings on purpose.
ENTITIES = """
GRAPH <https://w3id.org/khyber/graph/reference> {
  id:state\\/pakistan a kh:State ; rdfs:label "Pakistan" ; kh:demonym "Pakistani" .
  id:place\\/islamabad a kh:City ; rdfs:label "Islamabad" ; kh:locatedIn id:state\\/pakistan .
  id:place\\/balochistan a kh:Province ; rdfs:label "Balochistan" ; kh:locatedIn id:state\\/pakistan .
  id:place\\/quetta a kh:City ; rdfs:label "Quetta" ; kh:locatedIn id:place\\/balochistan .
  id:group\\/bla a kh:MilitantGroup ; rdfs:label "Balochistan Liberation Army" ; skos:altLabel "BLA" .
  id:group\\/ttp a kh:MilitantGroup ; rdfs:label "Tehreek-i-Taliban Pakistan" ;
      skos:altLabel "T.T.P.", "Pakistani Taliban" .
}
"""

ARTICLE = """
GRAPH id:article\\/a1 {
  id:article\\/a1 a kh:Article ; kh:sourceFile "a.txt" ; dcterms:title "US and Pakistan hold talks" .
  id:person\\/john-bass a kh:Person ; rdfs:label "John Bass" .
  id:person\\/ishaq-dar a kh:Person ; rdfs:label "Ishaq Dar" .
  id:position\\/fm a kh:Position ; rdfs:label "Foreign Minister of Pakistan" ;
      kh:positionTitle "Foreign Minister" ; kh:positionOf id:state\\/pakistan .
  id:holding\\/h1 a kh:PositionHolding ; kh:holder id:person\\/ishaq-dar ; kh:heldPosition id:position\\/fm ;
      prov:wasDerivedFrom id:article\\/a1 .
  id:person\\/ishaq-dar kh:holdsPosition id:position\\/fm .
  id:meeting\\/m1 a kh:Meeting ; kh:participant id:person\\/john-bass, id:person\\/ishaq-dar ;
      kh:location id:place\\/islamabad ; kh:date "2024-09-16"^^xsd:date ; prov:wasDerivedFrom id:article\\/a1 .
  %(attack)s
  id:group\\/ttp kh:mentionedIn id:article\\/a1 .
  id:group\\/bla kh:mentionedIn id:article\\/a1 .
  %(extra)s
}
"""

ATTACK = """id:attack\\/a1 a kh:Attack ; kh:location id:place\\/quetta ; kh:date "2026-01-31"^^xsd:date ;
      kh:perpetrator id:group\\/bla ; kh:killed 50 ; prov:wasDerivedFrom id:article\\/a1 ."""


def small_kg(attack: bool = True, extra: str = "") -> ox.Store:
    store = ox.Store()
    text = PREFIXES + ENTITIES + ARTICLE % {"attack": ATTACK if attack else "", "extra": extra}
    store.load(text, format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture
def small_gold(tmp_path: Path) -> Path:
    d = tmp_path / "gold"
    d.mkdir()
    (d / "a-1.json").write_text(json.dumps(SMALL_GOLD), encoding="utf-8")
    return d


# ---------------------------------------------------------------------------------------------- small KGs

def test_perfect_small_kg_scores_one(small_gold: Path) -> None:
    report = evaluate(small_kg(), small_gold)
    assert report.missing_articles == []
    assert report.misses == [] and report.spurious == []
    assert report.overall.tp == 7
    assert report.overall.precision == report.overall.recall == report.overall.f1 == 1.0
    for kind in KINDS:
        assert report.per_kind[kind].f1 == 1.0, kind


def test_missing_fact_loses_exactly_its_recall(small_gold: Path) -> None:
    report = evaluate(small_kg(attack=False), small_gold)
    assert report.per_kind["attack"].tp == 0 and report.per_kind["attack"].fn == 1
    assert report.overall.recall == pytest.approx(6 / 7)
    assert report.overall.precision == 1.0
    assert [m["kind"] for m in report.misses] == ["attack"]
    assert report.per_kind["group"].f1 == 1.0


def test_spurious_fact_lowers_precision(small_gold: Path) -> None:
    extra = """id:call\\/c1 a kh:PhoneCall ; kh:participant id:person\\/john-bass, id:state\\/pakistan ;
      prov:wasDerivedFrom id:article\\/a1 ."""
    report = evaluate(small_kg(extra=extra), small_gold)
    assert report.overall.recall == 1.0
    assert report.overall.precision == pytest.approx(7 / 8)
    assert report.per_kind["call"].fp == 1
    assert len(report.spurious) == 1 and report.spurious[0]["kind"] == "call"


def test_duplicate_fact_is_spurious(small_gold: Path) -> None:
    extra = """id:meeting\\/m2 a kh:Meeting ; kh:participant id:person\\/john-bass, id:person\\/ishaq-dar ;
      kh:date "2024-09-16"^^xsd:date ; prov:wasDerivedFrom id:article\\/a1 ."""
    report = evaluate(small_kg(extra=extra), small_gold)
    assert report.per_kind["meeting"].tp == 1 and report.per_kind["meeting"].fp == 1


def test_alias_and_partial_person_names_match(small_gold: Path) -> None:
    # "Tehreek-i-Taliban Pakistan" (label) vs gold alternatives "Tehreek-e-Taliban Pakistan" / "TTP"
    # (alt label "T.T.P." after punctuation stripping); "Ishaq Dar" vs "Mohammad Ishaq Dar";
    # "BLA" perpetrator alias; Quetta is located in Balochistan.
    report = evaluate(small_kg(), small_gold)
    assert report.per_kind["group"].tp == 2
    assert report.per_kind["person"].tp == 2
    assert report.per_kind["attack"].tp == 1


def test_wrong_date_or_count_does_not_match(tmp_path: Path) -> None:
    gold = json.loads(json.dumps(SMALL_GOLD))
    gold["facts"]["meeting"][0]["date"] = "2024-09"          # the KG claims a day the gold does not give
    gold["facts"]["attack"][0]["killed"] = 60
    d = tmp_path / "g"
    d.mkdir()
    (d / "a-1.json").write_text(json.dumps(gold), encoding="utf-8")
    report = evaluate(small_kg(), d)
    assert report.per_kind["meeting"].tp == 0 and report.per_kind["meeting"].fp == 1
    assert report.per_kind["attack"].tp == 0


def test_hard_facts_are_left_out_of_core(tmp_path: Path) -> None:
    gold = json.loads(json.dumps(SMALL_GOLD))
    gold["facts"]["call"] = [{"participants": ["Lloyd Austin", "Asim Munir"], "date": None, "hard": True}]
    d = tmp_path / "g"
    d.mkdir()
    (d / "a-1.json").write_text(json.dumps(gold), encoding="utf-8")
    report = evaluate(small_kg(), d)
    assert report.overall.recall == pytest.approx(7 / 8)
    assert report.core_overall.f1 == 1.0


def test_missing_article_counts_all_its_facts_missed(small_gold: Path) -> None:
    store = ox.Store()
    store.load(PREFIXES + ENTITIES, format=ox.RdfFormat.TRIG)
    report = evaluate(store, small_gold)
    assert report.missing_articles == ["a.txt#1"]
    assert report.overall.recall == 0.0


def test_article_found_by_index_suffix(tmp_path: Path, small_gold: Path) -> None:
    text = (PREFIXES + ENTITIES + ARTICLE % {"attack": ATTACK, "extra": ""}).replace(
        'kh:sourceFile "a.txt"', 'kh:sourceFile "a.txt#1"')
    dump = tmp_path / "kg.trig"
    dump.write_text(text, encoding="utf-8")
    report = evaluate(dump, small_gold)          # a dump file path
    assert report.overall.f1 == 1.0


def test_cli_on_dump_and_store(tmp_path: Path, small_gold: Path, capsys: pytest.CaptureFixture) -> None:
    dump = tmp_path / "kg.nq"
    dump.write_bytes(small_kg().dump(format=ox.RdfFormat.N_QUADS))
    assert main(["--dump", str(dump), "--gold", str(small_gold), "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "overall" in out and "1.000" in out
    # a store directory holding a `current` store
    store_dir = tmp_path / "store" / "current"
    store_dir.mkdir(parents=True)
    store = ox.Store(str(store_dir))
    store.load(dump.read_bytes(), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    assert main(["--store", str(tmp_path / "store"), "--gold", str(small_gold), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["f1"] == 1.0


def test_norm() -> None:
    assert norm("Türkiye") == "turkiye"
    assert norm("The  Resistance-Front") == "resistance front"
    assert norm("Pakistan’s") == "pakistan s" or norm("Pakistan’s") == "pakistan"


# ------------------------------------------------------------------- the gold files themselves

def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", norm(text)).strip("-") or "x"


def _alts(slot) -> list[str]:
    if slot is None:
        return []
    return [slot] if isinstance(slot, str) else list(slot)


def _lit(value) -> str:
    if isinstance(value, bool):
        raise TypeError(value)
    if isinstance(value, (int, float)):
        return f'"{value}"^^xsd:decimal'
    s = str(value)
    if re.fullmatch(r"\d{4}", s):
        return f'"{s}"^^xsd:gYear'
    if re.fullmatch(r"\d{4}-\d\d", s):
        return f'"{s}"^^xsd:gYearMonth'
    if re.fullmatch(r"\d{4}-\d\d-\d\d", s):
        return f'"{s}"^^xsd:date'
    return json.dumps(s, ensure_ascii=False)


def gold_to_trig(gold_dir: Path) -> str:
    """A KG that states exactly the gold facts (first alternative as label, the rest as altLabels)."""
    out = [PREFIXES]
    for n, g in enumerate(load_gold(gold_dir)):
        a = f"<https://w3id.org/khyber/id/article/a{n}>"
        person_names = {norm(x) for p in g.facts["person"] for x in _alts(p["name"])}
        group_names = {norm(x) for p in g.facts["group"] for x in _alts(p["name"])}
        triples: list[str] = [f'{a} a kh:Article ; kh:sourceFile {_lit(g.key)} .']

        def ent(slot, cls=None) -> str:
            alts = _alts(slot)
            iri = f"<https://w3id.org/khyber/id/e/{_slug(alts[0])}>"
            if cls is None:
                cls = ("kh:Person" if norm(alts[0]) in person_names else
                       "kh:MilitantGroup" if norm(alts[0]) in group_names else "kh:Organization")
            triples.append(f"{iri} a {cls} ; rdfs:label {_lit(alts[0])} .")
            for alt in alts[1:]:
                triples.append(f"{iri} skos:altLabel {_lit(alt)} .")
            return iri

        counter = iter(range(10_000))

        def node(cls: str, props: list[tuple[str, str]]) -> None:
            f = f"<https://w3id.org/khyber/id/f/a{n}-{next(counter)}>"
            body = " ; ".join([f"a {cls}", f"prov:wasDerivedFrom {a}"] + [f"{p} {o}" for p, o in props])
            triples.append(f"{f} {body} .")

        def dated(item, props, key="date", pred="kh:date"):
            if item.get(key) is not None:
                val = item[key][0] if isinstance(item[key], list) else item[key]
                props.append((pred, _lit(val)))

        for h in g.facts["holding"]:
            pos = f"<https://w3id.org/khyber/id/position/a{n}-{next(counter)}>"
            title = _alts(h["position"])[0]
            triples.append(f"{pos} a kh:Position ; kh:positionTitle {_lit(title)} .")
            if h.get("of"):
                triples.append(f"{pos} kh:positionOf {ent(h['of'])} .")
            node("kh:PositionHolding", [("kh:holder", ent(h["person"], "kh:Person")), ("kh:heldPosition", pos)])
        for kind, cls in (("meeting", "kh:Meeting"), ("call", "kh:PhoneCall")):
            for m in g.facts[kind]:
                props = [("kh:participant", ent(p)) for p in m["participants"]]
                if m.get("place"):
                    props.append(("kh:location", ent(m["place"], "kh:Place")))
                dated(m, props)
                node("kh:Dialogue" if m.get("type") == "Dialogue" else cls, props)
        for v in g.facts["visit"]:
            props = [("kh:visitor", ent(v["visitor"], "kh:Person"))]
            props += [("kh:destination", ent(d, "kh:Place")) for d in v["destinations"]]
            dated(v, props, "start", "kh:startDate")
            dated(v, props, "end", "kh:endDate")
            node("kh:Visit", props)
        for b in g.facts["briefing"]:
            props = []
            if b.get("spokesperson"):
                props.append(("kh:spokesperson", ent(b["spokesperson"], "kh:Person")))
            elif b.get("body_or_state"):
                props.append(("kh:participant", ent(b["body_or_state"])))
            dated(b, props)
            node("kh:PressBriefing", props)
        for t in g.facts["attack"]:
            props = []
            if t.get("place"):
                props.append(("kh:location", ent(t["place"], "kh:Place")))
            if t.get("perpetrator"):
                props.append(("kh:perpetrator", ent(t["perpetrator"], "kh:MilitantGroup")))
            for key in ("killed", "injured"):
                if t.get(key) is not None:
                    props.append((f"kh:{key}", str(int(t[key]))))
            dated(t, props)
            node("kh:Attack", props)
        for d in g.facts["designation"]:
            props = [("kh:designee", ent(d["designee"]))]
            if d.get("by"):
                props.append(("kh:designatedBy", ent(d["by"])))
            if d.get("type"):
                props.append(("kh:designationType", f"kh:{d['type']}"))
            dated(d, props)
            node("kh:Designation", props)
        for ag in g.facts["agreement"]:
            props = [("kh:party", ent(p)) for p in ag["parties"]]
            if ag.get("valueUSD") is not None:
                props.append(("kh:valueUSD", _lit(ag["valueUSD"])))
            if ag.get("status"):
                props.append(("kh:status", f"kh:{_alts(ag['status'])[0]}"))
            dated(ag, props)
            node("kh:Agreement", props)
        for c in g.facts["claim"]:
            props = [(f"kh:{k}", ent(c[k])) for k in ("claimant", "accused", "deniedBy") if c.get(k)]
            node("kh:Claim", props)
        for af in g.facts["affiliation"]:
            triples.append(f"{ent(af['group'], 'kh:MilitantGroup')} kh:affiliateOf "
                           f"{ent(af['affiliateOf'], 'kh:MilitantGroup')} .")
        for p in g.facts["group"]:
            triples.append(f"{ent(p['name'], 'kh:MilitantGroup')} kh:mentionedIn {a} .")
        for p in g.facts["person"]:
            triples.append(f"{ent(p['name'], 'kh:Person')} kh:mentionedIn {a} .")
        out.append(f"GRAPH {a} {{\n  " + "\n  ".join(triples) + "\n}\n")
    return "\n".join(out)


GOLD_SETS = [GOLD_DIR] + ([GEN_DIR / "gold"] if (GEN_DIR / "gold").is_dir() else [])


@pytest.mark.parametrize("gold_dir", GOLD_SETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_gold_files_are_well_formed(gold_dir: Path) -> None:
    golds = load_gold(gold_dir)
    assert golds, f"no gold files in {gold_dir}"
    for g in golds:
        raw = json.loads(g.path.read_text(encoding="utf-8"))
        assert set(raw["facts"]) == set(KINDS), g.path.name
        for kind in KINDS:
            for item in g.facts[kind]:
                if kind in ("group", "person"):
                    assert _alts(item["name"]), (g.path.name, item)
                    continue
                for date_key in ("date", "start", "end"):
                    vals = item.get(date_key)
                    for val in (vals if isinstance(vals, list) else [vals]):
                        assert val is None or re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", val), (g.path.name, item)


@pytest.mark.parametrize("gold_dir", GOLD_SETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_kg_stating_the_gold_scores_one(gold_dir: Path) -> None:
    store = ox.Store()
    store.load(gold_to_trig(gold_dir), format=ox.RdfFormat.TRIG)
    report = evaluate(store, gold_dir)
    assert report.misses == [], report.format_table(verbose=True)
    assert report.spurious == []
    assert report.overall.f1 == 1.0


# ------------------------------------------------------------------------- end to end (slow)

SETS = {
    "seed": (ROOT / "data" / "articles", GOLD_DIR, GOLD_DIR / "threshold.txt"),
    "generalization": (GEN_DIR / "articles", GEN_DIR / "gold", GEN_DIR / "threshold.txt"),
    "heldout": (ROOT / "tests" / "heldout" / "articles", ROOT / "tests" / "heldout" / "gold",
                ROOT / "tests" / "heldout" / "threshold.txt"),
}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("khyber") is None, reason="the `khyber` command is not installed")
@pytest.mark.parametrize("name", SETS)
def test_build_meets_threshold(tmp_path: Path, name: str) -> None:
    """Building each article set scores at least its threshold.txt (the one knob; raised as the loader improves)."""
    articles, gold, threshold_file = SETS[name]
    store = tmp_path / "store"
    proc = subprocess.run(["khyber", "build", str(articles), "--store", str(store)],
                          cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert proc.returncode in (0, 1), proc.stderr
    report = evaluate(store, gold)
    print(report.format_table(verbose=True))
    threshold = float(threshold_file.read_text(encoding="utf-8").split()[0])
    assert report.missing_articles == [], report.missing_articles
    assert report.overall.f1 >= threshold, report.format_table(verbose=True)
