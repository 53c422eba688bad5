"""What names look like: people, organisations, countries, titles, and lists of names.

Shared by the signature, demand and report extractors.  Word lists, not a gazetteer: they
say what kind of name a string is, never which entity it is (that is :mod:`kg.link`'s job).

>>> split_title("Senator Marie Dupont MP")
('Senator', 'Marie Dupont', 'MP')
>>> split_list("Albania, Australia, Poland and Ukraine")
['Albania', 'Australia', 'Poland', 'Ukraine']
>>> split_list("the Darfur Bar Network and Sudanese Women for Peace and Justice")
['the Darfur Bar Network', 'Sudanese Women for Peace and Justice']
>>> split_list("Centre for Justice and Peace Studies, Nuba Reports and the Refugee Union")
['Centre for Justice and Peace Studies', 'Nuba Reports', 'the Refugee Union']
"""

from __future__ import annotations

import re

ORG_WORDS = {
    "trust", "centre", "center", "project", "institute", "foundation", "society", "watch", "alert",
    "coalition", "approaches", "peace", "genocide", "rights", "human", "university", "college",
    "school", "council", "committee", "association", "network", "initiative", "forum", "campaign",
    "group", "international", "programme", "program", "office", "ministry", "department", "agency",
    "union", "league", "federation", "alliance", "commission", "fund", "church", "movement",
    "partners", "services", "museum", "memorial", "congress", "party", "government", "amnesty",
    "freedom", "justice", "action", "voice", "voices", "law", "studies", "clinic", "lab", "laboratory",
    "organization", "organisation", "consortium", "collective", "board", "academy", "secretariat",
    "mission", "forecasting", "prevention", "protection", "holocaust", "srebrenica", "uyghur",
    "world", "global", "national", "european", "caucus", "assembly", "parliament", "hub", "circle",
    "press", "media", "news", "club", "bar", "chapter", "inc", "ltd", "llc", "ngo", "aid", "relief",
    "refugees", "women", "youth", "students", "workers", "community", "communities", "without",
    "observatory", "platform", "lawyers", "jurists", "juristes", "juristas", "legal", "directorate", "tribunal", "court", "foundation",
    "support", "emergency", "response", "room", "institution", "society", "solidarity", "survivors",
    "families", "mothers", "victims", "documentation", "education", "research", "policy", "centre",
} | {  # the same words in the languages of many civil-society names (French, Spanish, Portuguese, German)
    "monitor", "watchdog", "réseau", "rede", "red", "fondation", "fundación", "fundação", "fundacion", "fundacao", "centro", "observatoire",
    "observatório", "observatorio", "associação", "asociación", "associacao", "asociacion", "comité", "comitê",
    "collectif", "colectivo", "coletivo", "ligue", "liga", "mouvement", "movimiento", "movimento", "organización",
    "corporación", "corporacion", "corporação", "udruženje", "udruga", "stowarzyszenie", "vereniging",
    "organização", "instituto", "institut", "stiftung", "verein", "gesellschaft", "conseil", "consejo", "conselho",
    "syndicat", "sindicato", "plataforma", "plateforme", "alianza", "aliança", "coalición", "coalizão", "federación",
    "fédération", "federação", "femmes", "mujeres", "mulheres", "droits", "derechos", "direitos", "défense",
    "defensa", "defesa", "acção", "acción", "action", "estudos", "estudios", "études", "justiça", "justicia",
}
ROLE_WORDS = {
    "director", "co-director", "professor", "president", "vice-president", "fellow", "chair",
    "chairman", "chairwoman", "chairperson", "co-chair", "founder", "co-founder", "lecturer",
    "researcher", "senator", "mp", "mep", "member", "secretary", "executive", "officer", "head",
    "dean", "coordinator", "manager", "advisor", "adviser", "rapporteur", "ambassador", "minister",
    "judge", "lawyer", "attorney", "journalist", "editor", "scholar", "emeritus", "chancellor",
    "rector", "trustee", "ceo", "representative", "deputy", "partner", "counsel", "analyst",
    "student", "candidate", "curator", "commissioner", "former", "senior", "associate", "assistant",
    "principal", "chief", "leader", "spokesperson", "author", "historian", "activist", "survivor",
    "pastor", "rabbi", "imam", "bishop", "archbishop", "reverend", "baroness", "lord", "lady", "sir",
    "dr", "prof", "professorial", "visiting", "distinguished", "honorary", "general", "congressman",
    "congresswoman", "mayor", "governor", "councillor", "peer", "archivist", "anthropologist",
    "teacher", "physician", "doctor", "nurse", "advocate", "organizer", "organiser", "consultant",
    "president-elect", "secretary-general", "treasurer", "convenor", "convener", "delegate", "envoy", "psychologist",
    "surgeon", "midwife", "poet", "novelist", "writer", "artist", "priest", "economist", "sociologist",
    "engineer", "filmmaker", "photographer", "academic", "lawmaker", "legislator", "campaigner", "geographer",
    "avocat", "avocate", "abogado", "abogada", "advogado", "advogada", "avvocato", "avvocata", "rechtsanwalt",
    "rechtsanwältin", "advocaat", "adwokat", "radca", "notaire", "notario", "juez", "jueza", "juge",
    "député", "députée", "diputado", "diputada", "deputado", "deputada", "abgeordneter", "abgeordnete",
    "sénateur", "sénatrice", "senador", "senadora",
}  # lawyers and judges in the languages of European bars ("avocate au barreau de Lyon", "radca prawny")
DANGLING = {"and", "of", "the", "for", "de", "del", "della", "da", "do", "du", "&", "at", "in", "on",
            "von", "van", "der", "la", "le", "y", "e", "et", "und", "to", "with"}
