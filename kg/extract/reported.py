"""Signers that a report names: "the letter, signed by groups including X and Y, ...".

Consumes a news report or web page about a letter; creates :class:`kg.records.Signature`
records for the signers it names, and only those (a count of "21 organisations" names
nobody).  :mod:`kg.link` decides which letter the report is about; :mod:`kg.rdf` links these
signers to that letter.

>>> text = "The open letter, signed by groups including the U.S.-based Uyghur Rights Project and Genocide Watch, calls for action."
>>> [(s.name, s.kind) for s in reported_signers(text, Span(0, len(text)))]
[('Uyghur Rights Project', 'organization'), ('Genocide Watch', 'organization')]
>>> text = "The letter, whose signatories include French senator Marie Dupont and lawmaker Abena Owusu, says so."
>>> [(s.name, s.kind) for s in reported_signers(text, Span(0, len(text)))]
[('Marie Dupont', 'person'), ('Abena Owusu', 'person')]
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..records import Extraction, Signature, Span
from .names import (HONORIFICS, has_org_head, ORG_HEADS, POST_TITLES, ROLE_WORDS, bare_token, is_country, is_place, looks_like_person_name, split_list,
                    split_title)
from .text import sentences, squash

DOCUMENT = re.compile(r"\b(letter|statement|petition|appeal|declaration|submission|signatories|signatory|signers|signed|"
                      r"(?:endorsing|signing)\s+(?:groups|organi[sz]ations)|"
                      r"(?:wrote|have\s+written|had\s+written)\s+(?:jointly\s+)?to|first\s+to\s+sign)\b", re.I)  # "groups, including X, wrote to the Council"
_PAPER = r"(?:open\s+|joint\s+)?(?:letter|statement|petition|appeal|declaration|submission)"
INTRO = re.compile(
    r"\b(?:signed|endorsed|co-?signed|backed|supported)\s+(?:by\s+[a-z][^.;:]{0,120}?|(?:the|this|an?)\s+[^.;:]{0,60}?),?\s+"
    r"(?:among\s+them|including|such\s+as)\s+(?=[A-Z]|the\s+[A-Z])"
    r"|\b(?:bears|bore|carries|carried)\s+the\s+signatures\s+of\s+"
    r"|\b(?:statement|letter|appeal|declaration|petition|it)\s+(?:was|is|has\s+been|had\s+been)\s+(?:jointly\s+)?(?:issued|published)\s+by\s+"
    r"|\b(?:signed|endorsed|co-?signed|backed|supported|initiated|drafted|coordinated|organi[sz]ed|circulated|launched|sent|written)"
    r"(?:\s+(?:on|last)\s+[A-Z][a-z]+day|\s+(?:yesterday|today|last\s+week|this\s+week))?"  # "was sent on Thursday by X"
    r"\s+by\s+(?:(?:groups|organi[sz]ations|ngos|scholars|experts|"
    r"lawmakers|parliamentarians|figures|people|individuals|academics)\s+)?(?:including\s+|such\s+as\s+)?"
    rf"|\b(?:signatories|signers)(?:\s+(?:to|of)\s+(?:the|this)\s+{_PAPER})?,?\s+(?:who\s+|which\s+)?"
    r"(?:include|included|including|were|are|such\s+as)\s*:?\s+"
    r"|\b(?:groups|organi[sz]ations|ngos|signatories|signers|lawmakers|parliamentarians|scholars|experts|authors|"
    r"academics),?\s+(?:including|among\s+them|such\s+as)\s+"
    r"|\b(?:has|have)\s+(?:co-?)?signed\s+(?:an?|the)\s+[^,.]{0,80},\s+along\s+with\s+"
    r"|\b(?:those|people|groups|organi[sz]ations|individuals|the\s+\w+)\s+(?:who\s+(?:have\s+|had\s+)?(?:co-?)?signed|"
    rf"that\s+(?:have\s+|had\s+)?(?:co-?)?signed|signing)(?:\s+(?:the|this|it)(?:\s+{_PAPER})?)?\s*,?\s+"
    r"(?:were|are|was|is|include|included)\s+"
    r"|\bamong\s+(?:the\s+)?(?:other\s+)?(?:[a-z][\w-]*\s+){0,2}?(?:signatories|signers)\s+(?:were|are|is|was)\s+"  # "Among the international signatories is X"
    r"|\bsigned\s+(?:an?|the)\s+[^.;]{0,40}?\bwith\s+[^.;]{0,120}?,?\s+(?:including|among\s+them|such\s+as)\s+"
    r"|\b(?:another|a\s+fellow|one|first|lead|principal)\s+(?:signatory|signer),\s+"  # "The letter's first signatory, the historian X,"
    rf"|\b(?:co-?)?signed(?:\s+(?:the|this|it)(?:\s+{_PAPER})?)?,?\s+as\s+(?:did|have|has)\s+"  # "also signed the letter, as did X"
    rf"|\bfirst\s+name\s+on\s+the\s+(?:{_PAPER}|list)\s+is\s+(?:that\s+of\s+)?"  # "The first name on the letter is that of X"
    r"|\b(?:organi[sz]ations|groups|ngos)\s+and\s+[^,.;]{1,40}?,\s+(?:including|among\s+them|such\s+as)\s+", re.I)
AMONG_AFTER = re.compile(  # "X, Y and Z were among the signatories", "X was one of the signatories"
    r"(?:,?\s+(?:were|are|was|is)\s+(?:also\s+)?(?:among|one\s+of)|,\s+(?:two|three|four|five|six|both|all)\s+of)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,5}?(?:signatories|signers|"
    r"(?:who|that)\s+(?:have\s+|had\s+)?(?:co-?)?signed|(?:organi[sz]ations|groups|ngos)\s+behind|"
    r"[\w'’-]+\s+whose\s+(?:names?|initials|signatures?)\s+(?:appear|appears|stand|stands|are|is)\s+"
    r"(?:at\s+the\s+(?:foot|end|bottom)\s+of|on|under|below)\s+(?:the|this)\s+(?:letter|statement|petition|appeal))\b",
    re.I)  # "X is one of the five relatives whose initials appear at the foot of the letter"
_SIGNED = r"(?:(?:co-?)?signed|put\s+(?:its|their|his|her)\s+names?\s+to|added\s+(?:its|their|his|her)\s+names?\s+to)"
_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:(?:of|for|the|on|de|del|des|du|la|le|van|von|der|den|da|do|dos|das|en|y)\s+){0,3}(?:[A-Z]|(?:al|el)-[A-Z])[\w'’.-]+){1,8}"
_NAME_AND = _NAME.replace("(?:of|for|the|", "(?:of|for|the|and|")  # "X Social and Cultural Network, which ..., also signed"
_YEARS = r"\d{4}(?:[–-]\d{2,4})?"  # "of 1965–66" at the end of a name
WHO_WROTE = re.compile(  # "X, who drafted the letter", "X, which organised the statement", "X, a Dutch MP who also signed,"
    rf"(?P<who>{_NAME}),\s+(?:(?:a|an|the|former)\s[^,.;]{{0,80}}?\s)?(?:who|which)\s+(?:[^,.;]{{1,80}}?\s+and\s+)?(?:also\s+|had\s+|has\s+)?"
    rf"(?:(?:co-?)?signed(?=\s*,|\s+(?:it\b|(?:the|this)\s+{_PAPER}))|(?:helped\s+(?:to\s+)?)?(?:draft|drafted|initiate|initiated|organi[sz]e|organi[sz]ed|coordinate|coordinated|write|wrote|prepare|prepared)"
    rf"\s+(?:it\b|(?:the|this)\s+{_PAPER}))"
    rf"|(?P<said>{_NAME}),\s+[^.;\"“”]{{0,120}}?\bsaid\s+(?:that\s+)?(?:she|he|they)\s+(?:had\s+|has\s+)?(?:co-?)?signed"
    rf"(?:\s+(?:it\b|(?:the|this)\s+{_PAPER})|(?=\s+because\b|\s+(?:for|out\s+of)\s|\s*[,.:]))"  # "said he had signed because ..."
    rf"|(?P<circ>{_NAME}),\s+the\s+(?:group|organi[sz]ation|network|coalition|alliance|campaign)\s+(?:that|which)\s+"
    rf"(?:circulated|launched|initiated|drafted|organi[sz]ed|coordinated|wrote)\s+(?:it\b|(?:the|this)\s+{_PAPER})"  # "X, the group that circulated the letter"
    rf"|\bsaid\s+(?P<saidx>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){{1,3}})(?:\s+(?:of|from|at)\s+[^,;]{{1,120}})?,\s+"
    r"one\s+of\s+the\s+(?:[\w'’]+\s+)?(?:signatories|signers)\b"
    rf"|(?P<other>{_NAME}),\s+another\s+of\s+the\s+(?:[\w'’]+\s+)?(?:signatories|signers|(?:endorsing|signing|supporting)\s+(?:groups|organi[sz]ations))\b"
    rf"|(?P<alsosigned>{_NAME})\s+(?:also|too)\s+(?:co-?)?signed(?=\s*[.;]|\s+(?:it|too|as\s+well)\s*[.;])"  # "Our partners at X also signed."
    rf"|(?P<isa>{_NAME}),\s+(?:which|who|whose)\s+[^.;]{{1,160}}?,\s+(?:is|was|are|were)\s+(?:also\s+)?(?:a|an|(?:one|another)\s+of\s+the)\s+"
    r"(?:co-?)?(?:signatory|signatories|signer|signers)\b"  # "X, which has raised the case, is also a signatory"
    rf"|(?P<also>{_NAME_AND}(?:\s+of\s+{_YEARS})?),\s+(?:who|which|whose)\s+[^.;]{{1,120}}?(?:,|\s+and(?:\s+(?:who|which))?)\s+(?:also\s+|had\s+|has\s+)*"
    rf"{_SIGNED}(?:\s+(?:it\b|(?:the|this|an?)\s+{_PAPER})|(?=,\s+as\s+did\b))"  # "X, which compiled the list, also signed the letter"
    rf"|(?P<heads>{_NAME}),\s+[^.;]{{1,200}}?\bwhose\s+name\s+(?:heads|tops|opens)\s+the\s+(?:list\s+of\s+(?:signatories|signers)|{_PAPER})"
    rf"|\bwhy\s+(?:the\s+)?(?P<why>{_NAME})\s+(?:has\s+|have\s+|had\s+)?(?:co-?)?(?:signed|endorsed)\s+(?:the|this|an?)\s+{_PAPER}"  # "why X signed the joint statement"
    rf"|(?P<of>{_NAME})\s+(?:of|from|at)\s+(?:the\s+)?[^,;.]{{2,80}},\s+who\s+(?:also\s+|had\s+|has\s+)*{_SIGNED}(?=\s*,)"  # "Bishop X of the diocese of Y, who also signed, said"
    rf"|,\s+(?P<appos>{_NAME}),\s+(?:(?:a|an|the|former)\s[^,.;]{{0,120}}?,\s+)?(?:also\s+|had\s+|has\s+)*{_SIGNED}\s+(?:it\b|(?:the|this)\s+{_PAPER})"  # "The chair of the board, X, also signed the letter"
    rf"|(?:^|[.;]\s+)(?P<desc>{_NAME}),\s+(?:a|an|the|former)\s[^,.;]{{0,160}}?,\s+(?:also\s+|had\s+|has\s+)*{_SIGNED}\s+(?:it\b|(?:the|this)\s+{_PAPER})"  # "X, a retired teacher whose son ..., also signed the petition"
    rf"|{_SIGNED}\s+(?:it\b|(?:the|this)\s+{_PAPER}),?\s+(?:together|along)\s+with\s+(?:the\s+)?(?P<with>{_NAME})"  # "also signed it, together with the X Society"
    rf"|(?P<joined>{_NAME})\s+joined\s+[^.;]{{0,100}}?\bin\s+(?:an?|the)\s+{_PAPER}"  # "X joined five organisations in a joint statement"
    rf"|(?:^|[.;]\s+)(?:[Tt]he\s+)?(?P<first>{_NAME}),\s+(?:which|who|whose)\s+[^.;]{{1,120}}?,\s+(?:was|were)\s+(?:among\s+the|one\s+of\s+the|the)\s+first\s+to\s+(?:sign|endorse)\b")  # "X, which ..., was among the first to sign"  # "Bishop X of the diocese of Y, who also signed, said"
SIGNED_AFTER = re.compile(r"(?:^|[.;]\s+|,\s+)(?P<who>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}),\s+[^,]{0,120}?\b(?:who|which)\s+"
                          r"(?:also\s+|had\s+|has\s+)?(?:co-?)?signed\s+(?:the|this)\s+(?:open\s+|joint\s+)?(?:letter|statement|petition)"
                          r"|(?P<who2>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}),\s+(?:who|which)\s+[^,.;]{1,100},\s+"
                          r"(?:also\s+|had\s+|has\s+)?(?:co-?)?signed\s+(?:the|this|an?)\s+(?:open\s+|joint\s+)?(?:letter|statement|petition)"
                          r"|(?P<one>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,4}),\s+(?:(?:a|an|the|who|former)\s[^,.;]{0,120}?\b(?:and\s+|also\s+)?)?"
                          r"(?:one\s+of\s+the\s+(?:[\w'’]+\s+){0,3}?(?:signatories|signers|(?:co-?)?authors|initiators|organi[sz]ers)|(?:a|another|also\s+a)\s+(?:co-?)?signatory)\b"
                          r"|(?P<others>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}),?\s+and\s+(?:\w+|\d+)\s+(?:other|further|fellow)\s+"
                          r"(?:co-?)?(?:signatories|signers)\b")  # "X, and four other signatories, among them Y, asked"
SENT_PAPER = re.compile(rf"(?:^|,\s+)(?:the\s+)?(?P<who>{_NAME})\s+(?:has|have|had)\s+(?:jointly\s+)?(?:sent|submitted|delivered)\s+"
                        rf"(?:an?|the)\s+(?:[\w-]+\s+){{0,3}}?{_PAPER}\s+to\b")  # "..., the X Clinic has sent a joint submission to"
SIGNED_PAPER = re.compile(rf"(?:^|,\s+)(?:the\s+)?(?!(?i:yesterday|today|on|in|at|after|before|last|this|since|during|earlier|when|while|but|"
                          rf"and|also|meanwhile|however)\b)(?P<who>{_NAME})\s+(?:(?:has|have|had)\s+)?(?:also\s+)?{_SIGNED}\s+"
                          rf"(?:an?|the)\s+(?:[\w-]+\s+){{0,2}}?{_PAPER}\b")  # "Yesterday, on ..., the X Observatory put its name to a joint statement"
TOGETHER = re.compile(rf"\b(?:prepared|wrote|drafted|signed|sent|submitted)\s+(?:the|this|a|an|our)\s+(?:[\w-]+\s+){{0,3}}?{_PAPER}"
                      r"\s+(?:together|jointly)\s+with\s+")  # "We prepared the submission together with the X, ..., and with the Y"
WITH_NAME = re.compile(rf"(?:^|\band\s+with\s+)(?:the\s+)?(?P<who>{_NAME})")
AMONG_THEM = re.compile(r"^Among\s+(?:them|those|the\s+signatories|the\s+signers|"
                        r"the\s+(?:other\s+)?(?:groups|organi[sz]ations|ngos|individuals|people)\s+(?:behind\s+it|"
                        r"(?:that|who|which)\s+(?:also\s+)?(?:co-?)?signed(?:\s+it)?))\s+(?:is|are|was|were)\s+")  # after "signed by 46 relatives."

IT_WAS = re.compile(r"^It\s+was\s+(?:also\s+)?(?:initiated|drafted|coordinated|organi[sz]ed|circulated|launched|sent|written)\s+by\s")
SIGNED_BY = re.compile(r"\b(?:co-?)?signed\s+by\b", re.I)
OFFICE_NAME = re.compile(r"\b(?:its|their|the\s+(?:[A-Z][^,;]{1,80}?|[a-z]+)['’]s)\s+(?:[a-z-]+\s+)?(?P<role>[a-z-]+)"
                         r"(?:\s+(?:of|for)(?:\s+[a-z][\w-]*){1,2})?,\s+"  # "the centre's head of litigation, X"
                         r"(?P<who>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})(?=,|\s+and\b|\.)")
JOINED = re.compile(r"(?:^|,\s+)(?P<list>[A-Z][^,;]{3,200}?),\s+(?:joined|backed|supported)\s+by\s+[^,;]{2,80},\s+"
                    r"(?:asked|urged|wrote|called|demanded|told|pressed|requested)\b")  # "A and B, joined by three colleagues, asked"
SIGNED_FIRST = re.compile(r"^(?:(?:Yesterday|Today|Last\s+week|This\s+week|On\s+[A-Z]\w+day),?\s+)?(?:Both\s+)?"
                          r"(?P<who>(?:The\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|for|and|the|on))*)\s+"
                          r"(?:(?:has|have)\s+)?(?:also\s+)?(?:(?:co-?)?signed|endorsed)\s+(?:an?|the)\s+(?:open\s+|joint\s+)?(?:letter|statement|petition)")
SCENE_SETTING = {"on", "in", "at", "after", "before", "last", "this", "since", "during", "earlier", "yesterday", "today",
                 "when", "while", "but", "and", "also", "meanwhile", "however"}  # words that open a clause, not a name
APPOSITION = {"a", "an", "who", "which", "whose", "one", "now", "then", "formerly", "herself", "himself"}
CONNECTORS = {"of", "for", "and", "the", "on", "de", "du", "des", "la", "le", "in", "to", "&", "against",
              "del", "della", "da", "do", "dos", "das", "van", "von", "der", "den", "y", "et", "en", "pour", "sur", "les", "aux", "au"}
ORG_APPOSITION = re.compile(r",\s+(?:which\b|(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:association|group|organi[sz]ation|network|coalition|"
                            r"charity|ngo|union|collective|movement|alliance|foundation|society|forum|centre|center|institute|"
                            r"platform|committee)\b)")  # "Persatuan Hak Lembah, an association that ...": not a person's name
AGE = re.compile(r",\s+\d{1,3},")  # "Jane Doe, 84, who ...": a person's age after the name
ELIDED = re.compile(r"^(?:[ldLD]['’]|(?:al|el|as|ash|ad|ar|at|az|ibn|bin|abu)-)[A-ZÀ-Þ]")  # "l'Homme", "d'Ivoire" inside a name  # "Red de ... del Pacífico", "Jan van der Berg"
EXTRA_ROLES = {"lawmaker", "legislator", "politician", "campaigner", "rights", "group", "groups", "the", "a", "an",
               "charity", "organisation", "organization", "ngo", "scholar", "expert", "writer", "actor", "laureate",
               "prize", "prize-winning", "award-winning", "veteran", "prominent", "renowned", "leading", "exiled",
               "retired", "opposition", "actress", "singer", "musician", "human", "civil", "society", "figure",
               "figures", "activists", "lawyers", "scholars", "experts", "academics", "novelist", "peace"}


def reported_signers(text: str, body: Span) -> list[Signature]:
    """The signers a report names, in text order, each once."""
    found: list[Signature] = []
    seen: set[str] = set()
    about = False
    writer = _unnamed_writer(text, body)
    for sentence in sentences(text, body.start, body.end):
        sentence = replace(sentence, text=OWN_SCRIPT.sub(_comma_first, sentence.text).replace("**", "  "))  # bold marks as spaces
        about, before = bool(DOCUMENT.search(sentence.text)), about
        if not about and not (before and (IT_WAS.match(sentence.text) or AMONG_THEM.match(sentence.text))):  # "The statement was signed by eight groups. It was initiated by X"
            continue
        named = list(_names(text, sentence.start, sentence.text))
        for name, span in named:
            if any(o.start <= span.start and span.end <= o.end and o != span for _, o in named):
                continue  # "Cultural Development Network" inside "X Social and Cultural Development Network"
            if name.lower() not in seen:
                seen.add(name.lower())
                kind = "person" if (looks_like_person_name(name) or AGE.match(text, span.end)) \
                    and not ORG_APPOSITION.match(text, span.end) else "organization"
                found.append(Signature(len(found) + 1, name, kind, span, span))
        for name, span, kind in _bulleted(text, sentence.end, body.end) if INTRO.search(sentence.text.rstrip().rstrip(":") + " X") \
                and sentence.text.rstrip().endswith(":") else []:
            if name.lower() not in seen:  # "its signatories include:" over a bulleted list
                seen.add(name.lower())
                found.append(Signature(len(found) + 1, name, kind, span, span))
        for name, span in writer:
            if sentence.start <= span.start < sentence.end and found and name.lower() not in seen:
                seen.add(name.lower())  # the writer is named where a signer of the letter is
                found.append(Signature(len(found) + 1, name, "organization", span, span))
    return found


OWN_SCRIPT = re.compile(r"\s\([^\x00-\u024f()]{1,12}\)(,?)")  # "Jane Roe (王丽), who ...": her name in its own script


def _comma_first(m: re.Match) -> str:
    """"Xu Li (许丽), whose" read as "Xu Li,       whose": the same length, so offsets hold."""
    return m.group(1).ljust(len(m.group()))


UNNAMED_WRITER = re.compile(r"\b(?:A|An)\s+(?:[a-z][\w-]*\s+){0,3}?(?P<noun>centre|center|group|network|coalition|organi[sz]ation|charity|"
                            r"trust|union|association|forum|clinic|foundation|institute|committee|alliance|collective)\b[^.;]{0,200}?"
                            r"\b(?:has|have)\s+(?:written|sent\s+(?:an?\s+)?(?:open\s+)?letter)\s+to\b")


def _unnamed_writer(text: str, body: Span) -> list[tuple[str, Span]]:
    """"A legal centre that represents the families has written to the Minister", then "...,
    director of the X Justice Centre": the centre the report has not yet named is X."""
    m = UNNAMED_WRITER.search(text, body.start, body.end)
    if not m:
        return []
    noun = m.group("noun").capitalize()
    named = re.compile(rf"\b(?:of|from|at)\s+the\s+(?P<org>(?:[A-Z][\w'’-]*\s+){{1,5}}{noun})\b")
    later = named.search(text, m.end(), min(body.end, m.end() + 1500))
    return [(squash(later.group("org")), Span(later.start("org"), later.end("org")))] if later else []


