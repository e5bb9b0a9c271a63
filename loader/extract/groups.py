"""Organizations the reference data does not know: 'the Libyan National Army', 'a new group, the X Front (XF)'."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

from ..gazetteer import Entry, Mention
from ..namespaces import KH, mint
from .context import ArticleContext

# Head nouns that end an organization's name; the first set marks armed groups.
ARMED_HEADS = r"(?:Liberation Army|Liberation Front|Army|Front|Brigades?|Battalions?|Militia|Mujahideen|Mujahidin|Taliban|Jihad|Movement|Forces|Commandos?|Tigers|Jamaat|Lashkar|Sipah|Ansar|Al-Ansar)"
OTHER_HEADS = r"(?:Organi[sz]ation|Council|Party|Alliance|Union|Agency|Bureau|Authority|Commission|Committee|Institute|Coalition|Group|Network)"
_NAME_WORD = r"(?:[A-Z][\w'’\-]*|al-[A-Z][\w'’\-]*|e-[A-Z][\w'’\-]*|ul-[A-Z][\w'’\-]*|of|the|for|and|al|ul|e|i)"
CANDIDATE = re.compile(
    rf"\b(?P<name>(?:[A-Z][\w'’\-]*\s+)(?:{_NAME_WORD}\s+){{0,5}}?(?P<head>{ARMED_HEADS}|{OTHER_HEADS}))\b"
    rf"(?:\s*\((?P<acronym>[A-Z][A-Za-z0-9\-]{{1,9}})\))?"
)
ARMED_CONTEXT = re.compile(
    r"\b(?:militant|militants|separatist|insurgent|rebel|armed|terrorist|jihadist|extremist|paramilitary)\b"
    r"(?:\s+(?:group|outfit|organi[sz]ation|faction|movement|wing))?",
    re.I,
)
NOT_AN_ORGANIZATION = re.compile(r"\bTerrorist Organi[sz]ations?\b|\bGlobal Terrorist|\bDesignated\b|^(?:Security|Armed|Special) Forces$")
_LEADING_NOISE = re.compile(r"^(?:The|A|An|In|On|At|By|For|From|With|And|But|Pakistan’s|Pakistan's)\s+")


@dataclass
class NewOrganization:
    """An organization found in text that reference data does not list."""

    iri: URIRef
    label: str
    rdf_type: URIRef
    acronym: str | None
    sentence_index: int


def find_new_organizations(context: ArticleContext) -> list[NewOrganization]:
    """Unknown organizations named in the article; they become mentions the other extractors can use."""
    found: dict[URIRef, NewOrganization] = {}
    for index, sentence in enumerate(context.sentences):
        text = sentence.text
        known = context.mentions.get(index, [])
        for match in CANDIDATE.finditer(text):
            name = _LEADING_NOISE.sub("", match.group("name")).strip()
            start = match.start("name") + (len(match.group("name")) - len(name))
            if len(name.split()) < 2 or any(m.start < match.end("name") and start < m.end for m in known):
                continue
            if NOT_AN_ORGANIZATION.search(name):
                continue  # "Foreign Terrorist Organization" names a list, not a body
            head = match.group("head")
            armed = bool(re.fullmatch(ARMED_HEADS, head)) and (
                ARMED_CONTEXT.search(text[max(0, start - 60):start]) is not None
                or re.search(r"Liberation|Mujahideen|Mujahidin|Jihad|Lashkar|Jaish|Tehreek|Tehrik", name) is not None
            )
            if not armed and not re.fullmatch(OTHER_HEADS, head) and not _is_named_force(name):
                continue
            known_entry = _generic_name(context, name)
            if known_entry is not None:
                # "the Security Council": a name the reference data keeps for context, here used as a name
                context.mentions.setdefault(index, []).append(
                    Mention(start, match.end("name"), text[start:match.end("name")], known_entry, "generic"))
                continue
            kind, rdf_type = ("group", KH.MilitantGroup) if armed else ("org", KH.Organization)
            iri = mint(kind, name)
            entry = Entry(iri, kind, name, rdf_type)
            acronym = match.group("acronym")
            end = match.end() if acronym else match.end("name")
            context.mentions.setdefault(index, []).append(Mention(start, end, text[start:end], entry, "new"))
            if acronym:
                _register_acronym(context, acronym, entry)
            found.setdefault(iri, NewOrganization(iri, name, rdf_type, acronym, index))
        context.mentions[index] = sorted(context.mentions.get(index, []), key=lambda m: m.start)
        _appositive_organizations(context, index, found)
        _arabic_style_names(context, index, found)
    _find_acronym_mentions(context, found)
    return list(found.values())


APPOSITIVE_NEW = re.compile(
    r"(?<![\w\-])(?P<name>[A-Z][\w'’\-]+(?:\s[A-Z][\w'’\-]+){0,3})(?:\s*\((?P<acronym>[A-Z][\w\-]{1,9})\))?,\s+"
    r"(?:a|an|the)\s+(?P<mods>(?:[\w\-]+\s+){0,3}?)(?P<noun>splinter group|group|network|outfit|faction|offshoot|"
    r"organi[sz]ation|movement|militia|wing)\b")
ARMED_NOUNS = {"faction", "offshoot", "militia", "outfit", "splinter group", "wing"}
ARMED_MODIFIERS = re.compile(r"\b(?:militant|terrorist|jihadist|armed|rebel|insurgent|separatist|extremist|banned|"
                             r"breakaway|paramilitary|islamist)\b", re.I)


def _appositive_organizations(context: ArticleContext, index: int, found: dict) -> None:
    """'Neo-JMB, a faction of ...', 'Masar Badil, a pro-Palestinian network ...': a new name described by its noun."""
    text = context.sentences[index].text
    known = context.mentions.get(index, [])
    for match in APPOSITIVE_NEW.finditer(text):
        name = _LEADING_NOISE.sub("", match.group("name")).strip()
        start = match.start("name") + (len(match.group("name")) - len(name))
        if not name or any(m.start < match.end("name") and start < m.end for m in known):
            continue
        if any(p.name == name or name in p.surnames for p in context.people) or name.split()[0] in _NOT_NAMES:
            continue
        armed = match.group("noun") in ARMED_NOUNS or ARMED_MODIFIERS.search(match.group("mods") or "") is not None
        kind, rdf_type = ("group", KH.MilitantGroup) if armed else ("org", KH.Organization)
        iri = mint(kind, name)
        entry = Entry(iri, kind, name, rdf_type)
        acronym = match.group("acronym")
        end = match.end("acronym") + 1 if acronym else match.end("name")
        known.append(Mention(start, end, text[start:end], entry, "appositive"))
        if acronym:
            _register_acronym(context, acronym, entry)
        found.setdefault(iri, NewOrganization(iri, name, rdf_type, acronym, index))
    context.mentions[index] = sorted(known, key=lambda m: m.start)


# Words that open the names of many armed groups in South Asia and the Middle East ("Harakat ...",
# "Jaish-e-...", "Kata'ib ...", "Lashkar-e-..."): a name built on one is an armed group's name.
GROUP_NAME = re.compile(
    r"(?<![\w\-])(?P<name>(?:Harakat|Harkat|Jaish|Jaysh|Lashkar|Tehreek|Tehrik|Kata'?ib|Kataib|Ansar|Jamaat|Jama'at|Hizb|"
    r"Jabhat|Liwa|Saraya|Asa'?ib|Sipah|Majlis|Tanzim|Jund|Junud)(?:[\s\-]+(?:(?:al|ul|e|i|wal|ut|ud|as|ash|an|ar)-)?"
    r"[A-Z][\w'’]+(?:-[A-Z][\w'’]+)?){1,5})")


def _arabic_style_names(context: ArticleContext, index: int, found: dict) -> None:
    """'Harakat Ansar Allah al-Awfiya', 'Jaish-e-Example': a group name the reference data does not list."""
    text = context.sentences[index].text
    known = context.mentions.get(index, [])
    for match in GROUP_NAME.finditer(text):
        start, end = match.start("name"), match.end("name")
        overlapping = [m for m in known if m.start < end and start < m.end]
        if any(m.start < start or m.end > end or (m.start, m.end) == (start, end) for m in overlapping):
            continue  # a known name covers it (or reaches beyond it)
        # a known alias strictly inside a longer name ("Ansar Allah" in "Harakat Ansar Allah al-Awfiya") is not that group
        known[:] = [m for m in known if m not in overlapping]
        name = match.group("name").strip()
        iri = mint("group", name)
        entry = Entry(iri, "group", name, KH.MilitantGroup)
        known.append(Mention(start, end, name, entry, "appositive"))
        found.setdefault(iri, NewOrganization(iri, name, KH.MilitantGroup, None, index))
    context.mentions[index] = sorted(known, key=lambda m: m.start)


_NOT_NAMES = {"The", "A", "An", "In", "On", "At", "By", "For", "From", "With", "And", "But", "He", "She", "It",
              "They", "We", "This", "That", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def _generic_name(context: ArticleContext, name: str) -> Entry | None:
    """The one known entity a context-dependent name ('Security Council', 'Foreign Office') stands for here."""
    entries = context.gazetteer.generic_names.get(name.lower(), [])
    if len(entries) == 1:
        return entries[0]
    home = context.home_state.iri if context.home_state else None
    local = [e for e in entries if context.gazetteer.government_of.get(e.iri) == home]
    return local[0] if len(local) == 1 else None


def _is_named_force(name: str) -> bool:
    """'Libyan National Army', 'Rapid Support Forces': a capitalised armed body that is not a state's organ."""
    return len(name.split()) >= 3 and name.split()[-1] in {"Army", "Forces", "Front", "Movement", "Militia"}


def _register_acronym(context: ArticleContext, acronym: str, entry: Entry) -> None:
    context.local_aliases[acronym] = entry


def _find_acronym_mentions(context: ArticleContext, found: dict) -> None:
    """Later bare uses of an acronym introduced in parentheses ('... Forces (RSF)' ... 'the RSF')."""
    if not context.local_aliases:
        return
    pattern = re.compile(r"(?<![\w\-])(" + "|".join(map(re.escape, context.local_aliases)) + r")(?![\w\-])")
    for index, sentence in enumerate(context.sentences):
        existing = context.mentions.get(index, [])
        added = False
        for match in pattern.finditer(sentence.text):
            if any(m.start <= match.start() < m.end for m in existing):
                continue
            entry = context.local_aliases[match.group(1)]
            existing.append(Mention(match.start(), match.end(), match.group(1), entry, "acronym"))
            added = True
        if added:
            context.mentions[index] = sorted(existing, key=lambda m: m.start)
