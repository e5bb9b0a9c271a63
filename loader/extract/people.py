"""People and the posts they hold: 'Interior Minister X', 'X, a retired air marshal', surnames."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from ..gazetteer import Entry
from ..namespaces import mint
from ..resources import REFERENCE_DIR
from .context import ArticleContext, Person, PersonMention

# Closed vocabulary of words that make up official titles (generic English, not tied to any article).
TITLE_HEADS = {
    "minister", "secretary", "spokesperson", "spokesman", "spokeswoman", "ambassador", "envoy", "representative",
    "coordinator", "chief", "commander", "president", "premier", "chancellor", "adviser", "advisor", "director",
    "governor", "chairman", "chairwoman", "chairperson", "chair", "senator", "congressman", "congresswoman",
    "lawmaker", "marshal", "admiral", "general", "king", "queen", "emir", "prince", "commissioner", "consul",
    "counsellor", "counselor", "attache", "head", "leader", "mayor", "speaker", "justice", "judge", "negotiator",
    "official", "diplomat", "administrator", "inspector", "deputy", "undersecretary", "sheikh", "counterpart",
}
TITLE_MODIFIERS = {
    "acting", "deputy", "vice", "under", "assistant", "special", "principal", "senior", "chief", "joint",
    "additional", "federal", "provincial", "foreign", "interior", "defense", "defence", "finance", "home",
    "external", "affairs", "information", "commerce", "trade", "energy", "army", "air", "naval", "navy",
    "military", "national", "security", "prime", "permanent", "first", "second", "executive", "caretaker",
    "interim", "former", "retired", "state", "high", "top", "government", "cabinet", "police", "electoral", "supreme", "staff", "joint", "general", "political",
    "counterterrorism", "counter-terrorism", "intelligence", "economic", "public", "diplomacy", "press",
    "communications", "legal", "deputy", "lieutenant", "major", "force", "corps", "forces", "ministry",
    "department", "office", "foreign-office", "defense-ministry", "minister", "secretary", "spokesperson",
    "spokesman", "spokeswoman", "ambassador", "envoy", "representative", "coordinator", "commander", "adviser",
    "advisor", "director", "governor", "chairman", "head", "marshal", "air-marshal", "inspector", "commissioner",
    "president", "vice-president", "attorney", "counsel", "chargé", "charge", "d'affaires", "consul", "emeritus",
}
RANKS = {"gen", "gen.", "general", "lt", "lt.", "col", "col.", "maj", "maj.", "brig", "brig.", "adm", "adm.",
         "capt", "capt.", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "sen.", "rep.", "mawlawi", "maulvi",
         "retd", "retired", "rear", "vice", "commodore", "sergeant",
         "field", "marshal", "air", "chief", "sir", "lieutenant", "major", "colonel", "brigadier", "admiral",
         "captain", "sheikh", "mullah", "maulana", "imam", "hafiz", "qari", "mufti"}
LOWERCASE_NOT_TITLE = {"under", "state", "first", "second", "top", "major", "general", "head", "home", "public", "press"}
CONNECTORS = {"of", "for", "and", "the", "on", "to", "in"}
OCCUPATIONS = {"analyst", "expert", "observer", "journalist", "researcher", "professor", "scholar", "lawyer",
               "activist", "commentator", "author", "writer", "economist", "correspondent", "reporter"}
HOLDING_STATUS = {"former": "former", "retired": "former", "ex": "former", "acting": "acting", "late": "former"}
NAME_STOPWORDS = {"The", "A", "An", "This", "That", "These", "Those", "In", "On", "At", "By", "For", "From", "With",
                  "And", "But", "Or", "As", "If", "When", "While", "After", "Before", "During", "Earlier", "Later",
                  "However", "Meanwhile", "He", "She", "They", "It", "We", "I", "His", "Her", "Their", "Its",
                  "Our", "Islamabad", "Washington", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                  "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December", "Last", "Next", "Both", "No", "Some", "Many",
                  "Officials", "Authorities", "Reuters", "AFP", "AP", "PTI", "Source", "Also", "Read", "Photo"}

_L = r"(?:[^\W\d_]|[\u0300-\u036f])"  # a letter, or a combining accent ("Adébáyọ̀")
TOKEN = re.compile(rf"(?:[^\W\d_]\.){{2,}}|[^\W\d_]{_L}*(?:[’'\-]{_L}+)*(?:[’']s)?|\d[\d,.]*|[^\w\s]")
NAME_PARTICLES = {"bin", "bint", "ibn", "al", "el", "de", "da", "di", "van", "von", "der", "den", "du", "la", "ul", "ud",
                  "abu", "ben", "dos", "das", "del"}
NOT_NAME_WORDS = {"Radio", "TV", "Television", "News", "Times", "Post", "Agency", "Press", "Daily", "Journal", "Tribune",
                  "Herald", "Gazette", "Channel", "Network", "Online", "Media", "Group", "Bank", "University",
                  "College", "School", "Hospital", "Camp", "Council", "Committee", "Ministry", "Department", "Operation",
                  "Telegram", "Twitter", "Facebook", "WhatsApp", "YouTube", "Instagram"}


@dataclass
class Post:
    """A post found before or after a person's name."""

    title: str  # normalised, e.g. "Foreign Secretary"
    written: str  # as written, e.g. "Acting Under Secretary of State"
    owner: Entry | None
    status: str | None  # "former", "acting" or None
    rule: str
    confidence: float