def _names(text: str, start: int, sentence: str):
    if SIGNED_BY.search(sentence):  # "signed by ... the Example Forum's chairperson, Jane Doe, and by ..."
        for m in OFFICE_NAME.finditer(sentence):
            if bare_token(m.group("role")) in ROLE_WORDS:
                yield from _located(text, start + m.start("who"), m.group("who"), [m.group("who")])
    joined = JOINED.search(sentence)
    if joined:
        listed = re.sub(r"\s*\([^()]{1,40}\)", lambda m: " " * len(m.group()), joined.group("list"))
        yield from _located(text, start + joined.start("list"), joined.group("list"), split_list(listed))
    first = SIGNED_FIRST.match(sentence)
    if first:
        yield from _located(text, start, sentence, re.split(r"\s+and\s+(?=the\s+[A-Z])", first.group("who")))  # "Both the A and the B endorsed"
    for sent in [*SENT_PAPER.finditer(sentence), *SIGNED_PAPER.finditer(sentence)]:
        yield from _located(text, start, sentence, [sent.group("who")])
    together = TOGETHER.search(sentence)
    if together:
        rest = sentence[together.end():]
        for m in WITH_NAME.finditer(rest):
            yield from _located(text, start + together.end(), rest, [m.group("who")])
    for wrote in WHO_WROTE.finditer(sentence):
        yield from _located(text, start, sentence, [wrote.group("who") or wrote.group("other") or wrote.group("also")
                                                  or wrote.group("said") or wrote.group("circ") or wrote.group("saidx")
                                                  or wrote.group("of") or wrote.group("why") or wrote.group("appos")
                                                  or wrote.group("desc") or wrote.group("with") or wrote.group("joined")
                                                  or wrote.group("first") or wrote.group("isa") or wrote.group("alsosigned")
                                                  or wrote.group("heads")])
    said_of = [(m.end("saidx"), m.end()) for m in WHO_WROTE.finditer(sentence) if m.group("saidx")]
    for after in SIGNED_AFTER.finditer(sentence):  # "Sara Ahmed, a lecturer who signed the letter, said"
        if after.group("one") and any(a <= after.start("one") < b for a, b in said_of):
            continue  # "said X of the Y Institute, one of the signatories": the institute is X's, X signed
        yield from _located(text, start, sentence, [after.group("who") or after.group("who2") or after.group("one") or after.group("others")])
    among = AMONG_AFTER.search(sentence)
    if among:
        items = [i for i in split_list(sentence[:among.start()])
                 if bare_token(i.split()[0]) not in SCENE_SETTING | APPOSITION]  # not "who heads Example Watch"
        yield from _located(text, start, sentence, items)
    for m in [*AMONG_THEM.finditer(sentence), *INTRO.finditer(sentence)]:
        region = _list_region(sentence[m.end():])
        aged = AGE.match(sentence, m.end() + len(region))
        if aged and re.fullmatch(r"[A-Z][\w'’-]+", region):  # "Among those who signed it is Sumarni, 84, ...": one name
            yield region, Span(start + m.end(), start + m.end() + len(region))
            continue
        region = re.sub(r"\s*\([^()]{1,80}\)", lambda p: " " * len(p.group()), region)  # "X (its name in Indonesian)"
        yield from _located(text, start + m.end(), sentence[m.end():], split_list(region))


