"""Example queries offered on the query page (each is tested against the bundled articles)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    """A named example query."""

    key: str
    title: str
    query: str


EXAMPLES = [
    Example("posts", "Who holds which post", """\
SELECT ?person ?name ?position ?post ?of WHERE {
  ?person kh:holdsPosition ?position ;
          rdfs:label ?name .
  ?position rdfs:label ?post .
  OPTIONAL { ?position kh:positionOf/rdfs:label ?of }
}
ORDER BY ?post ?name"""),
    Example("designations", "Designations: who listed whom, and how", """\
SELECT ?designation ?designee ?group ?by ?authority ?type ?date WHERE {
  ?designation a kh:Designation ;
               kh:designee ?designee .
  ?designee rdfs:label ?group .
  OPTIONAL { ?designation kh:designatedBy ?by . ?by rdfs:label ?authority }
  OPTIONAL { ?designation kh:designationType/rdfs:label ?type }
  OPTIONAL { ?designation kh:date ?date }
}
ORDER BY DESC(?date) ?group"""),
    Example("attacks", "Attacks by group, with casualties", """\
SELECT ?group ?name (COUNT(DISTINCT ?attack) AS ?attacks) (SUM(?k) AS ?killed) (SUM(?i) AS ?injured) WHERE {
  ?attack a kh:Attack ;
          kh:perpetrator ?group .
  ?group rdfs:label ?name .
  OPTIONAL { ?attack kh:killed ?k }
  OPTIONAL { ?attack kh:injured ?i }
}
GROUP BY ?group ?name
ORDER BY DESC(?killed)"""),
    Example("meetings", "Meetings between US and Pakistani officials", """\
SELECT DISTINCT ?meeting ?date ?usOfficial ?us ?pkOfficial ?pk WHERE {
  ?meeting a kh:Meeting ;
           kh:participant ?usOfficial, ?pkOfficial .
  ?usOfficial kh:holdsPosition/kh:positionOf <https://w3id.org/khyber/id/state/united-states> ;
              rdfs:label ?us .
  ?pkOfficial kh:holdsPosition/kh:positionOf <https://w3id.org/khyber/id/state/pakistan> ;
              rdfs:label ?pk .
  OPTIONAL { ?meeting kh:date ?date }
}
ORDER BY DESC(?date)"""),
    Example("article", "Facts of one article, with their evidence", """\
SELECT ?fact ?type ?evidence ?article ?title WHERE {
  {
    SELECT ?article WHERE { ?article a kh:Article ; dcterms:date ?d }
    ORDER BY DESC(?d) ?article LIMIT 1
  }
  OPTIONAL { ?article dcterms:title ?title }
  ?fact prov:wasDerivedFrom ?article ;
        a ?type ;
        kh:evidence ?evidence .
  FILTER(STRSTARTS(STR(?type), STR(kh:)))
}
ORDER BY ?type ?fact"""),
    Example("groups", "Militant groups and their aliases", """\
SELECT ?group ?label (GROUP_CONCAT(DISTINCT ?alias; separator=", ") AS ?aliases) WHERE {
  ?group a kh:MilitantGroup ;
         rdfs:label ?label .
  OPTIONAL { ?group skos:altLabel ?alias }
}
GROUP BY ?group ?label
ORDER BY ?label"""),
]