@dataclass
class PersonFinding:
    """A person found in a sentence, with any posts stated there."""

    person: Person
    start: int
    end: int
    posts: list[Post]
    sentence_index: int


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text)]


def _is_title_word(word: str) -> bool:
    w = word.lower().rstrip("’'s").rstrip(".")
    return w in TITLE_HEADS or w in TITLE_MODIFIERS or word.lower() in RANKS


def _is_name_token(word: str) -> bool:
    bare = re.sub(r"[’']s$", "", word)
    letters = re.sub(r"[\u0300-\u036f]", "", bare.replace("-", "").replace("’", "").replace("'", ""))
    looks_like_name = bool(letters) and letters.isalpha() and bare[0].isupper() and (
        any(c.islower() for c in bare) or len(bare) <= 2)
    return looks_like_name and bare not in NAME_STOPWORDS and bare not in NOT_NAME_WORDS and not _is_title_word(bare) \
        and bare.lower() not in OCCUPATIONS


def find_people(context: ArticleContext) -> list[PersonFinding]:
    """Every person named in the article with the posts the text gives them, linked within the article."""
    findings: list[PersonFinding] = []
    for index, sentence in enumerate(context.sentences):
        tokens = _tokens(sentence.text)
        entity_spans = [(m.start, m.end) for m in context.mentions.get(index, [])]
        i = 0
        while i < len(tokens):
            word, start, _ = tokens[i]
            if not _is_name_token(word) or _inside(start, entity_spans):
                i += 1
                continue
            j = i
            while j < len(tokens) and j - i < 5 and (_is_name_token(tokens[j][0]) or (
                    j > i and _is_particle(tokens, j))) and (
                    not _inside(tokens[j][1], entity_spans) or (j > i and _single_word_place(context, index, tokens[j]))):
                j += 1
            if i > 0 and tokens[i - 1][0] in ("for", "of", "the", "de", "du", "des", "la", "le", "in", "at", "near",
                                              "from", "to", "into", "across", "outside"):
                i = j
                continue
            name_tokens = [t[0] for t in tokens[i:j]]
            name = " ".join(name_tokens).rstrip("’'s") if name_tokens[-1].endswith(("’s", "'s")) else " ".join(name_tokens)
            name = re.sub(r"[’']s$", "", name)
            before = _title_chain(tokens, i, sentence.text)
            rank_only = before is _RANK_ONLY
            if rank_only:
                before = []
            after = _appositive(tokens, j, sentence.text, entity_spans)
            aged = j + 2 < len(tokens) and tokens[j][0] == "," and re.fullmatch(r"\d{2},?", tokens[j + 1][0]) is not None
            posts = [p for p in (_post_from_chain(context, index, before, "title-before-name"),
                                 _post_from_chain(context, index, after, "appositive")) if p for p in p]
            occupational = bool(before and before[-1][0].lower() in OCCUPATIONS) or bool(
                after and any(t[0].lower() in OCCUPATIONS for t in after)) or any(
                t[0].lower() == "counterpart" for t in before + after)
            found = _resolve(context, findings, name, len(name_tokens), index, start, tokens[j - 1][2],
                             titled=bool(posts) or occupational or rank_only or aged or _said_pattern(tokens, i, j))
            if found is not None:
                found.posts.extend(posts)
                context.sentence_posts.setdefault(index, []).extend(posts)
                findings.append(found)
                for chain in (before, after):
                    if chain:
                        context.title_spans.setdefault(index, []).append((chain[0][1], chain[-1][2]))
            i = j
        _resolve_pronoun(context, index, tokens)
    consolidate(findings)
    _resolve_bare_titles(context, findings)
    for finding in findings:
        for post in finding.posts:
            state = context.state_of(post.owner) if post.owner is not None else None
            if state is not None:
                context.person_states.setdefault(finding.person.iri, state.iri)
    return findings