HYPHEN_PARTICLE = re.compile(r"^(?:al|el|as|ash|ad|ar|at|az|ibn|bin|abu)-[A-ZÀ-Þ]")
PARTICLES = {"von", "van", "de", "der", "den", "del", "della", "da", "di", "du", "la", "le", "bin",
             "binti", "al", "el", "ibn", "ten", "ter", "dos", "das", "do", "y"}
HONORIFICS = {"dr", "prof", "professor", "senator", "sen", "baroness", "baron", "lord", "lady", "sir",
              "dame", "hon", "honourable", "honorable", "rt", "rev", "reverend", "deputy", "mr", "mrs",
              "ms", "mx", "he", "h.e", "ambassador", "judge", "bishop", "archbishop", "rabbi", "imam",
              "father", "sister", "congressman", "congresswoman", "councillor", "mayor", "msgr", "cllr", "fr",
              "pastor", "sheikh", "ven", "cardinal", "prince", "princess", "rep", "representative", "paramount",
              "père", "pere", "abbé", "abbe", "frère", "fray", "frei", "soeur", "sœur", "padre", "mme", "herr", "frau",
              "chief", "emeritus", "emerita", "sr", "br", "assoc", "asst", "me", "maître", "maitre",  # "Me": Maître
              "pe", "dra", "sra", "srta", "lic", "licda", "mons",  # Portuguese and Spanish: Padre, Doutora, Señora
              "smt", "shri", "shree", "kumari", "adv",  # Indian usage: Shrimati, Shri, Advocate (not "Sri": Sri Lanka)
              "barr", "barrister", "comrade", "hajiya", "hajia", "alhaji", "alhaja", "mallam", "engr"}  # Nigerian usage
CHIEF_OFFICES = {"prosecutor", "operating", "financial", "technology", "technical", "medical", "whip", "inspector",
                 "constable", "superintendent", "of", "economist", "scientist", "information", "programme", "program"}
ROLE_AFTER = {"chief"}  # an honorific only before a name, not before an office ("Chief Executive")
OFFICES = {"senator", "sen", "baroness", "baron", "lord", "deputy", "ambassador", "judge", "bishop",
           "archbishop", "rabbi", "imam", "congressman", "congresswoman", "councillor", "mayor", "cllr"}
POST_TITLES = {"mp", "mep", "msp", "td", "obe", "mbe", "cbe", "kbe", "kc", "qc", "phd", "md", "jr", "sr",
               "ii", "iii", "esq", "frs", "fba", "mla", "mpp", "ms",
               "llm", "ll.m", "lld", "mdb", "mda", "mha", "mna", "mpa", "mba", "msc", "mphil", "dphil",
               "bsc", "pc", "mlc", "frsa", "fcrc", "sj", "osb", "sc", "san"}  # "SC": Senior Counsel; "SAN": Senior Advocate of Nigeria
