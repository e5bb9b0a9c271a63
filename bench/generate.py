"""Synthetic inputs for the benchmarks: news articles, and news-shaped knowledge graphs.

    python bench/generate.py articles 1000 --out var/bench/articles-1000
    python bench/generate.py kg 100000 --out var/bench/kg-100k.nq [--store var/bench/store-100k]

Articles are plain English news copy (~600 words) in the kinds of sentence Khyber's loader reads:
officials with their titles meeting, visits, attacks with casualties claimed by groups, designations,
agreements with values; people get random names, states, groups and places come from real ones.
They depend on nothing in the loader. Knowledge graphs are N-Quads in the contract's vocabulary, one
named graph per synthetic article plus its inferred graph, with the ontology and reference data
added when loaded into a store, so every example query of the query page has answers. The same
seed gives the same output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

FIRST = ["Ahmed", "Ayesha", "Bilal", "Fatima", "Hamid", "Imran", "Javed", "Kamran", "Mariam", "Nadia", "Omar",
         "Rashid", "Saima", "Tariq", "Usman", "Zainab", "Asad", "Farhan", "Hina", "Sadia", "John", "Mary",
         "Robert", "Linda", "James", "Karen", "David", "Susan", "Michael", "Emily", "Daniel", "Laura", "Thomas",
         "Rachel", "Kevin", "Megan", "Brian", "Julia", "Steven", "Anna"]
LAST = ["Khan", "Qureshi", "Malik", "Siddiqui", "Chaudhry", "Butt", "Sheikh", "Abbasi", "Rana", "Mirza", "Hashmi",
        "Jamali", "Bhatti", "Awan", "Niazi", "Durrani", "Smith", "Johnson", "Miller", "Davis", "Wilson", "Taylor",
        "Anderson", "Thompson", "Walker", "Harris", "Clark", "Lewis", "Young", "Hall", "Carter", "Mitchell",
        "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins"]
STATES = {  # name: (demonym, capital, posts)
    "Pakistan": ("Pakistani", "Islamabad", ["Foreign Minister", "Interior Minister", "Defence Minister",
                                            "Foreign Secretary", "Finance Minister", "National Security Adviser"]),
    "United States": ("US", "Washington", ["Secretary of State", "Deputy Secretary of State", "Defense Secretary",
                                           "Ambassador to Pakistan", "National Security Adviser",
                                           "Special Representative for Afghanistan"]),
    "China": ("Chinese", "Beijing", ["Foreign Minister", "Ambassador to Pakistan", "Defence Minister"]),
    "Afghanistan": ("Afghan", "Kabul", ["Foreign Minister", "Interior Minister", "Defence Minister"]),
    "United Kingdom": ("British", "London", ["Foreign Secretary", "Defence Secretary", "Home Secretary"]),
    "Saudi Arabia": ("Saudi", "Riyadh", ["Foreign Minister", "Defence Minister"]),
}
GROUPS = [("Tehreek-e-Taliban Pakistan", "TTP"), ("Balochistan Liberation Army", "BLA"),
          ("Islamic State Khorasan Province", "ISKP"), ("Lashkar-e-Taiba", "LeT"), ("Jaish-e-Mohammed", "JeM"),
          ("Baloch Liberation Front", "BLF"), ("Jamaat-ul-Ahrar", "JuA"), ("Hafiz Gul Bahadur group", None)]
PLACES = [("Quetta", "Balochistan"), ("Peshawar", "Khyber Pakhtunkhwa"), ("Bannu", "Khyber Pakhtunkhwa"),
          ("Dera Ismail Khan", "Khyber Pakhtunkhwa"), ("Karachi", "Sindh"), ("Turbat", "Balochistan"),
          ("Gwadar", "Balochistan"), ("Lahore", "Punjab"), ("Mastung", "Balochistan"), ("Kohat", "Khyber Pakhtunkhwa")]
ATTACKS = ["suicide bombing", "bomb blast", "gun attack", "coordinated attacks", "ambush", "roadside bombing"]
VICTIMS = ["soldiers", "policemen", "civilians", "security personnel", "worshippers", "labourers"]
DESIGNATORS = [("The US State Department", "a Foreign Terrorist Organization"),
               ("The US Treasury Department", "a Specially Designated Global Terrorist"),
               ("Pakistan's Interior Ministry", "a proscribed organisation"),
               ("The United Kingdom", "a proscribed terrorist organisation")]
AGREEMENTS = [("security cooperation agreement", "signed"), ("loan agreement", "signed"),
              ("counter-terrorism cooperation pact", "renewed"), ("military training programme", "signed"),
              ("trade and investment framework agreement", "signed"), ("energy cooperation deal", "signed")]
FILLER = [
    "Analysts said the development reflected the shifting security situation in the region.",
    "The two sides also discussed trade, energy and climate change, according to officials familiar with the talks.",
    "Officials said further consultations were expected in the coming weeks.",
    "The statement stressed the importance of regional stability and the fight against terrorism.",
    "Security was tightened across the province after the incident, police said.",
    "Observers noted that relations between the two countries have seen several ups and downs over the past decade.",
    "The opposition criticised the government's handling of the issue in a parliamentary debate.",
    "Diplomats said the meeting was held in a cordial atmosphere.",
    "The foreign office spokesperson told reporters that dialogue remained the best way forward.",
    "Local residents said they had heard several explosions before dawn.",
    "Economists warned that the country's fragile economy depended on continued international support.",
    "The United Nations has repeatedly called for restraint and for the protection of civilians.",
    "Details of the discussions were not made public.",
    "A senior official, speaking on condition of anonymity, said the talks had been constructive.",
    "The province has witnessed a surge in violence since the collapse of a ceasefire.",
    "Officials said the measures were aimed at choking the financing of militant networks.",
]
FILLER_TEMPLATES = [
    "Residents of {city} said life had slowly returned to normal after weeks of tension.",
    "Traders in {city} complained that repeated closures had hurt business.",
    "The provincial government announced compensation for families affected by the violence in {city}.",
    "Schools in {city} remained closed for a second day as a precaution.",
    "Commentators on television debated the implications for relations with {state}.",
    "Newspapers in {state} gave the story prominent coverage on their front pages.",
    "Business leaders welcomed the prospect of closer economic ties with {state}.",
    "The talks come weeks after a similar round of consultations in {capital}.",
    "Opposition lawmakers demanded that the government brief parliament on the matter.",
    "Human rights groups urged the authorities to ensure due process.",
    "The market reacted calmly, with the stock index closing slightly higher.",
    "Officials declined to say when the next round of talks would be held.",
]
PUBLISHERS = ["The Daily Synthetic", "Synthetic Herald", "Bench News Service", "The Generated Times"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class ArticleWriter:
    """Writes one synthetic article: front matter, dateline, fact sentences and filler to ~600 words."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.people: dict[tuple[str, str], str] = {}

    def person(self, state: str, post: str) -> str:
        """The same office holder for a (state, post) within a run, as in a real news stream."""
        key = (state, post)
        if key not in self.people or self.rng.random() < 0.05:
            self.people[key] = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
        return self.people[key]

    def official(self, state: str) -> tuple[str, str]:
        """'Pakistan's Foreign Minister Ahmed Khan', and the bare surname for later mentions."""
        post = self.rng.choice(STATES[state][2])
        name = self.person(state, post)
        owner = "US" if state == "United States" else f"{state}'s"
        return f"{owner} {post} {name}", name.split()[-1]

    def meeting(self, day: dt.date) -> list[str]:
        a, b = "Pakistan", self.rng.choice([s for s in STATES if s != "Pakistan"])
        if self.rng.random() < 0.5:
            a, b = b, a
        who_a, last_a = self.official(a)
        who_b, _ = self.official(b)
        place = STATES[self.rng.choice([a, b])][1]
        return [f"{who_a} met {who_b} in {place} on {_date(day)}.",
                f"{last_a} said the two countries would deepen cooperation on security and counter-terrorism."]

    def visit(self, day: dt.date) -> list[str]:
        state = self.rng.choice([s for s in STATES if s != "Pakistan"])
        who, last = self.official(state)
        days = self.rng.choice(["two-day", "three-day", "four-day"])
        return [f"{who} arrived in Islamabad on {_date(day)} on a {days} official visit to Pakistan.",
                f"During the visit, {last} is scheduled to hold talks with the civil and military leadership."]

    def attack(self, day: dt.date) -> list[str]:
        city, province = self.rng.choice(PLACES)
        group, short = self.rng.choice(GROUPS)
        killed, injured = self.rng.randint(2, 40), self.rng.randint(0, 60)
        victims = self.rng.choice(VICTIMS)
        kind = self.rng.choice(ATTACKS)
        named = f"the {group} ({short})" if short else f"the {group}"
        return [f"At least {killed} {victims} were killed and {injured} others injured in a {kind} in {city}, "
                f"{province}, on {_date(day)}, officials said.",
                f"{named[0].upper()}{named[1:]} claimed responsibility for the attack."]

    def designation(self, day: dt.date) -> list[str]:
        group, _short = self.rng.choice(GROUPS)
        who, kind = self.rng.choice(DESIGNATORS)
        return [f"{who} designated the {group} as {kind} on {_date(day)}.",
                "The designation freezes any assets the group holds and bars dealings with it."]

    def agreement(self, day: dt.date) -> list[str]:
        partner = self.rng.choice(["United States", "China", "Saudi Arabia", "United Kingdom"])
        kind, verb = self.rng.choice(AGREEMENTS)
        value = self.rng.choice(["$150 million", "$1.2 billion", "$500 million", "$2 billion", "$75 million"])
        return [f"Pakistan and {_the(partner)} {verb} a {value} {kind} in Islamabad on {_date(day)}.",
                "Officials said the agreement would run for five years."]

    def filler(self) -> str:
        """A background sentence with no fact the loader should find."""
        state = self.rng.choice(list(STATES))
        return self.rng.choice(FILLER_TEMPLATES).format(
            city=self.rng.choice(PLACES)[0], state=_the(state), capital=STATES[state][1])

    def article(self, index: int, start: dt.date) -> str:
        """One article, YAML front matter included, about `index` days after `start`."""
        rng = self.rng
        published = start + dt.timedelta(days=index % 900)
        kinds = rng.sample([self.meeting, self.visit, self.attack, self.designation, self.agreement], k=rng.randint(2, 4))
        sentences: list[str] = []
        for make in kinds:
            sentences += make(published - dt.timedelta(days=rng.randint(0, 3)))
        paragraphs = [" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2)]
        words = sum(len(p.split()) for p in paragraphs)
        filler = rng.sample(FILLER, k=len(FILLER))
        while words < 560:  # typical article length ~600 words
            if len(filler) < 3:
                filler += [self.filler() for _ in range(3)]
            paragraph = " ".join(filler.pop() for _ in range(3))
            paragraphs.insert(rng.randint(1, len(paragraphs)), paragraph)
            words += len(paragraph.split())
        title = sentences[0].split(" on ")[0].rstrip(".")
        dateline = rng.choice(["ISLAMABAD", "PESHAWAR", "QUETTA", "WASHINGTON", "KARACHI"])
        paragraphs[0] = f"{dateline}: {paragraphs[0]}"
        front = (f"---\ntitle: \"{title} ({index})\"\ndate: {published.isoformat()}\n"
                 f"url: https://news.example.org/synthetic/{index}\npublisher: {rng.choice(PUBLISHERS)}\n---\n")
        return front + "\n\n".join(paragraphs) + "\n"


def _the(state: str) -> str:
    return f"the {state}" if state in ("United States", "United Kingdom") else state


def _date(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def write_articles(count: int, out: Path, *, seed: int = 7, per_file: int = 1) -> list[Path]:
    """Write `count` synthetic articles into `out` (one file each by default); returns the files."""
    rng = random.Random(seed)
    writer = ArticleWriter(rng)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    start = dt.date(2023, 1, 2)
    for first in range(0, count, per_file):
        texts = [writer.article(i, start) for i in range(first, min(count, first + per_file))]
        path = out / f"synthetic-{first:06d}.md"
        path.write_text("\n".join(texts), encoding="utf-8")
        files.append(path)
    return files


# ---------------------------------------------------------------------------------------------
# Synthetic knowledge graphs (N-Quads, contract vocabulary)

KH = "https://w3id.org/khyber/ontology#"
ID = "https://w3id.org/khyber/id/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
PROV = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
DATE = "<http://purl.org/dc/terms/date>"
TITLE = "<http://purl.org/dc/terms/title>"
XSD = "http://www.w3.org/2001/XMLSchema#"
STATE_SLUGS = {"Pakistan": "pakistan", "United States": "united-states", "China": "china",
               "Afghanistan": "afghanistan", "United Kingdom": "united-kingdom", "Saudi Arabia": "saudi-arabia"}


def _slug(text: str) -> str:
    return "-".join("".join(c.lower() if c.isalnum() else " " for c in text).split())


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _typed(value, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def kg_quads(triples: int, *, seed: int = 7):
    """Yield N-Quads lines, news-shaped, until about `triples` quads (asserted plus inferred)."""
    rng = random.Random(seed)
    people = [f"{f} {l}" for f in FIRST for l in LAST]  # 1,600 people reused across articles, as in news
    count, n = 0, 0
    start = dt.date(2020, 1, 1)
    while count < triples:
        n += 1
        day = start + dt.timedelta(days=n % 2000)
        art = f"<{ID}article/synthetic-{n}>"
        g = art
        inf = f"<https://w3id.org/khyber/graph/inferred/synthetic-{n}>"
        out = [f"{art} {RDF_TYPE} <{KH}Article> {g} .", f"{art} {TITLE} {_lit(f'Synthetic article {n}')} {g} .",
               f"{art} {DATE} {_typed(day.isoformat(), 'date')} {g} .",
               f"{art} {LABEL} {_lit(f'Synthetic article {n}')} {g} ."]
        inferred = []
        officials = []
        for _ in range(rng.randint(2, 4)):  # officials and their posts
            state = rng.choice(list(STATES))
            post = rng.choice(STATES[state][2])
            name = rng.choice(people)
            person = f"<{ID}person/{_slug(name)}>"
            position = f"<{ID}position/{_slug(post + ' of ' + state)}>"
            holding = f"<{ID}holding/{_slug(name + ' ' + post + ' of ' + state)}>"
            officials.append((person, state))
            out += [f"{person} {RDF_TYPE} <{KH}Person> {g} .", f"{person} {LABEL} {_lit(name)} {g} .",
                    f"{position} {RDF_TYPE} <{KH}Position> {g} .", f"{position} {LABEL} {_lit(post + ' of ' + state)} {g} .",
                    f"{position} <{KH}positionOf> <{ID}state/{STATE_SLUGS[state]}> {g} .",
                    f"{person} <{KH}holdsPosition> {position} {g} .",
                    f"{holding} {RDF_TYPE} <{KH}PositionHolding> {g} .", f"{holding} <{KH}holder> {person} {g} .",
                    f"{holding} <{KH}heldPosition> {position} {g} .", f"{holding} {PROV} {art} {g} ."]
            inferred += [f"{person} {RDF_TYPE} <{KH}Official> {inf} .", f"{person} {RDF_TYPE} <{KH}Agent> {inf} .",
                         f"{person} <{KH}officialOf> <{ID}state/{STATE_SLUGS[state]}> {inf} .",
                         f"{position} <{KH}positionHeldBy> {person} {inf} ."]
        events = rng.sample(["meeting", "attack", "designation", "agreement", "visit"], k=rng.randint(2, 3))
        for i, kind in enumerate(events):
            ev = f"<{ID}{kind}/synthetic-{n}-{i}>"
            cls = {"meeting": "Meeting", "attack": "Attack", "designation": "Designation",
                   "agreement": "Agreement", "visit": "Visit"}[kind]
            out += [f"{ev} {RDF_TYPE} <{KH}{cls}> {g} .", f"{ev} {PROV} {art} {g} .",
                    f"{ev} {LABEL} {_lit(f'{cls} {n}-{i}')} {g} .",
                    f"{ev} <{KH}evidence> {_lit('A sentence of synthetic article ' + str(n) + '.')} {g} .",
                    f"{ev} <{KH}date> {_typed(day.isoformat(), 'date')} {g} ."]
            inferred += [f"{ev} {RDF_TYPE} <{KH}ExtractedFact> {inf} ."]
            if cls != "Agreement":
                inferred.append(f"{ev} {RDF_TYPE} <{KH}Event> {inf} .")
            if kind in ("meeting", "visit"):
                for person, _state in officials[:2]:
                    out.append(f"{ev} <{KH}participant> {person} {g} .")
                    inferred.append(f"{person} <{KH}participatedIn> {ev} {inf} .")
            elif kind == "attack":
                city, _province = rng.choice(PLACES)
                group = f"<{ID}group/{_slug(rng.choice(GROUPS)[0])}>"
                out += [f"{ev} <{KH}perpetrator> {group} {g} .", f"{ev} <{KH}location> <{ID}place/{_slug(city)}> {g} .",
                        f"{ev} <{KH}killed> {_typed(rng.randint(1, 60), 'integer')} {g} .",
                        f"{ev} <{KH}injured> {_typed(rng.randint(0, 90), 'integer')} {g} ."]
                inferred += [f"{group} <{KH}perpetrated> {ev} {inf} .",
                             f"{ev} <{KH}occurredIn> <{ID}state/pakistan> {inf} ."]
            elif kind == "designation":
                group = f"<{ID}group/{_slug(rng.choice(GROUPS)[0])}>"
                out += [f"{ev} <{KH}designee> {group} {g} .",
                        f"{ev} <{KH}designatedBy> <{ID}state/{rng.choice(['united-states', 'pakistan', 'united-kingdom'])}> {g} .",
                        f"{ev} <{KH}designationType> <{KH}{rng.choice(['ForeignTerroristOrganization', 'SpeciallyDesignatedGlobalTerrorist', 'Proscription'])}> {g} ."]
                inferred.append(f"{group} <{KH}designatedIn> {ev} {inf} .")
            else:
                partner = rng.choice(["united-states", "china", "saudi-arabia"])
                out += [f"{ev} <{KH}party> <{ID}state/pakistan> {g} .", f"{ev} <{KH}party> <{ID}state/{partner}> {g} .",
                        f"{ev} <{KH}valueUSD> {_typed(rng.choice([75, 150, 500, 1200, 2000]) * 1000000, 'decimal')} {g} .",
                        f"{ev} <{KH}status> <{KH}Signed> {g} ."]
                inferred += [f"<{ID}state/pakistan> <{KH}partyTo> {ev} {inf} .", f"<{ID}state/{partner}> <{KH}partyTo> {ev} {inf} ."]
        for line in out + inferred:
            yield line
        count += len(out) + len(inferred)


def write_kg(triples: int, out: Path, *, seed: int = 7) -> int:
    """Write a synthetic KG of about `triples` quads as N-Quads; returns the number written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(out, "w", encoding="utf-8") as handle:
        for line in kg_quads(triples, seed=seed):
            handle.write(line + "\n")
            written += 1
    return written


def load_kg_store(nquads: Path, store_dir: Path) -> Path:
    """A Khyber store (the build layout the server reads) holding the KG, the ontology and the reference data."""
    import pyoxigraph as ox

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from loader.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from loader.resources import ontology_graph, reference_graph
    from loader.store import NewBuild, build_lock

    store_dir = Path(store_dir)
    with build_lock(store_dir):
        new = NewBuild(store_dir)
        try:
            new.store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
            for name, graph in ((ONTOLOGY_GRAPH, ontology_graph()), (REFERENCE_GRAPH, reference_graph())):
                new.store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                               to_graph=ox.NamedNode(str(name)))
            new.commit()
        except BaseException:
            new.abort()
            raise
    return store_dir


def main(argv: list[str] | None = None) -> int:
    """Command line: `articles N --out DIR` or `kg TRIPLES --out FILE.nq [--store DIR]`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    a = sub.add_parser("articles", help="synthetic news articles")
    a.add_argument("count", type=int)
    a.add_argument("--out", type=Path, required=True)
    a.add_argument("--per-file", type=int, default=1, help="articles per .md file (default 1)")
    a.add_argument("--seed", type=int, default=7)
    k = sub.add_parser("kg", help="a synthetic knowledge graph as N-Quads")
    k.add_argument("triples", type=int)
    k.add_argument("--out", type=Path, required=True)
    k.add_argument("--store", type=Path, default=None, help="also load it into a Khyber store here")
    k.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.what == "articles":
        files = write_articles(args.count, args.out, seed=args.seed, per_file=args.per_file)
        words = sum(len(f.read_text().split()) for f in files[:50]) / max(1, min(50, len(files)))
        print(f"| articles | files | words/file | seconds |\n|---|---|---|---|\n"
              f"| {args.count} | {len(files)} | {words:.0f} | {time.perf_counter() - started:.1f} |")
    else:
        written = write_kg(args.triples, args.out, seed=args.seed)
        print(f"| quads | file | seconds |\n|---|---|---|\n| {written} | {args.out} | {time.perf_counter() - started:.1f} |")
        if args.store:
            load_kg_store(args.out, args.store)
            print(f"loaded into {args.store}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