def _is_particle(tokens, j: int) -> bool:
    """'bin', 'al-Harthy', 'van' inside a name: only when a capitalised name word follows or is joined."""
    word = tokens[j][0]
    if re.match(r"^(?:al|el|ad|as|ash|at|ul|ud|bin)-[A-Z]", word):
        return True
    return word.lower() in NAME_PARTICLES and word.islower() and j + 1 < len(tokens) and (
        _is_name_token(tokens[j + 1][0]) or re.match(r"^(?:al|el)-[A-Z]", tokens[j + 1][0]) is not None)


def _single_word_place(context: ArticleContext, index: int, token) -> bool:
    """A place name of one word that continues a person's name ('Hassan Farah', 'Sara Baloch')."""
    return any(m.start == token[1] and m.end == token[2] and m.entry.kind == "place"
               for m in context.mentions.get(index, []))


BARE_TITLE = re.compile(r"\b[Tt]he\s+((?:[A-Z][a-z]+\s+){0,4}?(?:[A-Z][a-z]+))(?:[’']s)?\b(?!\s+[A-Z])")


def _resolve_bare_titles(context: ArticleContext, findings: list[PersonFinding]) -> None:
    """'The Foreign Secretary stressed ...', 'the Under Secretary's remarks': the one person here with that post."""
    holders: dict[str, set] = {}
    for finding in findings:
        for post in finding.posts:
            holders.setdefault(post.title.lower(), set()).add(finding.person.iri)
    if not holders:
        return
    people = {p.iri: p for p in context.people}
    for index, sentence in enumerate(context.sentences):
        taken = [(m.start, m.end) for m in context.person_mentions.get(index, [])]
        for match in BARE_TITLE.finditer(sentence.text):
            title = match.group(1).lower()
            if not any(w in TITLE_HEADS for w in title.split()):
                continue
            candidates = {iri for full, iris in holders.items() if full == title or full.endswith(" " + title)
                          or full.startswith(title + " ") for iri in iris}
            start = sentence.start + match.start(1)
            if len(candidates) != 1 or any(s <= start < e for s, e in taken):
                continue
            person = people.get(next(iter(candidates)))
            if person is not None:
                context.person_mentions.setdefault(index, []).append(
                    PersonMention(person, start, sentence.start + match.end(1)))


def _resolve_pronoun(context: ArticleContext, index: int, tokens) -> None:
    """'She is on a four-day tour ...': a sentence opening with he/she is about the person the last one began with."""
    if not tokens or tokens[0][0] not in ("He", "She", "His", "Her") or context.person_mentions.get(index):
        return
    for previous in range(index - 1, max(-1, index - 3), -1):
        mentions = context.person_mentions.get(previous)
        if mentions:
            person = min(mentions, key=lambda m: m.start).person
            start = context.sentences[index].start + tokens[0][1]
            context.person_mentions.setdefault(index, []).append(PersonMention(person, start, start + len(tokens[0][0])))
            return


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)


def _said_pattern(tokens, i, j) -> bool:
    """'..., said John Smith' or 'John Smith said/told/added' mark a named speaker."""
    verbs = {"said", "says", "told", "added", "stated", "noted", "warned", "claimed", "denied", "tweeted", "wrote",
             "listed", "designated", "sanctioned", "blacklisted"}
    nxt = tokens[j][0].lower() if j < len(tokens) else ""
    prev = tokens[i - 1][0].lower() if i > 0 else ""
    return nxt in verbs or prev in verbs