COUNTRIES = set("""afghanistan|albania|algeria|andorra|angola|antigua and barbuda|argentina|armenia|australia|
austria|azerbaijan|bahamas|bahrain|bangladesh|barbados|belarus|belgium|belize|benin|bhutan|bolivia|
bosnia and herzegovina|botswana|brazil|brunei|bulgaria|burkina faso|burundi|cabo verde|cape verde|cambodia|
cameroon|canada|central african republic|chad|chile|china|colombia|comoros|congo|costa rica|cote d'ivoire|
côte d'ivoire|croatia|cuba|cyprus|czech republic|czechia|democratic republic of the congo|drc|denmark|
djibouti|dominica|dominican republic|ecuador|egypt|el salvador|equatorial guinea|eritrea|estonia|eswatini|
ethiopia|fiji|finland|france|gabon|gambia|the gambia|georgia|germany|ghana|greece|grenada|guatemala|guinea|
guinea-bissau|guyana|haiti|holy see|honduras|hungary|iceland|india|indonesia|iran|iraq|ireland|israel|italy|
jamaica|japan|jordan|kazakhstan|kenya|kiribati|kosovo|kuwait|kyrgyzstan|laos|latvia|lebanon|lesotho|liberia|
libya|liechtenstein|lithuania|luxembourg|madagascar|malawi|malaysia|maldives|mali|malta|marshall islands|
mauritania|mauritius|mexico|micronesia|moldova|monaco|mongolia|montenegro|morocco|mozambique|myanmar|burma|
namibia|nauru|nepal|netherlands|the netherlands|new zealand|nicaragua|niger|nigeria|north korea|
north macedonia|norway|oman|pakistan|palau|palestine|panama|papua new guinea|paraguay|peru|philippines|
poland|portugal|qatar|romania|russia|russian federation|rwanda|saint lucia|samoa|san marino|saudi arabia|
senegal|serbia|seychelles|sierra leone|singapore|slovakia|slovenia|solomon islands|somalia|south africa|
south korea|republic of korea|south sudan|spain|sri lanka|sudan|suriname|sweden|switzerland|syria|taiwan|
tajikistan|tanzania|thailand|timor-leste|togo|tonga|trinidad and tobago|tunisia|turkey|türkiye|turkmenistan|
tuvalu|uganda|ukraine|united arab emirates|uae|united kingdom|uk|united states|united states of america|usa|
us|u.s.|u.k.|uruguay|uzbekistan|vanuatu|venezuela|vietnam|viet nam|yemen|zambia|zimbabwe|scotland|wales|
england|northern ireland|hong kong|west papua|tibet|kurdistan|puerto rico|greenland|dr congo|dr of congo|
democratic republic of congo|republic of the congo|republic of congo|ivory coast|east timor|timor leste|swaziland|
macedonia|u.s.a.|united states of america|saint kitts and nevis|saint vincent and the grenadines|
são tomé and príncipe|sao tome and principe|lao pdr|kyrgyz republic|bosnia|bosnia & herzegovina|
the philippines|the uk|the us|the usa|great britain|britain|palestinian territories|occupied palestinian territory|
western sahara|somaliland|artsakh|nagorno-karabakh|crimea|catalonia|basque country|quebec|kashmir""".replace("\n", "").split("|"))
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.-]{1,11}$")
ORG_HEADS = {  # the nouns that say a name is an institution's, not a topic's ("Peace", "Indigenous Rights")
    "trust", "centre", "center", "project", "institute", "foundation", "society", "watch", "alert", "coalition",
    "council", "committee", "association", "network", "initiative", "forum", "campaign", "group", "programme",
    "program", "office", "ministry", "department", "agency", "union", "league", "federation", "alliance",
    "commission", "fund", "church", "movement", "partners", "museum", "memorial", "congress", "party",
    "government", "clinic", "lab", "laboratory", "organization", "organisation", "consortium", "collective",
    "board", "academy", "secretariat", "mission", "caucus", "assembly", "parliament", "hub", "circle", "club",
    "bar", "chapter", "inc", "ltd", "llc", "ngo", "observatory", "platform", "directorate", "tribunal", "court",
    "university", "college", "school", "institution", "international", "section", "division", "branch",
    "service", "services", "faculty", "diocese", "archdiocese", "mosque", "synagogue", "temple", "sisters",
    "monitor", "watchdog", "réseau", "rede", "fondation", "fundación", "fundação", "centro", "observatoire", "observatório", "observatorio",
    "associação", "asociación", "comité", "comitê", "collectif", "colectivo", "coletivo", "ligue", "liga",
    "mouvement", "movimiento", "movimento", "organización", "organização", "instituto", "institut", "stiftung",
    "verein", "conseil", "consejo", "conselho", "syndicat", "sindicato", "plataforma", "plateforme",
    "corporación", "corporacion", "corporação", "udruženje", "udruga", "stowarzyszenie", "vereniging",
}
FUNCTION_WORDS = {  # articles and prepositions inside names in other languages ("Fondation pour les Droits")
    "pour", "les", "des", "aux", "au", "sur", "en", "et", "los", "las", "para", "por", "con", "sin", "contra",
    "dos", "das", "das", "na", "no", "nos", "nas", "pela", "pelo", "für", "und", "die", "des", "dem", "zur", "zum",
}
_PLAIN_EXCEPT = DANGLING | PARTICLES | FUNCTION_WORDS | ROLE_WORDS | ORG_WORDS | {
    "a", "an", "the", "sans", "without", "by", "from", "against", "across", "beyond", "under", "over", "within", "between"}
