"""End to end as a user would: `khyber build`, `khyber dump`, `khyber serve` as a real process, SPARQLWrapper."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import urllib.request
import warnings

import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import GET, JSON, POST, SPARQLWrapper

from tests.conftest import ARTICLES
from tests.processes import stop, wait_until

pytestmark = pytest.mark.slow

TTP = "https://w3id.org/khyber/id/group/tehreek-e-taliban-pakistan"
GROUPS = """
PREFIX kh: <https://w3id.org/khyber/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?group ?label ?alias WHERE {
  ?group a kh:MilitantGroup ; rdfs:label ?label .
  OPTIONAL { ?group skos:altLabel ?alias }
}"""


def _khyber(*args, **kwargs):
    exe = shutil.which("khyber")
    command = [exe, *args] if exe else [sys.executable, "-m", "loader.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("e2e") / "store"
    result = _khyber("build", str(ARTICLES), "--store", str(store), "--quiet")
    assert result.returncode == 0, result.stderr
    return store


@pytest.fixture(scope="module")
def server(cli_store):
    port = _free_port()
    exe = shutil.which("khyber")
    command = [exe] if exe else [sys.executable, "-m", "loader.cli"]
    process = subprocess.Popen([*command, "serve", "--store", str(cli_store), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    if not wait_until(lambda: urllib.request.urlopen(base + "/", timeout=2).status == 200, process):
        stop(process)
        pytest.fail(f"khyber serve did not answer within 60 s: {process.stdout.read()}")
    yield base
    stop(process)
    process.stdout.close()


@pytest.mark.parametrize("method", [GET, POST])
def test_ttp_is_one_node_with_its_aliases_over_http(server, method):
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(GROUPS)
    client.setMethod(method)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    ttp_nodes = {r["group"]["value"] for r in rows
                 if "taliban pakistan" in r["label"]["value"].lower() or r.get("alias", {}).get("value") == "TTP"}
    assert ttp_nodes == {TTP}
    aliases = {r["alias"]["value"] for r in rows if r["group"]["value"] == TTP and "alias" in r}
    assert {"TTP", "Pakistani Taliban"} <= aliases


def test_serve_prints_the_url_and_answers_the_home_page(server):
    page = urllib.request.urlopen(server + "/", timeout=5).read().decode()
    assert "/sparql" in page


def test_dump_trig_parses_with_rdflib_and_oxigraph(cli_store, tmp_path):
    output = tmp_path / "kg.trig"
    result = _khyber("dump", "--store", str(cli_store), "--format", "trig", "--output", str(output))
    assert result.returncode == 0, result.stderr
    dataset = rdflib.Dataset()
    with warnings.catch_warnings():  # rdflib 7.6's own Dataset.parse uses its deprecated default_context
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=output.read_bytes(), format="trig")
    quads = list(ox.parse(path=str(output), format=ox.RdfFormat.TRIG))
    assert len(quads) > 500
    assert len(set(dataset.quads((None, None, None, None)))) == len(set(quads))


def test_query_command_prints_rows(cli_store):
    result = _khyber("query", "--store", str(cli_store), "SELECT ?p WHERE { ?p a kh:Person } LIMIT 3")
    assert result.returncode == 0 and "(3 rows)" in result.stdout


def test_validate_command_conforms(cli_store):
    result = _khyber("validate", "--store", str(cli_store))
    assert result.returncode == 0, result.stdout[-2000:]


def test_build_reports_a_bad_article_and_loads_the_rest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ARTICLES / "004_51c1757cb031821a.txt", folder)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    result = _khyber("build", str(folder), "--store", str(tmp_path / "store"), "--quiet")
    assert result.returncode == 1
    assert "broken.json" in result.stderr and "invalid JSON" in result.stderr
    count = _khyber("query", "--store", str(tmp_path / "store"), "SELECT ?a WHERE { ?a a kh:Article }")
    assert "(1 rows)" in count.stdout