def _resolve(context, findings, name, n_tokens, index, start, end, *, titled) -> PersonFinding | None:
    """A new or known person for a name; single words only resolve to someone already named."""
    sentence = context.sentences[index]
    absolute = (sentence.start + start, sentence.start + end)
    known = _known_person(context, name)
    if known is not None:
        context.person_mentions.setdefault(index, []).append(PersonMention(known, *absolute))
        return PersonFinding(known, absolute[0], absolute[1], [], index)
    if n_tokens < 2 or not titled:
        return None
    person = Person(name=name, iri=mint("person", name), sentence=sentence, start=absolute[0], end=absolute[1],
                    surnames={name.split()[-1]})
    context.people.append(person)
    context.person_mentions.setdefault(index, []).append(PersonMention(person, *absolute))
    return PersonFinding(person, absolute[0], absolute[1], [], index)


def _known_person(context: ArticleContext, name: str) -> Person | None:
    for person in context.people:
        if person.name == name or name in person.surnames or person.name.endswith(" " + name):
            return person
        if len(name.split()) >= 2 and (name in person.name or person.name in name):
            return person
    # family name first ("Bae Ji-hoon" ... "Bae said"): only when no one else has that first name
    if len(name.split()) == 1:
        firsts = [p for p in context.people if p.name.split()[0] == name and len(p.name.split()) >= 2]
        if len(firsts) == 1:
            return firsts[0]
    return None


RANK_WORDS = {"general", "major", "lieutenant", "brigadier", "colonel", "captain", "admiral", "rear", "vice",
              "commodore", "marshal", "field", "gen", "lt", "col", "maj", "brig", "adm", "capt", "sergeant", "retd",
              "mawlawi", "maulvi", "mullah", "maulana", "qari", "hafiz", "mufti", "sheikh", "dr", "mr", "mrs", "ms", "sir"}
_RANK_ONLY = [("<rank>", -1, -1)]  # a name introduced by a rank only: a person, but no post


def _rank_context(tokens, k: int) -> bool:
    """Parentheses and periods around a rank: '(retd)', 'Gen.'."""
    near = [tokens[i][0].lower() for i in range(max(0, k - 1), min(len(tokens), k + 2))]
    return any(w.rstrip(".") in RANK_WORDS for w in near)


def _title_chain(tokens, name_index: int, text: str) -> list[tuple[str, int, int]]:
    """The run of title words right before a name ('US Acting Under Secretary of State', '..., ')."""
    k = name_index - 1
    stepped = False
    while k >= 0 and (tokens[k][0].lower().rstrip(".") in RANK_WORDS or tokens[k][0] in {"(", ")", "."}
                      and _rank_context(tokens, k)):
        k -= 1  # "Lieutenant General (retd) X", "counterpart, General X": the rank belongs to the name
        stepped = True
    if k >= 0 and tokens[k][0] == ",":
        k -= 1  # "Acting Under Secretary of State for Political Affairs, Jane Roe"
    elif stepped and (k < 0 or (not _is_title_word(tokens[k][0]) and tokens[k][0].lower() not in OCCUPATIONS)):
        return _RANK_ONLY
    chain: list[tuple[str, int, int]] = []
    while k >= 0:
        word = tokens[k][0]
        lower = word.lower()
        if word == "." and k > 0 and tokens[k - 1][0].lower() in RANKS:
            k -= 1  # "Gen. Tariq Khan": the abbreviation's period is not a sentence break
            continue
        if word in {",", ";", ":", "(", ")", "“", "”", '"', "—", "–"} or word == ".":
            break
        if lower == "and":
            capital_join = chain and chain[0][0][:1].isupper() and k > 0 and tokens[k - 1][0][:1].isupper() \
                and not _has_head(chain)
            if not (capital_join or (chain and _has_head(chain) and k > 0 and _is_title_word(tokens[k - 1][0]))):
                break
        elif not (_is_title_word(word) or lower in CONNECTORS or word[:1].isupper() or lower in OCCUPATIONS
                  or (_has_head(chain) and _plain_noun(word) and _lowercase_run(chain) < 3)):
            break
        elif word in LOWERCASE_NOT_TITLE:
            break
        chain.insert(0, tokens[k])
        k -= 1
    while chain and chain[0][0].lower() in CONNECTORS:
        chain.pop(0)
    return chain if _has_head(chain) or (chain and chain[-1][0].lower() in OCCUPATIONS) else []