BULLET = re.compile(r"[ \t]*[-*•–][ \t]+(?P<the>the\s+)?(?P<name>[A-Z][^,;:\n]{2,100}?)\s*(?=[,;:.\n]|$)")


def _bulleted(text: str, start: int, end: int) -> list[tuple[str, Span, str]]:
    """"its signatories include:" over a bulleted list, "- the X Network, based in Y, which ...":
    the name that opens each item (continuation lines, indented deeper, are passed over), an
    organisation's when "the" comes before it or it ends in a word such as "Network"."""
    eol = re.compile(r"[ \t]*\n").match(text, start, end)  # the introduction ends its line
    found, at = [], eol.end() if eol else 0
    while 0 < at < end and len(found) < 200:
        line_end = text.find("\n", at, end)
        line_end = end if line_end < 0 else line_end
        item = BULLET.match(text, at, line_end)
        if item:
            name = squash(item.group("name"))
            person = looks_like_person_name(name) and not item.group("the") and not has_org_head(name)
            found.append((name, Span(item.start("name"), item.end("name")), "person" if person else "organization"))
        elif text[at:line_end].strip() and not (found and text[at:at + 1] in " \t"):
            break
        at = line_end + 1
    return found


def _list_region(after: str) -> str:
    """The names after an introduction: up to a comma or word that starts the rest of the
    sentence ("..., asked the Council", "... calls on").  A description after a name ("X, a
    law professor in Y, and Z") is passed over."""
    tokens = re.findall(r"\S+", after)
    lead = re.match(r"(?:the|a|an)\s+(?:[a-z][\w-]*\s+){1,2}(?=[A-Z])", after)  # "the anaesthetist Jane Roe"
    k = len(lead.group().split()) if lead else 0
    out: list[str] = tokens[:k]
    while k < len(tokens):
        token = tokens[k]
        word = bare_token(token)
        described = _described_name(tokens, k) if out and word in {"the", "a", "an"} else 0
        if described:  # "X and the diaspora network Y": the words that say what Y is, then Y
            out.extend(tokens[k:k + described])
            k += described
            continue
        if out and word in {"together", "along", "jointly"} and k + 1 < len(tokens) and tokens[k + 1] == "with" \
                and not out[-1].endswith((",", ";", ".")):
            out.append("and")  # "coordinated by X together with the Y": both
            k += 2
            continue
        if token[:1].isdigit() and not _number_in_name(out, tokens[k:k + 3]) or token[:1].islower() and not ELIDED.match(token) \
                and word not in CONNECTORS | ROLE_WORDS | EXTRA_ROLES and not (word == "with" and out and out[-1].endswith(",")):
            break
        out.append(token)
        k += 1
        if token.endswith((",", ";", ".", ":")) and not _continues_list(tokens[k:k + 2]):
            skip = _apposition(tokens, k) if token.endswith(",") else None
            if skip is None:
                break
            k = skip
    while out and bare_token(out[-1]) in CONNECTORS:
        out.pop()
    return " ".join(out).rstrip(",;.:")


