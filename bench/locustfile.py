"""Locust users for bench/load.py: a mix of the query page's example queries, dumps and pages, optionally
with hostile queries mixed in. KHYBER_LOAD_MIX=normal|hostile picks the mix (bench/load.py sets it).

Every answer is classified here: in the normal mix anything but 200 is an error; in the hostile mix the
refusals a hostile query deserves (400, 403, 408, 413, 429, 503) are expected, and only connection errors and
other 5xx count as errors.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from server.examples import EXAMPLES  # noqa: E402

MIX = os.environ.get("KHYBER_LOAD_MIX", "normal")
EXPECTED_REFUSALS = {400, 403, 408, 413, 429, 503}
TTP = "/id/group/tehreek-e-taliban-pakistan"
PAGES = ["/", "/query", TTP, "/ontology.html", "/-/health", "/ontology.ttl", TTP + ".ttl"]
DUMPS = ["/dump.ttl", "/dump.nt.gz", "/dump.nq", "/dump.jsonld.gz", "/dump.trig"]
HOSTILE = [
    ("service", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"),
    ("service-escaped", "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"),
    ("from-file", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"),
    ("update", "DROP ALL"),
    ("nesting", "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000),
    ("parens", "SELECT (" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) WHERE {}"),
    ("regex", 'SELECT * WHERE { ?s ?p ?o FILTER regex(str(?o), "^(a+)+$") }'),
    ("cartesian", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"),
    ("syntax", "SELECT * WHERE { ?s ?p "),
    ("huge-values", "SELECT * WHERE { VALUES ?x { " + " ".join(f'"{i}"' for i in range(20000)) + " } }"),
]


class Reader(HttpUser):
    """A client reading the KG: queries, pages and now and then a whole dump."""

    wait_time = between(0.05, 0.3)

    def _check(self, response, expected=frozenset({200})):
        if response.status_code in expected:
            response.success()
        else:
            response.failure(f"HTTP {response.status_code}")

    def _query(self, name: str, query: str, expected=frozenset({200})):
        method = random.choice(["get", "post"])
        kwargs = {"params": {"query": query}} if method == "get" and len(query) < 4000 else {
            "data": query.encode("utf-8"), "headers": {"Content-Type": "application/sparql-query"}}
        with getattr(self.client, "get" if "params" in kwargs else "post")(
                "/sparql", name=f"sparql:{name}", catch_response=True,
                headers={**kwargs.pop("headers", {}), "Accept": "application/sparql-results+json"}, **kwargs) as response:
            self._check(response, expected)

    @task(10)
    def example_query(self):
        example = random.choice(EXAMPLES)
        self._query(example.key, example.query, EXPECTED_REFUSALS | {200} if MIX == "hostile" else {200})

    @task(5)
    def page(self):
        path = random.choice(PAGES)
        with self.client.get(path, name=f"page:{path}", catch_response=True,
                             headers={"Accept": "text/html"}) as response:
            self._check(response)

    @task(1)
    def dump(self):
        path = random.choice(DUMPS)
        with self.client.get(path, name=f"dump:{path}", catch_response=True) as response:
            self._check(response)

    @task(6 if MIX == "hostile" else 0)
    def hostile_query(self):
        name, query = random.choice(HOSTILE)
        self._query(f"hostile-{name}", query, EXPECTED_REFUSALS | {200})