def _appositive(tokens, end_index: int, text: str, entity_spans=()) -> list[tuple[str, int, int]]:
    """'John Smith, a retired Pakistani air marshal,' -> the title words after the comma."""
    if end_index + 2 >= len(tokens) or tokens[end_index][0] != ",":
        return []
    k = end_index + 1
    if tokens[k][0].lower() in {"and", "or", "but", "who", "which", "said", "says", "told"}:
        return []
    if tokens[k][0].lower() in {"a", "an", "the"}:
        k += 1
    chain = []
    while k < len(tokens) and tokens[k][0] not in {",", ".", ";", ")", "who", "which"}:
        word = tokens[k][0]
        previous = chain[-1][0].lower().rstrip(".") if chain else ""
        if _has_head(chain) and (previous in TITLE_HEADS or previous in RANK_WORDS) and _is_name_token(word) \
                and word[:1].isupper() and not _inside(tokens[k][1], entity_spans):
            return []  # "X, national police spokesman Brigadier General Y told ...": the title is Y's
        possessive = word.endswith(("’s", "'s")) or word in {"’", "'"}
        after_of = chain and chain[-1][0].lower() in {"of", "for"} and _has_head(chain)
        if not (_is_title_word(word) or word.lower() in CONNECTORS or word[:1].isupper() or word.lower() in OCCUPATIONS
                or possessive or (not _has_head(chain) and _plain_noun(word) and len(chain) < 4)
                or ((after_of or (chain and _plain_noun(chain[-1][0]) and _has_head(chain))) and _plain_noun(word)
                    and _lowercase_run(chain) < 3)):
            break
        chain.append(tokens[k])
        k += 1
    return chain if _has_head(chain) or any(t[0].lower() in OCCUPATIONS for t in chain) else []


FUNCTION_WORDS = {"by", "with", "from", "at", "as", "is", "was", "were", "are", "be", "been", "has", "have", "had",
                  "said", "says", "told", "that", "this", "who", "which", "after", "before", "when", "while",
                  "according", "led", "met", "called", "named", "appointed", "new", "his", "her", "their", "its",
                  "our", "a", "an", "the", "and", "or", "but", "not", "also", "than", "then", "into", "onto"}


def _plain_noun(word: str) -> bool:
    """A lowercase word that can sit inside a title ('electoral', 'commission'), not a verb or function word."""
    lower = word.lower()
    return word.isalpha() and word.islower() and len(word) >= 3 and lower not in FUNCTION_WORDS \
        and not lower.endswith(("ing", "ed", "ly"))


def _lowercase_run(chain) -> int:
    return sum(1 for t in chain if t[0].islower() and not _is_title_word(t[0]) and t[0] not in CONNECTORS)


def _has_head(chain) -> bool:
    return any(t[0].lower().rstrip(".") in TITLE_HEADS for t in chain)