_NOT_AFTER_CHIEF = ROLE_WORDS | ORG_WORDS | CHIEF_OFFICES
_NAME_ROLE_WORDS = ROLE_WORDS - {"sir", "lady", "lord"}  # a knight's or a peer's title is part of a name
_ORG_NOUNS = ORG_WORDS | ORG_HEADS
_POST_NAME_TITLES = POST_TITLES - {"ms"}
_HEAD_CUT = re.compile(r"\s*[,(–—|]")  # a name's end: a comma, a bracket, a dash or a table's bar
_SPACES = re.compile(r"\s+")


def is_place(text: str) -> bool:
    """A town, city or region as an address gives it after an institution ("Nairobi", "New
    York", "Tromsø"): one to three capitalised words that no organisation or office uses.

    >>> is_place("Nairobi"), is_place("Kenya"), is_place("Oxfam International"), is_place("Peace and Justice")
    (True, True, False, False)
    """
    if is_country(text):
        return True
    words = text.strip().split()
    if not 1 <= len(words) <= 3 or any(ch.isdigit() for ch in text) or is_acronym(text.strip()):
        return False
    if len(words) >= 2 and (has_honorific(text) or bare_token(words[-1]) in POST_TITLES):
        return False  # "Hon. Jane Doe", "Jane Doe MdB": a person
    for word in words:
        low = bare_token(word)
        if low in ORG_WORDS or low in ROLE_WORDS or low in ORG_HEADS or (not word[:1].isupper() and low not in PARTICLES):
            return False
    return not any(bare_token(w) in {"and", "for", "of", "the"} for w in words)


def is_caption(text: str) -> bool:
    """A line that says what a photo shows, not who signed: it opens with an article and a
    word in lower case ("A vigil in Gaziantep"), or runs on lower-case words that no name,
    office or organisation uses ("Relatives hold photographs of the missing").

    >>> is_caption("A vigil in Gaziantep"), is_caption("Families wait for food"), is_caption("Independent researcher")
    (True, True, False)
    """
    words = _HEAD_CUT.split(text, maxsplit=1)[0].split()
    if len(words) >= 2 and words[0] in ("A", "An") and words[1][:1].islower():
        return True
    plain = [w for w in words[1:] if w[:1].islower() and bare_token(w) not in _PLAIN_EXCEPT]
    return len(plain) >= 2


def has_org_head(text: str) -> bool:
    """A name with an institution's noun in it ("Melanesian Solidarity Alliance"), or an acronym."""
    return is_acronym(text.strip()) or any(bare_token(w) in ORG_HEADS for w in text.split())


def is_country(text: str) -> bool:
    """A country (or territory) named as it usually is.

    >>> is_country("the Netherlands"), is_country("UK"), is_country("Oxfam")
    (True, True, False)
    """
    key = _SPACES.sub(" ", text.strip(" .,;()").lower())
    return key in COUNTRIES or key.removeprefix("the ") in COUNTRIES


def bare_token(token: str) -> str:
    return token.strip(".,'’\"()").lower()


def split_title(name: str) -> tuple[str | None, str, str | None]:
    """Honorifics before a name and post-nominal titles after it, split off."""
    tokens = name.split()
    k = 0
    while k < len(tokens) - 2 + (1 if k else 0) and _honorific_at(tokens, k):
        k += 1
    end = len(tokens)
    while end - k > 2 and bare_token(tokens[end - 1]) in POST_TITLES:
        end -= 1
    before = " ".join(tokens[:k]) or None
    after = " ".join(tokens[end:]) or None
    return before, " ".join(tokens[k:end]), after


def _honorific_at(tokens: list[str], k: int) -> bool:
    word = bare_token(tokens[k])
    if word in ROLE_AFTER:  # "Paramount Chief Jane Doe", "Chief Jane Doe", not "Chief Executive"
        return k + 1 < len(tokens) and bare_token(tokens[k + 1]) not in _NOT_AFTER_CHIEF
    return word in HONORIFICS


