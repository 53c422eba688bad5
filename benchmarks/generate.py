"""A synthetic corpus of documents in the layouts the extractor reads, deterministic from a seed.

Each document ``i`` is made from its own random stream (``seed`` and ``i``), so the corpus of
N documents is the first N documents of every larger corpus, and changing one document leaves
the others byte-identical (what an incremental build needs).  The signers come from shared
pools (organisations, people with a title and an institution) drawn with a Zipf-like skew: a few
organisations sign many letters, most sign a few.

What is generated (all fictional, in this module's own words):

| kind | share | shape |
| --- | --- | --- |
| letter | ~78% | title, date, paragraphs with allegations, figures, legal references and quotations, "We urge X to:" + numbered demands, closing, signature block (organisations, then "Name, Title, Institution") |
| edition | ~7% | a later edition of an earlier letter: same text, later date, a longer signature list, often a web copy |
| news | ~12% | a news report about an earlier letter: quotes it with "said", a rejection by the authorities, a quote from a named person; date in a ``.meta.toml`` |
| summary | ~3% | a web page of a signatory about an earlier letter: counts of signers, one quoted sentence, its own demand |

Letters come in three layouts: ``pdf`` (hard-wrapped lines, footnote URLs and page numbers
between paragraphs), ``web`` (menus and a footer around long lines) and ``markdown`` (a bold
letterhead, a reference, a salutation and a ``##`` heading).

    python -m benchmarks.generate --n 1000 --seed 1 --out /tmp/corpus-1000

writes ``000000_<hash>.txt`` ... plus ``.meta.toml`` files for news reports, and a hidden
``.manifest.json`` (skipped by ``kg``) with what each document should yield.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import sys
import textwrap
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

GENERATOR_VERSION = 1
ORG_POOL = 20_000
PERSON_POOL = 60_000
INSTITUTION_POOL = 3_000

# Words the signature parser reads as organisation or office words, and words that read as titles:
# a person's name must avoid them.  A frozen copy (kg's lists as of generator version 1), so that the
# corpus depends on the seed and the generator version only, not on the extractor being measured.
RESERVED = set("""
    academic academy action activist adviser advisor advocate agency aid alert alliance
    ambassador amnesty analyst anthropologist approaches archbishop archivist artist assembly
    assistant associate association attorney author bar baroness bishop board campaign
    campaigner candidate caucus center centre ceo chair chairman chairperson chairwoman
    chancellor chapter chief church circle clinic club co-chair co-director co-founder coalition
    collective college commission commissioner committee communities community congress
    congressman congresswoman consortium consultant convener convenor coordinator council
    councillor counsel court curator dean delegate department deputy director directorate
    distinguished doctor documentation dr economist editor education emergency emeritus engineer
    envoy european executive families federation fellow filmmaker forecasting former forum
    foundation founder freedom fund general genocide geographer global government governor group
    head historian holocaust honorary hub human imam inc initiative institute institution
    international journalist judge justice lab laboratory lady law lawmaker lawyer lawyers
    leader league lecturer legal legislator llc lord ltd manager mayor media member memorial mep
    midwife minister ministry mission mothers movement mp museum national network news ngo
    novelist nurse observatory office officer organisation organiser organization organizer
    parliament partner partners party pastor peace peer photographer physician platform poet
    policy president president-elect press prevention priest principal prof professor
    professorial program programme project protection psychologist rabbi rapporteur rector
    refugees relief representative research researcher response reverend rights room scholar
    school secretariat secretary senator senior services sir society sociologist solidarity
    spokesperson srebrenica student students studies support surgeon survivor survivors teacher
    treasurer tribunal trust trustee union university uyghur vice-president victims visiting
    voice voices watch without women workers world writer youth