def _post_from_chain(context: ArticleContext, index: int, chain, rule: str) -> list[Post]:
    """Split a title chain into owner (state/body) and one or more titles."""
    if not chain or not _has_head(chain):
        return []
    sentence = context.sentences[index].text
    text = sentence[chain[0][1]:chain[-1][2]]
    owners = [m for m in context.mentions.get(index, []) if chain[0][1] <= m.start and m.end <= chain[-1][2]]
    status = None
    words = text.split()
    # leading status words and determiners
    while words and (words[0].lower() in HOLDING_STATUS or words[0].lower() in {"the", "a", "an"}):
        status = HOLDING_STATUS.get(words[0].lower(), status)
        words.pop(0)
    text = " ".join(words)
    owner: Entry | None = None
    # "the country's defence secretary", "the Houthis' military spokesman", "the army's director of ..."
    possessor = re.match(r"^(?P<who>(?:[\w\-]+\s+){0,3}?[\w\-]+?)(?:[’']s|s\s*[’']|\s+[’'])\s+(?P<rest>.+)$", text)
    if possessor and any(w.lower().rstrip(".") in TITLE_HEADS for w in possessor.group("rest").split()):
        who = possessor.group("who")
        named = [m for m in owners if m.text in who or who in m.text]
        if named:
            owner = named[0].entry if named[0].via != "demonym" else named[0].entry
        elif who.lower().split()[-1] in ("country", "nation", "state", "government", "administration", "kingdom"):
            owner = _administration(context, index) or context.home_state
        else:
            owner = _owner_from_body_word(context, who) or context.home_state
        text = possessor.group("rest")
        owners = []
    # owners at the start of the chain ("US State Department", "Pakistan's", "Chinese Foreign Ministry")
    for mention in owners:
        written = mention.text
        lead = text.find(written)
        if lead != 0:
            continue
        owner = mention.entry if mention.via != "demonym" or owner is None else owner
        if mention.via == "demonym" and owner is mention.entry:
            owner = mention.entry
        text = re.sub(r"^(?:[’']s)?\s+", "", text[len(written):]).strip()
    # "Chair of the Muslim Council of Leeds": the organisation the post belongs to
    if owner is None:
        for mention in owners:
            if mention.entry.kind in ("org", "body", "group") and re.search(
                    r"\bof\s+(?:the\s+)?$", sentence[chain[0][1]:mention.start]):
                cut = text.find(" of ")
                owner, text = mention.entry, (text[:cut] if cut > 0 else text)
                break
    # a demonym inside an appositive: "a retired Pakistani air marshal"
    if owner is None:
        for mention in owners:
            if mention.via == "demonym" or mention.entry.kind == "state":
                owner = mention.entry
                text = (text.replace(mention.text, " ")).strip()
                text = " ".join(text.split())
                break
    for word in list(text.split()):
        low = word.lower().rstrip(".")
        if low in HOLDING_STATUS:
            status = HOLDING_STATUS[low]
            text = " ".join(w for w in text.split() if w.lower().rstrip(".") != low)
    # trailing rank words belong to the name ("Army Chief Gen X", "spokesman Major X")
    parts = text.split()
    while len(parts) > 1 and parts[-1].lower() in RANKS and (
            parts[-1].lower().rstrip(".") not in TITLE_HEADS or parts[-2].lower().rstrip(".") in TITLE_HEADS):
        parts.pop()
    text = " ".join(parts)
    if not text or not any(w.lower().rstrip(".") in TITLE_HEADS for w in text.split()):
        return []
    if owner is not None and owner.kind == "place":
        owner = context.state_of(owner)
    if owner is None:
        owner = _owner_from_title(context, text)
        confidence = 0.8 if owner is not None else 0.6
        owner = owner or _owner_from_body_word(context, text) or _administration(context, index) \
            or _briefing_place(context, index, text) or context.home_state
    else:
        confidence = 0.9
    if text.lower() == "counterpart":
        # "her Turkish counterpart": the same post as the person just named, in the other state
        previous = _previous_post(context, index)
        if previous is None or owner is None:
            return []
        text = previous.title
    titles = _split_titles(text)
    return [Post(title=_normalise_title(t), written=t, owner=owner, status=status, rule=rule, confidence=confidence)
            for t in titles]


BODY_WORDS = ("army", "police", "military", "navy", "air force", "foreign ministry", "interior ministry",
              "defence ministry", "defense ministry", "government", "coast guard", "intelligence")


def _owner_from_body_word(context: ArticleContext, title: str) -> Entry | None:
    """'Army spokesman' in a story that speaks of 'the Malian army': the state whose army it is."""
    lowered = title.lower()
    for word in BODY_WORDS:
        if word not in lowered:
            continue
        pattern = re.compile(rf"\b([A-Z][\w’'\-]+)(?:[’']s)?\s+{word}\b", re.I)
        for sentence in context.sentences:
            for match in pattern.finditer(sentence.text):
                for entry, via in context.gazetteer.lookup(match.group(1)):
                    state = context.state_of(entry)
                    if state is not None and via in ("demonym", "label", "alias"):
                        return state
    return None


def _briefing_place(context: ArticleContext, index: int, title: str) -> Entry | None:
    """'foreign ministry spokeswoman X told a regular press briefing in Beijing': the capital's state."""
    if not re.search(r"spokes|ministry|minister", title, re.I):
        return None
    text = context.sentences[index].text
    for mention in context.mentions.get(index, []):
        state = context.gazetteer.metonyms.get(mention.entry.iri)
        if state is not None and re.search(r"\b(?:briefing|conference|reporters|journalists)\s+in\s+(?:the\s+)?$",
                                           text[max(0, mention.start - 40):mention.start]):
            return context.gazetteer.entries.get(state)
    return None