def looks_like_person_name(name: str) -> bool:
    """Two to five capitalised words or initials, none of them a word organisations use.

    >>> looks_like_person_name("Elisa von Joeden-Forgey"), looks_like_person_name("Genocide Watch")
    (True, False)
    """
    tokens = name.split()
    if not 2 <= len(tokens) <= 6:
        return False
    capitals = 0
    for token in tokens:
        bare = bare_token(token)
        if bare in ORG_WORDS or bare in _NAME_ROLE_WORDS:
            return False
        if "-" in token and any(p.lower() in _ORG_NOUNS for p in token.split("-")):
            return False  # "Health Directorate-in-Exile"
        if token[:1].isupper() or HYPHEN_PARTICLE.match(token):  # "Fatima al-Saadi": the name after the particle
            capitals += 1
        elif bare not in PARTICLES:
            return False
        if any(ch.isdigit() for ch in token):
            return False
    return capitals >= 2 and not is_country(name)


def has_honorific(name: str) -> bool:
    """A title before a name ("Dr Jane Doe"), not an office ("Professor of Law"), or
    post-nominals after it ("Jane Doe MP")."""
    tokens = name.split()
    k = 0
    while k < len(tokens) - 1 and _honorific_at(tokens, k):
        k += 1
    return k >= 1 and tokens[k][:1].isupper() or (
        len(tokens) >= 3 and bare_token(tokens[-1]) in _POST_NAME_TITLES)


def is_acronym(text: str) -> bool:
    return bool(_ACRONYM.match(text.strip()))


_LIST_BREAK = re.compile(r",\s*(?:and\s+|&\s+)?|;\s*")
_LEADING_AND = re.compile(r"^(?:and|&)\s+")
_AND = re.compile(r"\s+(?:and|&)\s+")
_THE_OR_ALL = re.compile(r"(?:the|all)\s", re.I)


def split_list(text: str, *, phrases: bool = False) -> list[str]:
    """"A, B, C and D" as its items; an "and" inside a name ("Peace and Justice") is kept
    when splitting there would leave a one-word item that is not a country or an acronym.
    With ``phrases``, only "and" between two phrases of two words or more splits ("the
    governments of Canada and Chile" is one item, "the AU and the EU" two)."""
    parts = [p.strip() for p in _LIST_BREAK.split(text) if p.strip()]
    single = not phrases and sum(1 for p in parts if len(p.split()) == 1) >= 2
    out: list[str] = parts[:-1]  # in "A, B and C" only the last part joins two items
    if parts:
        out.extend(_split_and(parts[-1], single, phrases))
    return [_LEADING_AND.sub("", p) for p in out if p]


def _split_and(part: str, single_ok: bool, phrases: bool) -> list[str]:
    if len(part) > 400:
        return [part]  # not a name, nor two
    joins = list(_AND.finditer(part))
    if phrases and not _THE_OR_ALL.match(part[joins[0].end():] if joins else ""):
        joins = [m for m in joins if _THE_OR_ALL.match(part[m.end():])] + joins  # "the Office for X and Y and the Z"
    for m in joins:
        left, right = part[:m.start()].strip(), part[m.end():].strip()
        if _whole(left, single_ok, phrases) and _whole(right, single_ok, phrases):
            return [left] + _split_and(right, single_ok, phrases)
    return [part]


def _whole(item: str, single_ok: bool, phrases: bool) -> bool:
    words = item.split()
    if not words or bare_token(words[-1]) in DANGLING or bare_token(words[0]) in DANGLING - {"the"}:
        return False  # "Rise Up for Life and for Rights" is one name
    if phrases:
        if len(words) == 1 and is_acronym(item) and len(item) >= 3:
            return True  # "the African Union and ECOWAS"
        return len(words) >= 2 and not (len(words) == 2 and words[0][:1].isupper() and words[1][:1].isupper()
                                        and bare_token(words[0]) not in {"the", "all"})
    return len(words) >= 2 or single_ok or is_country(item) or is_acronym(item)


def personish(name: str) -> bool:
    """A person's name, with or without a title ("Dr Jane Doe", "Jane Doe")."""
    _, core, _ = split_title(name)
    return has_honorific(name) or looks_like_person_name(core)


def is_role(part: str) -> bool:
    """An office ("Professor of Law", "Rohingya community leader", "Co-chairs"), not an institution."""
    words = [bare_token(w) for w in part.split()]
    if words and words[0].endswith("s") and words[0][:-1] in ROLE_WORDS and (len(words) == 1 or part.split()[0].endswith(",")):
        return True  # "Co-chairs" (in a longer part, "Survivors Trust", a plural names an organisation)
    if not words:
        return False
    if words[-1] in ROLE_WORDS and len(words) <= 5:
        return True  # "Rohingya community leader"
    for word in words[:5]:
        if word in ROLE_WORDS and word not in {"general", "former", "senior", "associate", "assistant", "visiting",
                                               "distinguished", "honorary"}:
            return True
        if word in ORG_WORDS:
            return False
    return False