""".split())

SYLLABLES = ["ka", "ral", "mi", "ven", "dor", "sa", "lu", "tir", "an", "bel", "ko", "mar", "zen", "ri",
             "ota", "vel", "nas", "qu", "ira", "del", "fa", "gor", "hin", "ja", "lem", "nor", "pe",
             "sul", "tam", "ur", "wa", "yel", "zor", "ash", "bren", "cal", "dru", "esk", "fen", "gal"]
FIRST_NAMES = [
    "Amina", "Daniel", "Sofia", "Tomasz", "Leila", "Jonas", "Priya", "Mateo", "Chiara", "Kwame", "Yuki",
    "Farid", "Helena", "Rafael", "Noor", "Ingrid", "Samuel", "Mariam", "Oskar", "Aylin", "Tariq", "Elena",
    "Joseph", "Fatima", "Lukas", "Nadia", "Gabriel", "Aisha", "Henrik", "Zainab", "Victor", "Leena",
    "Marcus", "Rosa", "Ibrahim", "Clara", "Anders", "Hana", "Julien", "Esther", "Kofi", "Irene", "Omar",
    "Beatriz", "Stefan", "Layla", "Nikolai", "Grace", "Hamza", "Agnes", "Dmitri", "Wanjiru", "Pablo",
    "Miriam", "Tenzin", "Carmen", "Emeka", "Signe", "Rustam", "Lucia", "Aziz", "Ruth", "Mehmet",
    "Ana", "Kenji", "Dalia", "Felix", "Naledi", "Yusuf", "Teresa", "Arjun", "Olga", "Bilal", "Maren",
    "Desmond", "Selin", "Pierre", "Halima", "Erik", "Ayesha", "Luca", "Nomvula", "Reza", "Judith",
    "Mikhail", "Adaeze", "Anton", "Soraya", "Gustavo", "Mei", "Idris", "Vera", "Hassan", "Petra",
]
MIDDLE_INITIALS = ["A.", "B.", "C.", "D.", "E.", "J.", "K.", "L.", "M.", "N.", "R.", "S.", "T."]
SURNAMES = [
    "Okafor", "Lindqvist", "Haddad", "Moreno", "Kowalski", "Nakamura", "Osei", "Brennan", "Rahimi",
    "Castellano", "Eriksen", "Mensah", "Petrovic", "Quintero", "Saleh", "Takahashi", "Varga", "Whitfield",
    "Yilmaz", "Zaman", "Achterberg", "Baptiste", "Chaudhry", "Delacroix", "Esposito", "Fitzgerald",
    "Gallagher", "Hosseini", "Iwu", "Jovanovic", "Kamau", "Lefebvre", "Mahmoud", "Nkosi", "Oyelaran",
    "Pellegrini", "Rasmussen", "Sorensen", "Tanaka", "Umarov", "Valdez", "Wojcik", "Xu", "Yamamoto",
    "Zielinski", "Abernathy", "Bianchi", "Costa", "Demir", "Ekwueme", "Fernandes", "Grunewald", "Hakimi",
    "Ivanova", "Jaramillo", "Kaplan", "Lombardi", "Mbeki", "Nilsson", "Ortega", "Park", "Ramadan",
    "Schneider", "Toure", "Ueda", "Villanueva", "Wang", "Yusupova", "Zhou", "Adeyemi", "Bergstrom",
    "Carvalho", "Dubois", "Eze", "Farouk", "Gomez", "Holm", "Ibrahimovic", "Jensen", "Karimi", "Larsen",
    "Mukherjee", "Novak", "Olsen", "Popescu", "Rahman", "Santos", "Tran", "Usman", "Vasquez", "Weiss",
]
PARTICLES = ["von", "van", "de", "al", "da"]
FIELDS = ["International Law", "History", "Political Science", "Human Rights", "Anthropology",
          "Sociology", "Public Health", "Genocide Studies", "Criminology", "Conflict Studies",
          "Religious Studies", "Migration Studies", "International Relations", "Forensic Science"]
TITLES = ["Professor of {f}", "Associate Professor of {f}", "Assistant Professor of {f}", "Director",
          "Executive Director", "Senior Fellow", "Lecturer in {f}", "President", "Co-Director",
          "Founder", "Senior Researcher", "Chair", "Research Fellow in {f}", "Emeritus Professor of {f}"]
THEMES = ["Atrocity Prevention", "Transitional Justice", "the Rights of Minorities", "Genocide Studies",
          "Accountability", "Refugee Rights", "Religious Freedom", "Human Security", "the Protection of Civilians",
          "Documentation of War Crimes", "Memory and Justice", "Peace and Reconciliation", "Civil Liberties",
          "Democracy and Human Rights", "the Rule of Law", "Indigenous Rights", "Victims of Torture",
          "Freedom of Belief", "Humanitarian Law", "Survivor Support"]
ORG_PATTERNS = [
    "{P} Human Rights Network", "{G} Human Rights Project", "Centre for {T}", "Center for {T} in {P}",
    "{P} Institute for {T}", "Coalition for {T} in {P}", "{S} Foundation", "{P} Watch",
    "{G} Women's Association", "{P} Bar Association", "{P} Youth Forum", "Society for {T}",
    "{P} Monitoring Group", "Committee for Justice in {P}", "{P} Legal Aid Clinic", "{G} Diaspora Council",
    "{S} Institute for {T}", "{G} Advocacy Initiative", "Friends of {P}", "{P} Documentation Centre",
    "{G} Rights Alliance", "{P} Refugee Action Network", "Campaign for {G} Rights", "{P} Peace Movement",
]
GAZETTEER_ORGS = ["Genocide Watch", "Aegis Trust", "Protection Approaches", "Genocide Alert",
                  "Human Security Centre", "Coalition for Genocide Response", "Atrocity Forecasting Project",
                  "Uyghur Human Rights Project", "Jewish World Watch", "Operation Broken Silence",
                  "Institute for the Study of Genocide", "Holocaust Memorial Day Trust"]
REAL_GROUPS = [("Uyghurs", "Xinjiang", "China"), ("Kazakhs", "Xinjiang", "China")]
CRIMES_TITLE = ["Crimes Against Humanity", "Genocide", "Atrocity Crimes", "Mass Detention",
                "Enforced Disappearances", "Forced Labour", "Crimes Against Humanity and Genocide",
                "Persecution", "Sexual Violence", "War Crimes", "Mass Atrocities"]
KINDS = ["Open Letter", "Joint Open Letter", "Joint Letter", "Open Letter of Concern"]
ACTS = ["arbitrary detention", "enforced disappearances", "forced labour", "torture", "sexual violence",
        "forced displacement", "destruction of cultural sites", "mass surveillance", "killings",
        "persecution", "deportation", "political indoctrination", "forced sterilizations",
        "separation of children from their parents", "mass internment", "imprisonment"]
GENOCIDE_POINTS = [("a", "killing members of the group"),
                   ("b", "causing serious bodily or mental harm to members of the group"),
                   ("c", "deliberately inflicting on the group conditions of life calculated to bring about its physical destruction"),
                   ("d", "imposing measures intended to prevent births within the group"),
                   ("e", "forcibly transferring children of the group to another group")]
ROME_POINTS = [("a", "murder"), ("d", "deportation or forcible transfer of population"),
               ("e", "imprisonment or other severe deprivation of physical liberty"), ("f", "torture"),
               ("g", "rape and other forms of sexual violence"), ("h", "persecution"),
               ("i", "enforced disappearance of persons"), ("k", "other inhumane acts")]
SOURCES = ["UN human rights experts", "the UN Special Rapporteur on torture", "independent researchers",
           "investigative journalists", "former detainees", "local monitors", "the UN Working Group on Enforced or Involuntary Disappearances",
           "several universities", "humanitarian workers", "leaked government documents"]
RECIPIENTS = ["the UN Human Rights Council", "all UN member states", "the Security Council", "states",
              "governments", "the European Union", "the UN Secretary-General", "the Government of {C}",
              "members of the international community", "the African Union"]
OUTLETS = ["Courier", "Herald", "Observer", "Chronicle", "Gazette", "Tribune", "Dispatch", "Ledger"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _word(rng: random.Random, parts: int) -> str:
    while True:
        w = "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()
        if w.lower() not in RESERVED and 4 <= len(w) <= 12:
            return w


@dataclass(frozen=True)
class Pools:
    places: list[str]  # regions
    countries: list[str]
    groups: list[str]
    orgs: list[str]
    persons: list[tuple[str, str, str]]  # name, title, institution
    institutions: list[str]
    outlets: list[str]
    org_weights: list[float]
    person_weights: list[float]


def _unique(make, count: int) -> list[str]:
    seen: dict[str, None] = {}
    tries = 0
    while len(seen) < count and tries < count * 50:
        seen.setdefault(make(), None)
        tries += 1
    return list(seen)


@lru_cache(maxsize=4)
def pools(seed: int) -> Pools:
    """The shared pools, from the seed alone (not from N)."""
    rng = random.Random(f"{seed}/pools")
    places = _unique(lambda: _word(rng, rng.choice((2, 3))), 600)
    countries = _unique(lambda: _word(rng, 2) + rng.choice(("ia", "ana", "istan", "land", "ora")), 80)
    groups = _unique(lambda: _word(rng, 2) + rng.choice(("i", "an", "ese", "ites")), 200)
    surnames = [n for n in SURNAMES if n.lower() not in RESERVED] + _unique(lambda: _word(rng, rng.choice((2, 3))), 1500)
    institutions = _unique(lambda: rng.choice((
        "University of {P}", "{P} State University", "{P} Law School", "{S} College",
        "Institute of International Affairs, University of {P}", "{P} Centre for Human Rights Studies",
        "School of Law, {P} University", "{S} Institute of Peace Research")).format(
            P=rng.choice(places), S=rng.choice(surnames)), INSTITUTION_POOL)

    def org() -> str:
        return rng.choice(ORG_PATTERNS).format(P=rng.choice(places), G=rng.choice(groups),
                                               T=rng.choice(THEMES), S=rng.choice(surnames))

    orgs = list(dict.fromkeys(GAZETTEER_ORGS + _unique(org, ORG_POOL)))[:ORG_POOL]

    def person() -> str:
        parts = [rng.choice(FIRST_NAMES)]  # none of them an organisation or office word
        if rng.random() < 0.25:
            parts.append(rng.choice(MIDDLE_INITIALS))
        if rng.random() < 0.05:
            parts.append(rng.choice(PARTICLES))
        parts.append(rng.choice(surnames))
        return " ".join(parts)

    names = _unique(person, PERSON_POOL)
    persons = [(n, rng.choice(TITLES).format(f=rng.choice(FIELDS)), rng.choice(institutions)) for n in names]
    outlets = _unique(lambda: f"The {rng.choice(places)} {rng.choice(OUTLETS)}", 60)
    org_w = list(itertools.accumulate(1 / (k + 1) ** 0.7 for k in range(len(orgs))))
    person_w = list(itertools.accumulate(1 / (k + 1) ** 0.6 for k in range(len(persons))))
    return Pools(places, countries, groups, orgs, persons, institutions, outlets, org_w, person_w)


# ------------------------------------------------------------------------------------------
# Document content


@dataclass
class Letter:
    index: int
    title: str
    addressee: str
    when: date
    group: str
    place: str
    country: str
    paragraphs: list[list[str]]  # before the demands; each a list of sentences
    intro: str  # "We urge X to:"
    demands: list[str]
    closing: list[str]
    orgs: list[str]
    persons: list[tuple[str, str, str]]
    layout: str
    letterhead: str | None = None
    quotable: list[str] = field(default_factory=list)  # sentences a report may quote


def _rng(seed: int, i: int, what: str = "") -> random.Random:
    return random.Random(f"{seed}/{i}/{what}")


def kind_of(seed: int, i: int) -> str:
    """letter, edition, news or summary: from the seed and index only (cheap, no content)."""
    if i < 3:
        return "letter"
    r = _rng(seed, i, "kind").random()
    return "letter" if r < 0.78 else "edition" if r < 0.85 else "news" if r < 0.97 else "summary"


def earlier_letter(seed: int, i: int) -> int:
    """An original letter before ``i`` that an edition, report or summary is about."""
    rng = _rng(seed, i, "about")
    for _ in range(50):
        j = max(0, i - 1 - int(rng.expovariate(1 / 40)))
        if kind_of(seed, j) == "letter":
            return j
    return 0


def _figure(rng: random.Random) -> str:
    form = rng.randrange(5)
    if form == 0:
        return f"at least {rng.randrange(2, 400) * 250:,} people"
    if form == 1:
        return f"more than {rng.randrange(1, 90) * 1000:,} people"
    if form == 2:
        low = rng.randrange(1, 9)
        return f"between {low} and {low + rng.randrange(1, 9) / 10 + rng.randrange(0, 3):g} million people"
    if form == 3:
        return f"an estimated {rng.randrange(3, 600) * 100:,} people"
    return f"some {rng.randrange(2, 200) * 50:,} children"


def _authority(rng: random.Random, country: str, place: str) -> tuple[str, str]:
    """Who is accused, and the form of "have" that agrees with it."""
    return rng.choice([(f"the {country} government", "has"), (f"security forces in {place}", "have"),
                       (f"the authorities of {country}", "have"), (f"regional officials in {place}", "have"),
                       (f"the military authorities of {country}", "have"), (f"police units deployed in {place}", "have")])


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _allegation(rng: random.Random, L: dict) -> str:
    a, b = rng.sample(ACTS, 2)
    fig, year = _figure(rng), rng.randrange(2012, L["year"] + 1)
    auth, has = _authority(rng, L["country"], L["place"])
    auth = _upper_first(auth)
    src = rng.choice(SOURCES)
    return rng.choice([
        f"{auth} {has} subjected {fig} from the {L['group']} community to {a} in {L['place']} since {year}.",
        f"Credible reports compiled by {src} document {a} and {b} targeting {L['group']} across {L['place']}, affecting {fig}.",
        f"Survivors interviewed by {src} describe {a} in facilities near {L['place']}, where {fig} are believed to be held.",
        f"Satellite imagery reviewed by {src} shows new walled compounds in {L['place']}, consistent with {a} on a large scale.",
        f"In {year}, {rng.randrange(20, 90)} percent of recorded cases of {a} in {L['country']} occurred in {L['place']}, although the region holds only about {rng.randrange(1, 15)} percent of its population.",
        f"Families living abroad report that relatives in {L['place']} have faced {a} and {b}, and that {fig} have been missing since {rng.choice(MONTHS)} {year}.",
        f"According to {src}, {fig} belonging to the {L['group']} minority were subjected to {a} during the {rng.choice(('winter', 'spring', 'summer', 'autumn'))} of {year}.",
        f"{auth} {has} expanded a system of {a} that now reaches into every district of {L['place']}, with {b} reported in at least {rng.randrange(3, 40)} towns.",
    ])


def _characterization(rng: random.Random, L: dict) -> str:
    (p1, t1), (p2, t2) = rng.sample(GENOCIDE_POINTS, 2)
    letter, act = rng.choice(ROME_POINTS)
    return rng.choice([
        f"These measures meet the threshold of acts constitutive of genocide under Article II({p1}) of the Genocide Convention, which prohibits {t1}.",
        f"We believe that {_authority(rng, L['country'], L['place'])[0]} may be committing acts prohibited under the Genocide Convention, including {t1} and {t2}.",
        f"The conduct described above is consistent with crimes against humanity under Article 7(1)({letter}) of the Rome Statute, namely {act}.",
        f"Taken together, the {rng.choice(('evidence', 'reports', 'testimonies'))} point to crimes against humanity of {act} as defined in Article 7 of the Rome Statute.",
    ])


def _quotation(rng: random.Random, L: dict) -> str:
    a = rng.choice(ACTS)
    words = rng.choice([
        f"a pattern of {a} so widespread that no family in {L['place']} has been left untouched",
        f"the systematic use of {a} against the {L['group']} as a tool of control",
        f"an alarming escalation of {a} in {L['place']} with no sign of independent oversight",
        f"credible allegations of {a} that demand an urgent and impartial investigation",
    ])
    who = rng.choice(SOURCES)
    return rng.choice([f"In {rng.choice(MONTHS)} {L['year']}, {who} warned of “{words}.”",
                       f"{_upper_first(who)} have described “{words}” in their most recent findings.",
                       f"As {who} put it, the situation amounts to “{words}.”"])


def _context(rng: random.Random, L: dict) -> str:
    return rng.choice([
        f"The international community has a responsibility to protect the {L['group']} through diplomatic, humanitarian and other peaceful means, and it has so far failed to do so.",
        f"These abuses do not become less serious because the {L['country']} government denies them or because access to {L['place']} is restricted.",
        f"Under the pretext of fighting {rng.choice(('extremism', 'separatism', 'terrorism', 'unrest'))}, officials have turned ordinary religious and cultural life in {L['place']} into grounds for punishment.",
        f"Every month without action allows the destruction of {L['group']} communities to continue and the evidence of it to disappear.",
        f"Those who speak about the situation in {L['place']}, including relatives abroad, face {rng.choice(('threats', 'harassment', 'reprisals', 'surveillance'))} for doing so.",
    ])


def _demand(rng: random.Random, L: dict) -> str:
    a = rng.choice(ACTS)
    return rng.choice([
        f"Establish an independent {rng.choice(('mechanism', 'commission of inquiry', 'fact-finding mission'))} to investigate {a} in {L['place']} and preserve evidence for future prosecutions.",
        f"Impose targeted sanctions on officials of {L['country']} responsible for {a} against the {L['group']}.",
        f"Press for unhindered access to {L['place']} for {rng.choice(('UN investigators', 'independent journalists', 'humanitarian agencies', 'diplomats'))}.",
        f"Ban the import of goods made with forced labour in {L['place']} until supply chains can be independently verified.",
        f"Support survivors and the families of the disappeared, including through {rng.choice(('psychosocial care', 'legal aid', 'resettlement', 'documentation programmes'))}.",
        f"Refer the situation in {L['place']} to the International Criminal Court or support any state that brings a case before the International Court of Justice.",
        f"Convene a special session of the Human Rights Council on the situation of the {L['group']} within {rng.randrange(2, 12)} months.",
        f"Secure the release of everyone held in detention facilities in {L['place']} and disclose the whereabouts of the {rng.choice(('missing', 'disappeared', 'detained'))}.",
        f"Protect members of the {L['group']} diaspora from {rng.choice(('harassment', 'surveillance', 'intimidation'))} by agents of {L['country']}.",
        f"Halt the forced return of {L['group']} refugees and asylum seekers to {L['country']}.",
    ])


def _closing(rng: random.Random, L: dict) -> list[str]:
    return [rng.choice([
        f"It is our shared responsibility to prevent atrocities against the {L['group']} before more lives are lost.",
        f"We stand ready to brief your {rng.choice(('delegations', 'offices', 'staff'))} on the evidence summarised here.",
        f"History will judge how the world responded to what is happening in {L['place']} today.",
    ]), rng.choice([
        "We must act now, while action can still make a difference.",
        "We look forward to your response.",
        "Silence in the face of these crimes is not neutrality.",
    ])]


def _draw(rng: random.Random, cum: list[float], pool: list, count: int) -> list:
    chosen: dict[int, None] = {}
    tries = 0
    while len(chosen) < count and tries < count * 20:
        chosen.setdefault(rng.choices(range(len(pool)), cum_weights=cum, k=1)[0], None)
        tries += 1
    return [pool[k] for k in chosen]


def letter(seed: int, i: int) -> Letter:
    """The original letter of index ``i`` (also the source of its editions and reports)."""
    P = pools(seed)
    rng = _rng(seed, i, "letter")
    if rng.random() < 0.03:
        group, place, country = rng.choice(REAL_GROUPS)
    else:
        group, place, country = rng.choice(P.groups), rng.choice(P.places), rng.choice(P.countries)
    when = date(2014, 1, 1) + timedelta(days=rng.randrange(3650))
    L = {"group": group, "place": place, "country": country, "year": when.year}
    addressee = rng.choice(["Governments", "the UN Human Rights Council", "All UN Member States",
                            "the Security Council", "the European Union", f"the Government of {rng.choice(P.countries)}"])
    crimes = rng.choice(CRIMES_TITLE)
    # The distinguishing words come first: work IRIs are slugs of at most 80 characters.
    title = f"{group} in {place} – {rng.choice(KINDS)} to {addressee} on {crimes}"
    opening = (f"We, the undersigned {rng.choice(('human rights organisations', 'organisations and scholars', 'civil society groups, academics and practitioners'))}, "
               f"write to express {rng.choice(('grave', 'deep', 'urgent'))} concern over mounting evidence of {crimes.lower()} "
               f"committed against the {group} in {place}.")
    paragraphs = [[opening, _context(rng, L)]]
    quotable = []
    for _ in range(rng.randrange(2, 5)):
        para = [_allegation(rng, L) for _ in range(rng.randrange(1, 4))]
        quotable.extend(para)
        paragraphs.append(para)
    paragraphs.append([_characterization(rng, L) for _ in range(rng.randrange(1, 3))])
    if rng.random() < 0.6:
        paragraphs.append([_quotation(rng, L), _context(rng, L)])
    if rng.random() < 0.4:
        paragraphs.append([f"We also call on {rng.choice(RECIPIENTS).format(C=country)} to {rng.choice(('publicly condemn', 'investigate', 'document'))} {rng.choice(ACTS)} in {place} without further delay."])
    recipient = rng.choice(RECIPIENTS).format(C=country)
    intro = f"{rng.choice(('We urge', 'We call on', 'The undersigned urge', 'Signatories of this letter urge'))} {recipient} to:"
    demands = list(dict.fromkeys(_demand(rng, L) for _ in range(rng.randrange(2, 8))))
    orgs = _draw(rng, P.org_weights, P.orgs, min(150, max(1, int(rng.lognormvariate(2.6, 0.7)))))
    persons = (_draw(rng, P.person_weights, P.persons, min(80, max(1, int(rng.lognormvariate(1.9, 0.8)))))
               if rng.random() < 0.5 else [])
    layout = rng.choices(("pdf", "web", "markdown"), weights=(5, 3, 2))[0]
    letterhead = orgs[0] if layout == "markdown" else None
    if layout == "markdown" and rng.random() < 0.5:  # one person signs for the letterhead
        name, title_, _ = rng.choice(P.persons)
        orgs, persons = [], [(name, rng.choice(("Executive Director", "Secretary General", "Director", "President")), "")]
    return Letter(i, title, addressee, when, group, place, country, paragraphs, intro, demands,
                  _closing(rng, L), orgs, persons, layout, letterhead, quotable)


def edition(seed: int, i: int) -> tuple[Letter, int]:
    """A later edition of an earlier letter: more signers, a later date, perhaps a web copy."""
    j = earlier_letter(seed, i)
    base = letter(seed, j)
    rng = _rng(seed, i, "edition")
    P = pools(seed)
    extra_orgs = [o for o in _draw(rng, P.org_weights, P.orgs, rng.randrange(1, 12)) if o not in base.orgs]
    extra_persons = [p for p in _draw(rng, P.person_weights, P.persons, rng.randrange(0, 8)) if p not in base.persons]
    base.index = i
    base.when = base.when + timedelta(days=rng.randrange(20, 200))
    base.orgs = base.orgs + extra_orgs if base.orgs else base.orgs
    base.persons = base.persons + extra_persons if base.orgs else base.persons
    base.layout = rng.choice(("pdf", "web"))
    base.letterhead = None
    return base, j


# ------------------------------------------------------------------------------------------
# Layouts


def _date_text(rng: random.Random, d: date) -> str:
    return rng.choice([f"{MONTHS[d.month - 1]} {d.day}, {d.year}", f"{d.day} {MONTHS[d.month - 1]} {d.year}"])


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_on_hyphens=False, break_long_words=False) or [""]


def _signature_lines(L: Letter, rng: random.Random, wrap: bool) -> list[str]:
    out = []
    for org in L.orgs:
        out.append(org)
        if wrap and rng.random() < 0.7:
            out.append("")
    if L.orgs and L.persons:
        out.append("")
    for name, title, institution in L.persons:
        entry = ", ".join(p for p in (name, title, institution) if p)
        out.extend(_wrap(entry, 92) if wrap else [entry])
        out.append("")
    return out


def render_letter(L: Letter, seed: int) -> str:
    rng = _rng(seed, L.index, "layout")
    if L.layout == "pdf":
        return _pdf(L, rng)
    if L.layout == "web":
        return _web(L, rng)
    return _markdown(L, rng)


def _pdf(L: Letter, rng: random.Random) -> str:
    out = _wrap(L.title, rng.choice((70, 200))) + ["", _date_text(rng, L.when), ""]
    for k, para in enumerate(L.paragraphs):
        out += _wrap(" ".join(para), 92) + [""]
        if rng.random() < 0.2:  # a page break: footnote link and page number
            out += ["", "", f"https://reports.example/doc/{rng.randrange(10**6)}", "", str(k + 2), ""]
    out += [L.intro, ""]
    for n, demand in enumerate(L.demands, start=1):
        out += _wrap(f"{n}. {demand}", 92) + [""]
    for sentence in L.closing:
        out += _wrap(sentence, 92)
    out += ["", rng.choice(("Yours sincerely,", "Sincerely,", "Signed,"))]
    out += _signature_lines(L, rng, wrap=True)
    return "\n".join(out) + "\n"


MENU = ["  • About Us", "  • Our Work", "    • Publications", "    • Campaigns", "  • Get Involved", "  • Contact"]


def _web(L: Letter, rng: random.Random) -> str:
    site = rng.choice(L.orgs) if L.orgs else "Our Organisation"
    out = ["Skip to content", ""] + MENU + ["", L.title, "", f"Posted on {_date_text(rng, L.when)}", ""]
    for para in L.paragraphs:
        out += [" ".join(para), ""]
    out += [L.intro, ""]
    for n, demand in enumerate(L.demands, start=1):
        out += [f"{n}. {demand}"]
    out += ["", " ".join(L.closing), "", rng.choice(("Yours sincerely,", "Sincerely,"))]
    out += _signature_lines(L, rng, wrap=False)
    out += ["Share this", f"© {L.when.year} {site}. All rights reserved.", "Privacy Policy", ""]
    return "\n".join(out)


def _markdown(L: Letter, rng: random.Random) -> str:
    head = L.letterhead or "International Secretariat"
    ref = f"Reference: {rng.choice(('TG', 'IOR', 'PUB'))} {rng.randrange(10, 99)}/{L.when.year}.{rng.randrange(1000, 9999)}"
    out = [f"**{head.upper()}** SECRETARIAT e: office@secretariat.example t: +00-{rng.randrange(10**7, 10**8)}", "",
           ref, "", f"{L.when.day} {MONTHS[L.when.month - 1]} {L.when.year}", "", "Your Excellency,", "",
           f"## {L.title.upper() if rng.random() < 0.5 else L.title}", ""]
    for para in L.paragraphs:
        out += [" ".join(para), ""]
    out += [L.intro, ""]
    for n, demand in enumerate(L.demands, start=1):
        out += [f"{n}. {demand}", ""]
    out += [" ".join(L.closing), "", "Yours sincerely,", ""]
    out += _signature_lines(L, rng, wrap=False)
    return "\n".join(out)


def news(seed: int, i: int) -> tuple[str, dict, int]:
    j = earlier_letter(seed, i)
    L = letter(seed, j)
    P = pools(seed)
    rng = _rng(seed, i, "news")
    outlet = rng.choice(P.outlets)
    when = L.when + timedelta(days=rng.randrange(0, 10))
    quoted = rng.sample(L.quotable, min(2, len(L.quotable)))
    signer = rng.choice(L.orgs) if L.orgs else "rights groups"
    person = rng.choice(P.persons)
    headline = rng.choice([f"Rights Groups Accuse {L.country} of {rng.choice(CRIMES_TITLE)} Against the {L.group}",
                           f"Activists Call for Inquiry Into Abuses Against the {L.group} in {L.place}",
                           f"Open Letter Urges Action on {L.place} as Pressure Mounts on {L.country}"])
    paras = [
        f"{rng.choice(('Nearly two dozen', 'More than a dozen', 'Dozens of', 'A coalition of'))} human rights groups said on {rng.choice(WEEKDAYS)} "
        f"that {rng.choice(CRIMES_TITLE).lower()} are taking place against the {L.group} in {L.place}.",
        f"The foreign ministry of {L.country} said it had not seen the letter, but rejected the allegations as "
        f"“{rng.choice(('groundless smears spread by hostile forces', 'fabrications with no basis in fact', 'a political attack dressed up as concern'))}”.",
    ]
    paras += [f"“{q.rstrip('.')},” the letter said." for q in quoted]
    paras += [
        f"The letter, signed by groups including {signer}, calls on {L.addressee} to act.",
        f"“{rng.choice(('The evidence is overwhelming and the silence of governments is deafening', 'Every week of delay costs lives and destroys evidence', 'Governments can no longer claim they did not know'))},” "
        f"{person[0]} of {person[2]} told the {outlet.split(' ', 1)[1]}.",
        f"Officials in {L.country} have described the facilities in {L.place} as {rng.choice(('vocational training centres', 'voluntary education sites', 'counter-extremism programmes'))}.",
    ]
    text = "\n".join(["Skip to main content", "", headline, "",
                      f"Protesters outside an embassy in {rng.choice(P.places)}.Staff Photographer/Reuters", ""]
                     + [x for p in paras for x in (p, "")]
                     + [f"Sign up for the {outlet} newsletter for the day's top stories.", ""])
    meta = {"type": "news", "date": when.isoformat(), "publisher": outlet,
            "url": f"https://news.example/{i:06d}"}
    return text, meta, j


def summary(seed: int, i: int) -> tuple[str, int]:
    j = earlier_letter(seed, i)
    L = letter(seed, j)
    rng = _rng(seed, i, "summary")
    org = L.orgs[rng.randrange(len(L.orgs))] if L.orgs else "Our Organisation"
    sentence = rng.choice(L.quotable) if L.quotable else L.demands[0]
    text = "\n".join([
        f"{org} Joins Call to Act on Abuses Against the {L.group}", "",
        f"Read the joint open letter on the situation of the {L.group} in {L.place}, urging {L.addressee} to act before it is too late.", "",
        f"{org} has signed an open letter to {L.addressee}, along with {len(L.orgs)} organizations from "
        f"{rng.randrange(2, 30)} countries and {len(L.persons)} experts, expressing grave concern about the treatment of the {L.group}.", "",
        f"The letter states, “{sentence}”", "",
        f"The {L.country} Government must allow independent observers into {L.place} without conditions.", "",
        "Read the Full Letter", ""])
    return text, j


# ------------------------------------------------------------------------------------------
# The corpus


def file_stem(seed: int, i: int) -> str:
    digest = hashlib.sha256(f"{seed}/{i}".encode()).hexdigest()[:16]
    return f"{i:06d}_{digest}"


def document(seed: int, i: int) -> tuple[str, str, dict | None, dict]:
    """(file stem, text, metadata or None, what it should yield) of document ``i``."""
    kind = kind_of(seed, i)
    stem = file_stem(seed, i)
    if kind in ("letter", "edition"):
        L, about = (letter(seed, i), None) if kind == "letter" else edition(seed, i)
        expect = {"kind": kind, "layout": L.layout, "organizations": len(L.orgs), "persons": len(L.persons),
                  "demands": len(L.demands), "edition_of": file_stem(seed, about) if about is not None else None}
        return stem, render_letter(L, seed), None, expect
    if kind == "news":
        text, meta, j = news(seed, i)
        return stem, text, meta, {"kind": kind, "about": file_stem(seed, j)}
    text, j = summary(seed, i)
    return stem, text, None, {"kind": kind, "about": file_stem(seed, j)}


def _toml(meta: dict) -> str:
    return "".join(f'{k} = {json.dumps(v)}\n' if k != "date" else f"{k} = {v}\n" for k, v in meta.items())


def write_corpus(folder: Path, n: int, seed: int = 1) -> dict:
    """Write documents 0..n-1 into ``folder`` (reusing it when its manifest matches)."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest_path = folder / ".manifest.json"
    wanted = {"generator": GENERATOR_VERSION, "seed": seed, "n": n}
    if manifest_path.exists():
        old = json.loads(manifest_path.read_text())
        if {k: old.get(k) for k in wanted} == wanted:
            return old
    for stale in folder.glob("*.txt"):
        stale.unlink()
    for stale in folder.glob("*.meta.toml"):
        stale.unlink()
    documents, totals = {}, {"letter": 0, "edition": 0, "news": 0, "summary": 0, "organizations": 0,
                             "persons": 0, "demands": 0, "bytes": 0}
    for i in range(n):
        stem, text, meta, expect = document(seed, i)
        data = text.encode("utf-8")
        (folder / f"{stem}.txt").write_bytes(data)
        if meta:
            (folder / f"{stem}.meta.toml").write_text(_toml(meta), encoding="utf-8")
        documents[stem] = expect
        totals[expect["kind"]] += 1
        totals["bytes"] += len(data)
        for key in ("organizations", "persons", "demands"):
            totals[key] += expect.get(key, 0)
    manifest = {**wanted, "totals": totals, "documents": documents}
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of documents")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="folder to write the documents into")
    args = parser.parse_args(argv)
    manifest = write_corpus(args.out, args.n, args.seed)
    print(json.dumps(manifest["totals"]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