def _described_name(tokens: list[str], k: int) -> int:
    """"the diaspora network Y" inside a list: how many tokens (article and one or two words in
    lower case) come before the capitalised name; 0 when no name follows."""
    for n in (2, 3):
        if k + n < len(tokens) and all(t[:1].islower() and bare_token(t) not in CONNECTORS for t in tokens[k + 1:k + n]) \
                and tokens[k + n][:1].isupper() and not any(t.endswith((",", ".", ";")) for t in tokens[k:k + n]):
            return n
    return 0


def _number_in_name(out: list[str], ahead: list[str]) -> bool:
    """A day inside a name ("Circle of 27 de Maio", "Movement of 4 August"): a number after a
    capitalised word, a connector or a capitalised word after it, a capitalised word to end."""
    if not out or not out[-1][:1].isupper() and bare_token(out[-1]) not in CONNECTORS or out[-1].endswith((",", ";", ".")):
        return False
    if not re.fullmatch(r"\d{1,2}", ahead[0]) or len(ahead) < 2:
        return False
    nxt = ahead[1:]
    return nxt[0][:1].isupper() or bare_token(nxt[0]) in CONNECTORS and len(nxt) > 1 and nxt[1][:1].isupper()


def _apposition(tokens: list[str], k: int) -> int | None:
    """Where the list goes on after a description that starts at ``tokens[k]`` ("a lecturer
    at X,"), when a further name follows it (", and Y" or ", Y"); else None."""
    if k >= len(tokens) or bare_token(tokens[k]) not in APPOSITION | ROLE_WORDS:
        return None
    for j in range(k, min(len(tokens), k + 20)):
        if tokens[j].endswith((".", ";", ":")):
            return None
        if tokens[j].endswith(",") and j + 1 < len(tokens):
            nxt = j + 2 if tokens[j + 1] == "and" else j + 1
            if nxt + 1 < len(tokens) and tokens[nxt] == "the" and tokens[nxt + 1][:1].isupper():
                nxt += 1  # "X, which brings together Y, and the Z"
            if nxt < len(tokens) and tokens[nxt][:1].isupper() and (nxt == j + 2 or _name_follows(tokens, nxt)):
                return nxt
    return None


