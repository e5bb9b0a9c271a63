"""SHACL shapes as data: valid files conform, each invalid file fails on exactly its expected shape and path.

Files: ``tests/shapes/valid/*.ttl`` (plus tests/ontology/sample-kg.ttl) must conform;
``tests/shapes/invalid/<shape>-<rule>.ttl`` start with a header

    # expect-shape: khsh:Attack-killed     (the sh:sourceShape of every result)
    # expect-path: kh:killed               (the sh:resultPath of every result, or 'none')
    # mode: both | inferred                (inferred: only the OWL RL closure exposes the error)
    # expect-inferred: khsh:S kh:p; khsh:T none   (optional: the results after the OWL RL closure,
                                           when range typing moves the error to another shape)
    # pyrudof: <reason>                    (optional: a known pyrudof disagreement)

Each file is validated merged with the ontology, without and (marked slow) with the owlrl closure,
the two ways the loader can run. pyrudof, an independent SHACL engine, must agree on conformance.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from .conftest import (ONTOLOGY_TTL, REPO, SAMPLE_KG, SHAPES_TTL, expand, header, shapes_graph,
                       validate_file)

HERE = Path(__file__).resolve().parent
VALID = sorted((HERE / "valid").glob("*.ttl")) + [SAMPLE_KG]
INVALID = sorted((HERE / "invalid").glob("*.ttl"))
MODES = [pytest.param(False, id="asserted"), pytest.param(True, id="inferred", marks=pytest.mark.slow)]
CONTRACT = REPO.parent / "shared" / "contract.md"


def _ids(paths):
    return [p.stem for p in paths]


def test_there_are_test_files():
    """The data-driven suites are populated and every invalid file is named <shape>-<rule>."""
    assert len(VALID) >= 3 and len(INVALID) >= 20
    shapes = {str(s).rsplit("#", 1)[-1] for s in shapes_graph().subjects()
              if isinstance(s, rdflib.URIRef) and "#" in str(s)}
    for path in INVALID:
        expected = header(path)["expect-shape"].split(":", 1)[1]
        prefix = expected.removesuffix("Shape")
        assert path.stem.startswith(prefix + "-"), f"{path.name} should be named {prefix}-<rule>.ttl"
        assert expected in shapes, f"{path.name}: no shape {expected}"


@pytest.mark.parametrize("inferred", MODES)
@pytest.mark.parametrize("path", VALID, ids=_ids(VALID))
def test_valid_file_conforms(path, inferred):
    """A valid file conforms, with or without the OWL RL closure."""
    conforms, results = validate_file(path, inferred=inferred)
    assert conforms, "\n".join(f"{r.shape} {r.path} {r.focus}: {r.messages}" for r in results)


@pytest.mark.parametrize("inferred", MODES)
@pytest.mark.parametrize("path", INVALID, ids=_ids(INVALID))
def test_invalid_file_fails_on_expected_shape_and_path(path, inferred):
    """An invalid file fails, and every result names the expected shape and path, with a message."""
    fields = header(path)
    shape, expected_path = expand(fields["expect-shape"]), expand(fields["expect-path"])
    conforms, results = validate_file(path, inferred=inferred)
    if fields.get("mode", "both") == "inferred" and not inferred:
        # The error is only visible in the closure; without it the file must not raise anything else.
        assert conforms, [(str(r.shape), str(r.path)) for r in results]
        return
    expected = [(str(shape), str(expected_path))]
    if inferred and "expect-inferred" in fields:
        pairs = [pair.split() for pair in fields["expect-inferred"].split(";")]
        expected = sorted((str(expand(s)), str(expand(p))) for s, p in pairs)
    assert not conforms, f"{path.name} conforms but should fail on {expected}"
    got = sorted({(str(r.shape), str(r.path)) for r in results})
    assert got == expected, f"{path.name}: results on {got}"
    assert all(r.messages and all(m.strip() for m in r.messages) for r in results), "a result has no message"


def test_shapes_pass_meta_shacl():
    """The shapes graph is valid SHACL (pyshacl's meta-SHACL check against SHACL-SHACL)."""
    import pyshacl

    conforms, _, text = pyshacl.validate(rdflib.Graph(), shacl_graph=shapes_graph(), meta_shacl=True,
                                         advanced=True)
    assert conforms, text


def test_meta_shacl_catches_a_broken_shape():
    """Meta-SHACL rejects a malformed shape (a string cardinality), so the check above can fail."""
    import pyshacl
    from pyshacl.errors import ReportableRuntimeError

    broken = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:x:S> a sh:NodeShape ; sh:targetClass <urn:x:C> ;
            sh:property [ sh:path <urn:x:p> ; sh:minCount "one" ] .""", format="turtle")
    with pytest.raises(ReportableRuntimeError):
        pyshacl.validate(rdflib.Graph(), shacl_graph=broken, meta_shacl=True)


def test_every_shape_has_a_message():
    """Every property shape, and every node shape with its own constraints, has an English sh:message."""
    g = shapes_graph()
    node_level = [SH.pattern, SH.nodeKind, SH["or"], SH.sparql, SH["in"], SH["class"], SH.datatype]
    missing = []
    for shape in set(g.subjects(RDF.type, SH.PropertyShape)) | set(g.subjects(RDF.type, SH.NodeShape)):
        is_property = (shape, RDF.type, SH.PropertyShape) in g
        constrained = is_property or any((shape, p, None) in g for p in node_level)
        messages = [m for m in g.objects(shape, SH.message) if getattr(m, "language", None) == "en"]
        if constrained and not messages:
            missing.append(str(shape))
    assert missing == []


def _contract_classes() -> list[str]:
    """The kh: classes listed in the contract's class table (and its ⊑ lines)."""
    text = CONTRACT.read_text(encoding="utf-8")
    table = text.split("## Classes", 1)[1].split("## Properties", 1)[0]
    return sorted(set(re.findall(r"`kh:([A-Z]\w*)`", table)))


def test_every_contract_class_has_a_node_shape():
    """Each class of the public contract is the sh:targetClass of some node shape."""
    if not CONTRACT.exists():
        pytest.skip(f"contract not found at {CONTRACT} (CI keeps ../shared beside the repo)")
    g = shapes_graph()
    kh = "https://w3id.org/khyber/ontology#"
    targeted = {str(c)[len(kh):] for c in g.objects(None, SH.targetClass) if str(c).startswith(kh)}
    # Individuals named in the contract's class table (designation types) are not classes.
    classes = [c for c in _contract_classes() if c not in ("ForeignTerroristOrganization",
                                                          "SpeciallyDesignatedGlobalTerrorist")]
    assert [c for c in classes if c not in targeted] == []


# --------------------------------------------------------------------------- pyrudof cross-check

def _rudof_report(path: Path):
    """Validate the file merged with the ontology with pyrudof (no inference)."""
    pyrudof = pytest.importorskip("pyrudof", reason="pyrudof not installed (pip install pyrudof)")
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(str(ONTOLOGY_TTL))
    rudof.read_data(str(path), merge=True)
    rudof.read_shacl(str(SHAPES_TTL))
    return rudof.validate_shacl()


@pytest.mark.parametrize("path", VALID + INVALID, ids=_ids(VALID + INVALID))
def test_pyrudof_agrees_on_conformance(path, request):
    """pyrudof and pyshacl give the same conformance for the file (asserted triples plus ontology)."""
    reason = header(path).get("pyrudof")
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"known pyrudof disagreement: {reason}"))
    report = _rudof_report(path)
    conforms, results = validate_file(path, inferred=False)
    rudof_shapes = sorted({str(v.source_shape) for v in report.violations})
    assert report.conforms == conforms, (
        f"pyshacl conforms={conforms} {sorted({str(r.shape) for r in results})}; "
        f"pyrudof conforms={report.conforms} {rudof_shapes}")