def _administration(context: ArticleContext, index: int) -> Entry | None:
    """'... the current US administration ... under President X': the state whose government was just named."""
    pattern = re.compile(r"\b([A-Z][\w.’'\-]+)(?:[’']s)?\s+(?:administration|government)\b")
    for i in (index, index - 1):
        if i < 0:
            continue
        for match in pattern.finditer(context.sentences[i].text):
            for entry, _via in context.gazetteer.lookup(match.group(1)):
                state = context.state_of(entry)
                if state is not None:
                    return state
    return None


def _previous_post(context: ArticleContext, index: int) -> Post | None:
    """The post of the last person named with one in this sentence or the two before (for 'his counterpart')."""
    for i in range(index, max(-1, index - 3), -1):
        posts = context.sentence_posts.get(i, [])
        if posts:
            return posts[-1]
    return None


def _owner_from_title(context: ArticleContext, title: str) -> Entry | None:
    """Titles that name their state: 'Secretary of State' is American, 'Secretary of Defense' too."""
    lexicon = title_lexicon()
    words = title.lower().split()
    # the longest lexicon title contained in this one decides ("Under Secretary of State for ..." -> US)
    for size in range(len(words), 0, -1):
        for begin in range(0, len(words) - size + 1):
            entry = lexicon.get(" ".join(words[begin:begin + size]))
            if entry and entry.get("implies_state"):
                return context.gazetteer.entries.get(mint("state", entry["implies_state"]))
            if entry and entry.get("implies_body"):
                body = context.gazetteer.entries.get(mint("body", entry["implies_body"]))
                if body is not None:
                    return body
    return None


@lru_cache(maxsize=1)
def title_lexicon() -> dict[str, dict]:
    """The reference titles (loader/reference/titles.json) by lower-cased title and variant."""
    path = REFERENCE_DIR / "titles.json"
    if not path.exists():
        return {}
    lexicon: dict[str, dict] = {}
    for entry in json.loads(path.read_text(encoding="utf-8")):
        for name in [entry["title"], *entry.get("variants", [])]:
            lexicon.setdefault(name.lower(), entry)
    return lexicon


def consolidate(findings: list[PersonFinding]) -> None:
    """Drop repeated posts of a person in one article, and vague ones ('Under Secretary') covered by a fuller one."""
    by_person: dict = {}
    for finding in findings:
        by_person.setdefault(finding.person.iri, []).extend((finding, post) for post in finding.posts)
    for pairs in by_person.values():
        keep = []
        for position, (finding, post) in enumerate(pairs):
            words = set(post.title.lower().split())
            # ties go to the earlier mention (never to memory addresses: builds must be reproducible)
            covered = any(
                other is not post and (other.owner == post.owner or post.confidence < other.confidence)
                and words <= set(other.title.lower().split())
                and (words < set(other.title.lower().split()) or (other.confidence, -rank) > (post.confidence, -position))
                for rank, (_, other) in enumerate(pairs)
            )
            duplicate = any(k.title == post.title and k.owner == post.owner for _, k in keep)
            if not covered and not duplicate:
                keep.append((finding, post))
        kept = {id(post) for _, post in keep}
        for finding, _post in pairs:
            finding.posts = [p for p in finding.posts if id(p) in kept]


def _split_titles(text: str) -> list[str]:
    """'Deputy Prime Minister and Foreign Minister' -> two titles; 'Secretary of Defense' stays one."""
    parts = re.split(r"\s+and\s+", text)
    if len(parts) > 1 and all(any(w.lower() in TITLE_HEADS for w in p.split()) for p in parts):
        return parts
    return [text]


_SMALL = {"of", "for", "and", "the", "on", "to", "in"}


def _normalise_title(title: str) -> str:
    words = title.replace("’s", "").split()
    return " ".join(w if (w.isupper() and len(w) > 1) else (w.lower() if w.lower() in _SMALL and i else w[:1].upper() + w[1:])
                    for i, w in enumerate(words))