def _name_follows(tokens: list[str], k: int) -> bool:
    """Two capitalised words (a name) and not one (a town: "..., Nairobi, and Y")."""
    return k + 1 < len(tokens) and tokens[k + 1][:1].isupper() and not tokens[k].endswith(",")


def _continues_list(rest: list[str]) -> bool:
    """A comma inside a list ("A, B and C", "A, the B") rather than after it ("A and B, asked
    ...", "A and B, the groups said")."""
    if not rest:
        return False
    if rest[0] == "the":
        return len(rest) > 1 and rest[1][:1].isupper()
    if rest[0] == "with":  # "drafted by X, with the Y, and ...": Y drafted it too
        return len(rest) > 1 and (rest[1] == "the" or rest[1][:1].isupper())
    return rest[0][:1].isupper() or rest[0] == "and"


def _located(text: str, offset: int, within: str, items: list[str]):
    cursor = 0
    for item in items:
        name = _proper_name(item)
        if not name:
            continue
        found = re.compile(r"\s+".join(map(re.escape, name.split()))).search(within, cursor)  # a name wrapped over two lines
        if not found:
            continue
        cursor = found.end()
        yield name, Span(offset + found.start(), offset + found.end())


def _proper_name(item: str) -> str | None:
    """The capitalised name at the end of an item, descriptors before it left out:
    "French senator Marie Dupont" -> "Marie Dupont"; "the U.S.-based X Project" -> "X Project"."""
    tokens = item.split()
    years = tokens[-2:] if len(tokens) > 2 and tokens[-2] == "of" and re.fullmatch(_YEARS, tokens[-1]) else []
    tokens = tokens[:len(tokens) - len(years)]  # "Foundation for the Study of Victims of 1965–66"
    run: list[str] = []
    for k in range(len(tokens) - 1, -1, -1):
        token = tokens[k]
        inner_the = token.lower() == "the" and k > 0 and bare_token(tokens[k - 1]) in {"of", "for", "on", "against"}
        if (token[:1].isupper() or ELIDED.match(token)) and not token.lower().endswith(("-based", "-born", "-led", "-registered")):
            run.insert(0, token)
        elif (bare_token(token) in CONNECTORS - {"the"} or inner_the) and run:
            run.insert(0, token)  # "Association of Widows of the Genocide"
        elif re.fullmatch(r"\d{1,2}", token) and run and k > 0 and tokens[k - 1][:1].isupper():
            run.insert(0, token)  # "Circle of Memory 27 de Maio": a day in the name
        else:
            break
    while run and bare_token(run[0]) in CONNECTORS:
        run.pop(0)
    titled = [k for k, t in enumerate(run[:-1]) if bare_token(t) in HONORIFICS | POST_TITLES | {"mp", "senator", "dr", "prof", "professor"}]
    if titled and looks_like_person_name(" ".join(run[titled[-1] + 1:])):
        run = run[titled[-1] + 1:]  # "Swedish MP Jonas Lindqvist", "Paramount Chief Jane Doe"
    run = _after_office(run)
    name = " ".join(run + years if run else [])
    person = re.match(r"^(?P<who>.+?)\s+(?:of|from|at)\s+(?:the\s+)?[A-Z]", name)
    if person and looks_like_person_name(split_title(person.group("who"))[1]):
        name = person.group("who")  # "Dr. Meron Tadesse of Mekelle General Hospital"
    seat = re.match(r"^(?P<org>.+\s(?P<head>[\w'’-]+))\s+in\s+(?P<town>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)$", name)
    if seat and is_place(seat.group("town")) and (bare_token(seat.group("head")) in ORG_HEADS
                                                  or any(bare_token(w) in ORG_HEADS for w in seat.group("org").split()[:3])
                                                  and not is_country(seat.group("town"))):
        name = seat.group("org")  # "the X Monitor in Aktau", "the X Centre for Accountability in Beirut": the town where it is
    inner = name[:len(name) - len(" ".join(years))]
    if not name or any(ch.isdigit() for ch in inner) and not re.search(r"[A-Za-z]\S*\s+\d{1,2}\s+(?:\S+\s+)?[A-Z]", inner):
        return None  # a day inside a name ("Circle of 27 de Maio") is part of it
    _, core, _ = split_title(name)
    return core if len(core.split()) >= 2 or core.isupper() else None


def _after_office(run: list[str]) -> list[str]:
    """"Senior Advocate of Nigeria Jane Roe", "Lawyer Jane Mary Roe": an office, then the person who holds it."""
    for n in (3, 2):
        head, tail = run[:-n], run[-n:]
        if head and (len(head) >= 2 or bare_token(tail[0]) not in ROLE_WORDS) and any(bare_token(t) in ROLE_WORDS for t in head) \
                and looks_like_person_name(" ".join(tail)) and not any(is_country(t) for t in tail):
            return tail
    return run


def with_reported_signers(x: Extraction) -> Extraction:
    """A report or web page with its reported signers filled in (a letter names its own)."""
    if x.doc_type == "letter" or x.reported_signers or x.body is None:
        return x
    found = reported_signers(x.doc.text, x.body)
    if x.title and x.title.span.end <= x.body.start:  # a headline naming a signer: "Why X signed the joint statement"
        named = {s.name.lower() for s in found}
        headed = [s for s in reported_signers(x.doc.text, x.title.span) if s.name.lower() not in named]
        found = [replace(s, position=k) for k, s in enumerate(headed + found, start=1)]
    return replace(x, reported_signers=tuple(found)) if found else x
