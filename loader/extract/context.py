"""What every extractor shares about one article: sentences, entity mentions, people found so far."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rdflib import URIRef

from ..articles import _DATELINE, Article
from ..gazetteer import Entry, Gazetteer, Mention, default_gazetteer
from ..text import Sentence, split_sentences


@dataclass
class Person:
    """A person named in the article, with the names it can be referred to by."""

    name: str
    iri: URIRef
    sentence: Sentence
    start: int
    end: int
    surnames: set[str] = field(default_factory=set)


@dataclass
class PersonMention:
    """One place in a sentence that refers to a person (full name, surname or title)."""

    person: Person
    start: int  # offsets within the article text
    end: int


@dataclass
class ArticleContext:
    """An article prepared for extraction: sentences, known-entity mentions, people."""

    article: Article
    gazetteer: Gazetteer
    sentences: list[Sentence]
    mentions: dict[int, list[Mention]]  # by sentence index; offsets are within the sentence
    people: list[Person] = field(default_factory=list)
    person_mentions: dict[int, list[PersonMention]] = field(default_factory=dict)
    home_state: Entry | None = None
    local_aliases: dict[str, Entry] = field(default_factory=dict)  # acronyms introduced by this article
    title_spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # posts' words, per sentence
    person_states: dict[URIRef, URIRef] = field(default_factory=dict)  # person -> state of their post
    sentence_posts: dict[int, list] = field(default_factory=dict)  # posts found per sentence, in order
    new_places: dict[int, list] = field(default_factory=dict)  # places named in text, unknown to reference data
    local_labels: dict[URIRef, str] = field(default_factory=dict)  # names of things this article introduces

    @classmethod
    def of(cls, article: Article, gazetteer: Gazetteer | None = None) -> "ArticleContext":
        """Split the article and find every known entity in it."""
        gazetteer = gazetteer or default_gazetteer()
        sentences = split_sentences(article.text)
        sentences = [_without_dateline(s) if i == 0 or s.start < 200 else s for i, s in enumerate(sentences)]
        mentions = {i: gazetteer.find(s.text) for i, s in enumerate(sentences)}
        context = cls(article, gazetteer, sentences, mentions)
        context.home_state = context._infer_home_state()
        return context

    def _infer_home_state(self) -> Entry | None:
        """The state the story is about: the most-mentioned state, the dateline's country counting extra."""
        counts = Counter(
            m.entry.iri for ms in self.mentions.values() for m in ms if m.entry.kind == "state" and m.via != "demonym"
        )
        for index, ms in self.mentions.items():
            for m in ms:
                state = self.gazetteer.metonyms.get(m.entry.iri) if m.entry.kind == "place" else None
                # a capital counts for its state when it acts ("Kabul said"), not when it is a destination
                if state is not None and not re.search(r"\b(?:to|via)\s+$", self.sentences[index].text[:m.start]):
                    counts[state] += 1
        if self.article.dateline:
            for entry, _via in self.gazetteer.lookup(self.article.dateline.title()) or self.gazetteer.lookup(self.article.dateline):
                state = self.state_of(entry)
                if state is not None:
                    counts[state.iri] += 4  # the dateline says whose capital the story is filed from
                    break
        if not counts:
            return None
        return self.gazetteer.entries[counts.most_common(1)[0][0]]

    def state_of(self, entry: Entry) -> Entry | None:
        """The state an entity stands for or belongs to (a state itself, a capital, a body)."""
        if entry.kind == "state":
            return entry
        target = self.gazetteer.metonyms.get(entry.iri) or self.gazetteer.government_of.get(entry.iri)
        return self.gazetteer.entries.get(target) if target is not None else None

    def agents_in(self, index: int) -> list[tuple[int, int, URIRef, str]]:
        """Agents named in a sentence (people, states incl. capitals used for them, bodies, groups, orgs), in order."""
        found = []
        text = self.sentences[index].text
        for m in self.mentions.get(index, []):
            if m.via == "demonym":
                # "the Afghan government rejects ...", "according to the Congolese army": the state acts
                if STATE_ORGAN.match(text[m.end:]):
                    found.append((m.start, m.end + STATE_ORGAN.match(text[m.end:]).end(), m.entry.iri, "state"))
                continue
            entry = m.entry
            if entry.kind == "place":
                state = self.gazetteer.metonyms.get(entry.iri)
                if state is None:
                    continue
                found.append((m.start, m.end, state, "state"))
            else:
                found.append((m.start, m.end, entry.iri, entry.kind))
        offset = self.sentences[index].start
        for pm in self.person_mentions.get(index, []):
            found.append((pm.start - offset, pm.end - offset, pm.person.iri, "person"))
        return sorted(found)

    def entry_of(self, iri: URIRef) -> Entry | None:
        """The gazetteer entry (or article-local new organization) for an IRI."""
        entry = self.gazetteer.entries.get(iri)
        if entry is None:
            entry = next((m.entry for ms in self.mentions.values() for m in ms if m.entry.iri == iri), None)
        return entry

    def label_of(self, iri: URIRef) -> str:
        """A readable name for any agent or place of this article."""
        entry = self.entry_of(iri)
        if entry is not None:
            return entry.label
        person = next((p for p in self.people if p.iri == iri), None)
        if person is not None:
            return person.name
        return self.local_labels.get(iri) or str(iri).rsplit("/", 1)[-1]

    def places_in(self, index: int) -> list[Mention]:
        """Places (cities, provinces, states as territory) named in a sentence."""
        return [m for m in self.mentions.get(index, []) if m.entry.kind in ("place", "state") and m.via != "demonym"]


STATE_ORGAN = re.compile(
    r"\s+(?:government|army|military|armed forces|forces|troops|police|authorities|officials|foreign ministry|"
    r"defen[cs]e ministry|interior ministry|navy|air force|security forces|administration|president|leadership)\b", re.I)


def _without_dateline(sentence: Sentence) -> Sentence:
    """The lead sentence with its dateline ('NAIROBI, April 25 —') blanked out: not an event's place or date."""
    match = _DATELINE.match(sentence.text)
    if not match or not (match.group("place").isupper() or match.group("when") or match.group("agency")):
        return sentence
    return Sentence(" " * match.end() + sentence.text[match.end():], sentence.start, sentence.end)


WORD = re.compile(r"[A-Za-z][\w’'\-]*(?:\.[A-Za-z]\.?)*|\d[\d,.]*|[^\w\s]")