def test_pyrudof_agrees_on_built_kg(tmp_path, kg_dump_path):
    """On a built KG (the bundled articles or KHYBER_KG_DUMP; all graphs merged, inferences included) both agree."""
    import gzip

    import pyoxigraph as ox

    path = Path(kg_dump_path)
    data, suffixes = path.read_bytes(), path.suffixes
    if suffixes[-1] == ".gz":
        data, suffixes = gzip.decompress(data), suffixes[:-1]
    fmt = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".trig": ox.RdfFormat.TRIG,
           ".nq": ox.RdfFormat.N_QUADS, ".jsonld": ox.RdfFormat.JSON_LD}[suffixes[-1]]
    store = ox.Store()
    if fmt.supports_datasets:
        store.load(data, format=fmt)
    else:
        store.load(data, format=fmt, to_graph=ox.DefaultGraph())
    flat = tmp_path / "kg.nt"
    flat.write_bytes(ox.serialize({q.triple for q in store}, format=ox.RdfFormat.N_TRIPLES))
    report = _rudof_report(flat)
    conforms, results = validate_file(flat, inferred=False)
    print(f"built KG: pyshacl conforms={conforms} ({len(results)} results); pyrudof conforms={report.conforms}")
    assert report.conforms == conforms, (sorted({str(r.shape) for r in results})[:10],
                                         sorted({str(v.source_shape) for v in report.violations})[:10])
