"""Signature blocks: who signed, in which order, as organisation or person, with affiliations.

Consumes the document text and its structure (the closing line); creates
:class:`kg.records.Signature` records.  The layouts read: one signer per line (numbered,
bulleted or plain); "Name, Title, Institution", "Name – Title", "Name (Title, Institution)";
"Title Name, Country" and "Name MP, Country"; "Organisation (Country)"; a single signer with
name, office and institution on separate lines; signers in one comma-separated paragraph
("The governments of A, B and C", "A, B and Centre for Land, Peace and Rights", persons'
names in one run); group labels ("Organisations", "Individuals"); a Markdown table (a number
column aside); "SURNAME, Given" and "DUPONT Marie"; "Name, on behalf of X" and "On behalf of X"
above a name; two people signing together ("A and B, Co-chairs, X"); a name over its
institution with no office; two signers set side by side in two columns and read back row
by row; "/s/" marks.  Towns and countries after an institution ("X, Nairobi, Kenya", "X
(Kenya/Uganda)") are not names.  Lines wrapped by a PDF are joined back; footnote URLs, page
numbers, page furniture, photo captions, e-mail addresses and telephone numbers are skipped;
a "cc", contact or notes section ends the block.

>>> text = "Yours sincerely,\\nAegis Trust\\n\\nJane Q. Doe, Professor of Law, Example University\\n"
>>> [(s.name, s.kind) for s in signatures(text, closing_line=0)]
[('Aegis Trust', 'organization'), ('Jane Q. Doe', 'person')]
>>> [(s.name, s.country) for s in signatures("Signed:\\nSenator Marie Dupont, France\\nJo Bloggs MP, Latvia", 0)]
[('Marie Dupont', 'France'), ('Jo Bloggs', 'Latvia')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..records import Affiliation, Span, Signature
from .dates import find_dates
from .furniture import bare, is_furniture_line
from .names import (DANGLING, OFFICES, ORG_WORDS, POST_TITLES, ROLE_WORDS, bare_token, has_honorific,  # noqa: F401
                    has_org_head, is_caption, is_country, is_place, is_role, looks_like_person_name, personish,
                    split_list, split_title)
from .columns import rows_of_two, side_by_side
from .organisations import find_span, located, name_span, named_items, names_parent, organization, without_town
from .structure import CLOSING, COVER_SUBMITTERS, INLINE_CLOSING, SIGNED_BY, SUBMITTED
from .text import Line, lines, squash

MARKER = re.compile(r"^\s*(?:[-*+•·▪◦–]\s+|\(?\d{1,3}[.)]\s+|\(?[a-z]\)\s+)")
GROUP_LABEL = re.compile(  # "Individuals", "Regional organisations", "Organisations based in Kenya or in exile"
    r"^(?:the\s+)?(?:signing\s+|endorsing\s+|supporting\s+)?(?:(?:other|member|partner|grassroots|diaspora|"
    r"faith-based|community|[A-Za-z]+(?:al|an|ese|ic|ish))\s+){0,2}(?P<group>organi[sz]ations?|institutions?|ngos|groups|"
    r"civil\s+society(?:\s+organi[sz]ations)?|governments|states|individuals?|persons|people|experts|scholars|"
    r"academics|parliamentarians|members\s+of\s+(?:parliament|the\s+(?:house|senate|legislative|national|european|"
    r"congress|assembly|chamber|parliament)(?:\s+[\w-]+){0,3})|legislators|faith\s+leaders|survivors|supporters)"
    r"(?:\s+signatories|\s+signers|\s+endorsements)?(?:\s+(?:based|working|active|registered)\s+(?:in|outside)\s+[^,.;:]{2,60})?"
    r"(?:\s*\([^)]*\))?\s*:?$", re.I)
LABELLED_LIST = re.compile(r"^\s*(?P<label>[A-Z][\w ]{2,40}?)\s*:\s+(?P<rest>[A-Z].{3,})$")
REGION_LABEL = re.compile(r"^(?:regional|international|global|national|local|diaspora|in\s+exile|other\s+countries)"
                          r"(?:\s*(?:,|and|&|/)\s*(?:regional|international|global|national|local|diaspora|in\s+exile))?\s*:?$", re.I)
PERSON_GROUPS = re.compile(r"^(individ|person|people|expert|scholar|academic|parliament|members|legislat|faith|surviv|supporters)", re.I)
PERSON_START = re.compile(r"^(?P<name>[^,()–—|]{3,60}?)\s*(?:,|\s[–—-]\s|\|)\s*(?P<rest>\S.*)$", re.S)
PAREN_PERSON = re.compile(r"^(?P<name>[^,()]{3,60}?)\s*\((?P<rest>[^)]{3,})\)\s*$")
END_OF_BLOCK = re.compile(r"^\s*(cc|c\.c\.|bcc|copy\s+to|copies\s+to|contact|contacts|media\s+contact|for\s+more\s+information|"
                          r"press\s+contact|(?:for\s+)?(?:media|press)\s+(?:enquiries|inquiries|contacts?)|for\s+(?:further|more)\s+information|"
                          r"copied\s+to|cop(?:y|ies)\s+(?:forwarded|for\s+(?:kind\s+)?information)|copy:|distribution|enclosures?|enclosed|annex(?:es)?|attachments?|attached|p\.s\.|notes?|endnotes|footnotes?|references|"
                          r"sources|about\s+(us|the)|background|further\s+information|-?\s*ends\s*-?$)\b"
                          r"|^\s*about\s+\w[^:]{1,60}:"  # "About Example Watch: ..."
                          r"|^\s*c\.\s?c\.(?=\s|:|$)"  # "c.c. The Registrar, X"
                          r"|^\s*secretariat\s*:"  # "Secretariat: X Group, c/o Y"
                          r"|^\W*(?:enquiries|inquiries|queries)\s*:"  # "*Enquiries: office@x.org*"
                          r"|^\s*[A-Z]{2,6}\s*[:=]\s+[a-z]"  # "LTI: left thumb impression, attested by ...": a key to the marks
                          r"|\b(?:identified|attested|witnessed|verified|certified)\s+(?:and\s+\w+\s+)?by\s*:?\s*$"
                          r"|^\s*(?:coordination|coordinated\s+by|coordinators?)\s*:"  # "Coordination: X and Y", who ran it
                          r"|^\W*(?:copy|copies|media|press|encls?|enc)\W*[.:]"  # "Copy: X", "**Media:** X", "Encl. (3)"
                          r"|^\s*(?:and\s+)?\d+\s+(?:further|other|more)\s+(?:members|signatories|signers|organi[sz]ations|individuals|names)\b",
                          re.I)  # "and 25 further Members, whose names are listed overleaf"
TABLE_HEADS = {"name", "names", "affiliation", "affiliations", "organisation", "organization", "institution",
               "country", "title", "position", "role", "capacity", "designation", "signatory", "signatories", "signature", "city", "#", "no", "no.",
               "based in", "based", "location", "town", "place", "region", "headquarters", "website", "type", "sector"}
CONTACT_HEADS = {"orcid", "orcid id", "e-mail", "email", "contact", "phone", "telephone", "web", "url"}
ORCID = re.compile(r"^(?:orcid(?:\s+id|\s+iD)?\s*:?\s*)?(?:https?://orcid\.org/)?\d{4}-\d{4}-\d{4}-\d{3}[\dX]$", re.I)
SURNAME_FIRST = re.compile(r"^(?P<sur>[A-Z][A-Z'’-]+(?:\s+[A-Z][A-Z'’-]+){0,2}),\s+(?P<given>[A-Z][a-zà-ÿ][\w'’.-]*"
                           r"(?:\s+[A-Z][\w'’.-]*){0,2}?)(?:\s*,\s*(?P<rest>.+))?$")
BEHALF_LINE = re.compile(r"^(?:(?:for\s+and\s+)?on\s+behalf\s+of|(?-i:For))\s+(?:the\s+)?(?P<org>(?-i:[A-Z]).{2,120}?)\s*[,:.]?$", re.I)  # "For the X Monitor"
BEHALF = re.compile(r"^(?P<name>[^,(]{3,60}?)(?:\s*[,(]\s*|\s+)(?:(?:for\s+and\s+)?on\s+behalf\s+of|for(?=\s+the\s+(?-i:[A-Z])))\s+(?:the\s+)?(?P<org>[^()]{3,}?)\)?$",
                    re.I)
MORE_SIGNERS = re.compile(r"(?:and|also|as\s+well\s+as)(?:\s+(?:also\s+)?(?:signed|endorsed|supported))?\s+by"
                          r"(?:\s+the\s+following[\w\s]{0,40})?\s*:?", re.I)  # "And by:", "Also signed by the following:"
MEMBERS_OF = re.compile(r"^\s*(?:and\s+)?(?:all\s+)?the\s+(?:women|men|members|families|mothers|survivors|staff|volunteers)\s+of\s+"
                        r"(?:the\s+)?(?:\*\*|__)?(?P<org>[A-Z][^*_\n]{2,120}?)(?:\*\*|__)?\s*\.?\s*$")
FOR_THE_BOARD = re.compile(r"(?i:for|on\s+behalf\s+of)\s+(?i:the|our)\s+[a-z][a-z -]{1,40}?\s*[,:]?")  # not "For the X Network"
FOR_ALL_OF_US = re.compile(r"(?:for\s+and\s+)?on\s+behalf\s+of\s+the\s+(?:petitioners|applicants|complainants|claimants|"
                           r"families|undersigned|signatories|authors)\s*[,:]?", re.I)  # "FOR AND ON BEHALF OF THE PETITIONERS:"
DONE_AT = re.compile(r"^(?:done|signed|made|given)\s+(?:at|in)\s+[A-Z][^,]{1,40},?\s+(?:on\s+|this\s+)?\d", re.I)
POSTAL = re.compile(r"^\d{1,5}[a-z]?,?\s+(?:[A-Z][\w.'-]*\s+){0,3}(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Square|"
                    r"Place|Boulevard|Blvd\.?|Way|Drive|Strasse|Straße|Rue|Plaza|Quay)\b|^P\.?\s?O\.?\s+Box\b|"
                    r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?$|^\d{4,5}\s+[A-Z][a-z]+", re.I)
CONTACT_LINE = re.compile(r"^(?:(?:e-?mail|tel|telephone|phone|mobile|fax|t|e|m)\s*[:.]\s*)?"
                          r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?\d[\d\s().-]{6,}\d)$", re.I)
ASK_US = re.compile(r"\b(?:please\s+contact|for\s+(?:enquiries|inquiries|questions)|contact\s+us)\b", re.I)
URL_LINE = re.compile(r"^\s*(https?://|www\.)\S+\s*$")
IN_BODY = re.compile(
    r"\b(?:this\s+(?:joint\s+)?(?:statement|letter)|I|we)\b[^.]{0,80}?\b(?:on\s+behalf\s+of|by)\s+(?:the\s+)?"
    r"(?:following\s+)?(?:governments|delegations|states|countries|member\s+states)(?:\s+of)?\s*:?\s+"
    r"(?P<list>[A-Z][^.:;]{2,800}?)(?=\s*[.:;]|\s+(?:and\s+)?(?:I|we)\s)", re.S)


@dataclass
class _Entry:
    lines: list[Line]
    group: str | None = None  # "person" or "organization" from a group label above it
    stacked: bool = False  # name, office and institution on lines of their own
    behalf: str | None = None  # "On behalf of X" on the line above: the organisation a person signs for
    opens_paragraph: bool = True
    run: bool = False  # "Signatories: A, B," on a line of its own: its paragraph's lines carry the list on

    @property
    def span(self) -> Span:
        return Span(self.lines[0].span.start, self.lines[-1].span.end)


def signatures(text: str, closing_line: int | None, *, columns: bool = False) -> list[Signature]:
    """The signatures listed after the closing line, in order; without one, the governments
    a statement says it is made on behalf of.  With ``columns`` (a PDF's text layer, where
    two columns of names come out as one row), rows of two names each are cut in two."""
    if closing_line is None:
        return _listed_in_body(text)
    found: list[Signature] = []
    all_lines = lines(text)
    before, table, after = _columns_in_turn(all_lines[closing_line + 1:])
    entries = _entries(before) + table + (_entries(after) if table else [])
    for entry in _inline(all_lines[closing_line]) + rows_of_two(entries, gutter_only=not columns):
        found.extend(_signatures_of(text, entry, len(found) + 1))
    return _settle_kinds(found) if found else _submitted_by(text)  # nothing under the sign-off: "Submitted by X" at the head


def _columns_in_turn(block: list[Line]) -> tuple[list[Line], list[_Entry], list[Line]]:
    """A table whose columns a PDF gives back one after the other, "NAME" over the names, then
    "CAPACITY" over as many capacities: the lines before it, each name with its capacity as one
    signer, and the lines after it.  Without such a table, the block and nothing else."""
    texts = [_flat(l.text).lower() for l in block[:400]]
    for i, head in enumerate(texts):
        if head not in {"name", "names"}:
            continue
        names = _run_of_lines(texts, i + 1)
        second = i + 1 + len(names)
        while second < len(texts) and not texts[second]:
            second += 1
        if second >= len(texts) or texts[second] not in TABLE_HEADS or len(names) < 2:
            break
        details = _run_of_lines(texts, second + 1)
        if len(details) != len(names):
            break
        table = [_Entry([block[i + 1 + k], block[second + 1 + k]], stacked=True) for k in range(len(names))]
        return block[:i], table, block[second + 1 + len(details):]
    return block, [], []


def _run_of_lines(texts: list[str], start: int) -> list[str]:
    """The non-blank lines from ``start`` to the next blank one."""
    run = []
    for text in texts[start:]:
        if not text:
            break
        run.append(text)
    return run


def _inline(closing: Line) -> list[_Entry]:
    """Signers on the closing line itself: "Signatories: A, B and C."."""
    m = INLINE_CLOSING.match(closing.text)
    if not m:
        return []
    return [_Entry([Line(closing.start + m.start("rest"), closing.end, m.group("rest"))])]


PAGE_NUMBER = re.compile(r"[-–—(\[]?\s*\d{1,3}\s*[-–—)\]]?|page \d+( of \d+)?", re.I)
SIGNED_NOTE = re.compile(r"\((?:signed|sd\.?|lti|rti|thumb\s+impression|seal)\)", re.I)
SD = re.compile(r"sd\s*/-|\(sd\s*/-\)", re.I)
SIGNATURE_PLACE = re.compile(r"\[?(?:signature|signed|sgd\.?)\]?", re.I)
BRACKETS = re.compile(r"\([^)]*\)")


def _entries(block: list[Line]) -> list[_Entry]:
    entries: list[_Entry] = []
    blank_before, group, addressed = True, None, False
    for line in block:
        text = _flat(line.text)
        if not text:
            blank_before, addressed = True, False
            continue
        if entries and (_postal(text) or addressed and (is_country(text) or is_place(text) and " " not in text)):
            addressed = True
            continue  # a signer's postal address, to the country under it
        if URL_LINE.match(text) or _is_table_head(text) or PAGE_NUMBER.fullmatch(text):
            continue  # footnote links, page numbers and table heads between the lines of a block
        if SIGNED_NOTE.fullmatch(text):
            continue  # "(signed)" and "(LTI)" (a left thumb impression) in a column beside the names
        if SD.fullmatch(text):
            blank_before = True  # "Sd/-" (signed) over each name: a new signer starts under it
            continue
        if CLOSING.match(text) or SIGNATURE_PLACE.fullmatch(text) or MORE_SIGNERS.fullmatch(text):
            continue  # a second closing line ("In solidarity," then "Signed:"), a signature's place
        if DONE_AT.match(text):
            continue  # "Done at Vienna, 13 May 2025": where and when it was signed
        if FOR_THE_BOARD.fullmatch(text) or FOR_ALL_OF_US.fullmatch(text):
            blank_before = True  # "For the board," over the officers' names: no one's name
            continue
        members = MEMBERS_OF.match(line.text)
        if members and entries:  # "and the women of the **X Association**": X signs
            org = members.group("org")
            entries.append(_Entry([Line(line.start + members.start("org"), line.start + members.end("org"), org)], "organization"))
            blank_before = False
            continue
        labelled = LABELLED_LIST.match(line.text)
        if labelled and GROUP_LABEL.match(labelled.group("label")):  # "Organisations: A; B; C.": a group and its signers
            group = "person" if PERSON_GROUPS.match(GROUP_LABEL.match(labelled.group("label")).group("group")) else "organization"
            rest = labelled.group("rest")
            entries.append(_Entry([Line(line.start + labelled.start("rest"), line.end, rest)], group, run=not rest.rstrip().endswith(".")))
            blank_before = False
            continue
        inline = INLINE_CLOSING.match(line.text)
        if inline:  # "Endorsed by: X Corporation" under the names, "Signed: A; B" under "In hope,"
            rest = inline.group("rest")
            entries.append(_Entry([Line(line.start + inline.start("rest"), line.end, rest)], group, run=not rest.rstrip().endswith(".")))
            blank_before = False
            continue
        if ASK_US.search(text):
            break  # who to ask, after the signatures ("For enquiries please contact ...")
        if is_caption(text) and not END_OF_BLOCK.match(text) or CONTACT_LINE.match(text) or entries and _town_and_country(text):
            continue  # a photo's caption ("A vigil in Gaziantep"), a signer's e-mail, telephone or town
        if blank_before and (is_country(text.rstrip(":")) or REGION_LABEL.match(text)) and _heads_lines(block, line):
            blank_before = True
            continue  # "Thailand" or "Regional and international" over the signers based there
        label = GROUP_LABEL.match(text.rstrip(":"))
        if label and len(BRACKETS.sub("", text).split()) <= 6:
            group, blank_before = ("person" if PERSON_GROUPS.match(label.group("group")) else "organization"), True
            continue
        if _ends_block(line.text, text):
            break
        behalf = BEHALF_LINE.match(text)
        if behalf and not (entries and _continues(entries[-1], text, blank_before, line.text)):
            entries.append(_Entry([line], group, behalf=without_town(behalf.group("org").strip()), opens_paragraph=blank_before))
            blank_before = False
            continue
        if entries and _continues(entries[-1], text, blank_before, line.text):
            entries[-1].lines.append(line)
        else:
            entries.append(_Entry([line], group, opens_paragraph=blank_before))
        blank_before = False
    return side_by_side(_name_over_institution(_officers_for(_signing_for(_group_heads(entries)))))


def _group_heads(entries: list[_Entry]) -> list[_Entry]:
    """Bodies' names over persons who each give a country ("Group of the Left (UEL)" over "Ms
    Jane ROE, Norway", "Mr Jan DOE, Poland"): the political groups the members sit in, not
    signers, when the block is persons from countries and every such name heads some of them."""
    if len(entries) > 400:
        return entries
    flats = [_flat(e.lines[0].text) if len(e.lines) == 1 else "" for e in entries]
    person = [bool(f) and "," in f and is_country(f.rsplit(",", 1)[-1]) and _person_start(f) is not None for f in flats]
    heads = [k for k, f in enumerate(flats) if not person[k] and f and (has_org_head(f) or _initials_in_brackets(f))]
    if len(heads) < 2 or len(heads) + sum(person) != len(entries) or any(k + 1 >= len(entries) or not person[k + 1] for k in heads):
        return entries
    return [e for k, e in enumerate(entries) if k not in heads]


def _heads_lines(block: list[Line], line: Line) -> bool:
    """The line has a line under it in the same paragraph (a heading, not a signer of its own)."""
    k = next((i for i, l in enumerate(block) if l is line), None)
    under = _flat(block[k + 1].text) if k is not None and k + 1 < len(block) else ""
    return bool(under) and not is_country(under)  # "Kenya" over "Uganda": states signing, one per line


def _postal(text: str) -> bool:
    """A line of a postal address: a street and number, a post box, a postcode."""
    return bool(POSTAL.search(text)) and not _starts_signer(text)


def _town_and_country(text: str) -> bool:
    """"Nairobi, Kenya" under a signer's name: where the signer is, not a signer."""
    parts = [p.strip() for p in text.split(",")]
    return len(parts) >= 2 and is_country(parts[-1]) and all(is_place(p) for p in parts[:-1])


NAME_END = re.compile(r"\s*[,(–—|]")


def _signing_for(entries: list[_Entry]) -> list[_Entry]:
    """"On behalf of X" above a person's entry: the person signs for X (alone, X signs)."""
    out: list[_Entry] = []
    for k, entry in enumerate(entries):
        if entry.behalf and len(entry.lines) == 1 and k == len(entries) - 1 and k and entry.opens_paragraph \
                and all(_person_entry(e) for e in entries[:k]):
            for person in entries[:k]:  # persons' names, then "On behalf of X" under them: each signs for X
                person.behalf = person.behalf or entry.behalf
            continue
        if entry.behalf and len(entry.lines) == 1:
            nxt = entries[k + 1] if k + 1 < len(entries) else None
            if nxt is not None and not nxt.behalf and personish(NAME_END.split(_flat(nxt.lines[0].text))[0]):
                nxt.behalf = entry.behalf
                continue
        out.append(entry)
    return out


def _officers_for(entries: list[_Entry]) -> list[_Entry]:
    """Officers' names ("Jane Doe, chair", "John Roe, secretary") and then, after a blank line,
    an organisation's name alone: the officers sign for it."""
    last = entries[-1] if len(entries) >= 2 else None
    name = _flat(last.lines[0].text) if last else ""
    if not (last and last.opens_paragraph and len(last.lines) == 1 and not last.behalf and "," not in name
            and has_org_head(name) and not _starts_signer(name)):
        return entries
    officers = entries[:-1]
    if not all(len(e.lines) == 1 and _officer(_flat(e.lines[0].text)) for e in officers):
        return entries
    for entry in officers:
        entry.behalf = entry.behalf or without_town(name)
    return officers


def _officer(text: str) -> bool:
    m = _person_start(text)
    return bool(m) and is_role(m.group("rest"))


def _person_entry(entry: _Entry) -> bool:
    return not entry.behalf and personish(NAME_END.split(_flat(entry.lines[0].text))[0])


def _name_over_institution(entries: list[_Entry]) -> list[_Entry]:
    """A paragraph of a person's name and then one to three lines of institutions with no
    office ("Yasmin Khatib" / "Mothers of the Disappeared Association", "Prof. Jane Doe" /
    "Department of History" / "Example University") is one signer."""
    out: list[_Entry] = []
    k = 0
    while k < len(entries):
        entry = entries[k]
        out.append(entry)
        k += 1
        first = _flat(entry.lines[0].text)
        if not (entry.opens_paragraph and len(entry.lines) == 1 and (_bare_name(first) or _pair_with_offices(first))):
            continue
        end = k
        while end < len(entries) and not entries[end].opens_paragraph and end - k < 3:
            end += 1
        under = entries[k:end]
        academic = len(under) == 1 or any(ACADEMIC.search(_flat(e.lines[0].text)) for e in under)  # not a list of organisations
        if under and academic and (end == len(entries) or entries[end].opens_paragraph) \
                and all(_institution_line(e) for e in under):
            entry.lines.extend(e.lines[0] for e in under)
            entry.stacked = True
            k = end
    return out


ACADEMIC = re.compile(r"\b(?:university|college|school|department|faculty|institute|centre|center|academy|hospital)\b", re.I)


def _institution_line(entry: _Entry) -> bool:
    text = _flat(entry.lines[0].text)
    return len(entry.lines) == 1 and has_org_head(text) and not _starts_signer(text)


def _bare_name(text: str) -> bool:
    return "," not in text and personish(text) and not has_org_head(text)


ITALIC = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])([^*_\n]{1,120}?)(?<=[^\s*_])\1(?![\w*])")
SIGNED_MARK = re.compile(r"^(?:/s/|\(signed\)|\[signed\]|sgd\.?)\s*", re.I)
DOT_LEADER = re.compile(r"(?<![.])\.{4,}\s*\S[^.]{0,60}$")  # "Example Network ........ Lakeland": the country after the leader
BOLD_THEN_TOWN = re.compile(r"^(?:[-*+•]\s+)?\*\*(?P<name>[^*]{3,120})\*\*\s*,\s*(?P<town>[^*]{2,60})$")
ROMANISED = re.compile(r"(?<![^\x00-\u024f\s(),;])[^\x00-\u024f\s(),;]{1,12}\s?\(([A-Z][^()\d]{1,60})\)")  # "林淑珍 (Lin Shuzhen)"


SECOND_TITLE = re.compile(r"(?<=\.)\s+\((?:Mrs|Mr|Ms|Miss|Mme|Dr)\.?\)(?=\s)")
ROW_NUMBER = re.compile(r"\d{1,4}\.?")


@lru_cache(maxsize=16384)
def _flat(raw: str) -> str:
    """A line of a signature block as its signer's text: marks, dot leaders, list markers and
    emphasis off (cached: the block's lines are read many times over)."""
    text = DOT_LEADER.sub("", SIGNED_MARK.sub("", raw.strip())).rstrip()
    text = ROMANISED.sub(r"\1", text)  # a name in its own script, then as its signer writes it in Latin letters
    bold = BOLD_THEN_TOWN.match(text)
    if bold and all(_town_part(p.strip()) for p in bold.group("town").split(",")):
        text = bold.group("name")  # "**Example Network**, Lake Town": the bold name, then where it is
    text = SECOND_TITLE.sub("", text)  # "Dr. (Mrs.) Jane Roe": her second title
    if "|" in text:  # a row of a table: its cells as a comma-separated entry, without a number column
        cells = [c.strip() for c in text.strip("|").split("|") if c.strip() and not _contact_cell(c.strip())]
        text = ", ".join(cells[1:] if len(cells) > 1 and ROW_NUMBER.fullmatch(cells[0]) else cells)
    return bare(ITALIC.sub(r"\2", MARKER.sub("", text))).replace("**", "").strip()  # "1. *Jane Roe*, weaver, Lake Town"


DOTTED_INITIALS = re.compile(r"(?:[A-Z]\.){2,3}")
PLACE_PARTICLE = re.compile(r"\s(?:de|del|la|do|da|dos|das)\b")


def _town_part(part: str) -> bool:
    """"San Pedro de la Laguna", "Lake Town", "D.C.": a place after a name in bold."""
    return bool(DOTTED_INITIALS.fullmatch(part)) or is_place(PLACE_PARTICLE.sub("", part)) \
        and len(part.split()) <= 5


def _contact_cell(cell: str) -> bool:
    """A table cell with a signer's ORCID iD or e-mail address, not a name or an affiliation."""
    return bool(ORCID.match(cell) or CONTACT_LINE.match(cell))


TABLE_RULE = re.compile(r":?-{2,}:?")
HEAD_JOIN = re.compile(r"\s+(?:and|or|&)\s+|\s*/\s*")


def _is_table_head(text: str) -> bool:
    """A table's header or rule row ("Name, Affiliation", "---, ---")."""
    cells = [c.strip().lower() for c in text.split(",")]
    return all(TABLE_RULE.fullmatch(c) or c in TABLE_HEADS or _compound_head(c) for c in cells)


def _compound_head(cell: str) -> bool:
    """A head cell naming two columns in one ("Position and institution", "ORCID / e-mail")."""
    parts = [p for p in HEAD_JOIN.split(cell) if p]
    return len(parts) >= 2 and all(p in TABLE_HEADS or p in CONTACT_HEADS for p in parts)


BULLET = re.compile(r"^\s*[•·▪]\s+(?=\S)")
SIGN_UP = re.compile(r"^(?:\d[\d,.\s]*\s+(?:people|persons|supporters|signatures|signers)\b|add\s+your\s+(?:name|signature)\b|"
                     r"sign\s+(?:the|this|our)\s+(?:petition|letter|statement)\b)", re.I)
NOTE_IN_BRACKETS = re.compile(r"\([A-Z][a-z]+\s")


def _ends_block(raw: str, text: str) -> bool:
    bulleted = BULLET.match(raw)  # "• Example Watch": a list of signers, unless "• About us"
    if is_furniture_line(raw[bulleted.end():] if bulleted else raw) or END_OF_BLOCK.match(text) or raw.lstrip().startswith("#"):
        return True
    found = find_dates(text)
    if found and found[0].span.start <= 1:
        return True  # "Sep 15, 2020 Author": a byline after the post
    if SIGN_UP.match(text):
        return True  # a petition's counter and sign-up form
    words = text.split()
    if NOTE_IN_BRACKETS.match(text) and len(words) >= 8 and sum(w[:1].islower() for w in words) > len(words) / 2:
        return True  # "(The signatories give only their initials. Several of them ...)": a note under the names
    if len(words) >= 2 and text.isupper() and len(text) > 6 and not _capital_name(words):
        return True  # "MAKE A DONATION", but not "JANE DOE"
    if len(words) > 16 and text.endswith(".") and not PERSON_START.match(text) and not _list_items(text) \
            and not _people_with_affiliations(text.rstrip(".")):
        return True  # running text again
    return False


CALL_WORDS = {"a", "an", "the", "us", "our", "now", "more", "today", "here", "join", "read", "sign", "take", "act",
              "get", "involved", "help", "support", "share", "follow", "learn", "about", "news", "contact", "donate",
              "give", "stand", "with", "for", "and", "all", "latest", "updates", "home", "menu", "back", "top", "up"}


def _capital_name(words: list[str]) -> bool:
    """"JANE DOE" in capitals: a name, not a button ("JOIN US NOW")."""
    return len(words) <= 4 and not any(w.lower().strip(".,") in CALL_WORDS for w in words) \
        and looks_like_person_name(" ".join(words).title())


def _continues(entry: _Entry, text: str, blank_before: bool, raw: str = "") -> bool:
    if entry.run and not blank_before:
        return True  # "Signatories: A (AB), B" wrapped: "Collective, C and D." on the next line
    previous = _flat(entry.lines[-1].text)
    last_word = previous.split()[-1].lower() if previous.split() else ""
    surname = SURNAME_FIRST.match(previous) if len(entry.lines) == 1 and not blank_before else None
    if surname and not surname.group("rest") and not SURNAME_FIRST.match(text):
        entry.stacked = True  # "OKELLO, Margaret" over "Example University": the affiliation under the name
        return True
    if previous.endswith((",", "-", "–", "&")) or last_word in DANGLING:
        return True
    if text[:1].islower() or text[:1] in "([":
        return True
    if not blank_before and raw and MARKER.match(entry.lines[0].text) and not MARKER.match(raw) and len(entry.lines) == 1 \
            and _bare_name(_flat(entry.lines[0].text)):
        entry.stacked = True  # "- Jane Doe" over "Nurse, Lakeside": a bulleted name and its unbulleted second line
        return True
    if blank_before or _starts_signer(text) or MARKER.match(entry.lines[-1].text) and MARKER.match(raw or text):  # two bulleted lines, two signers
        return False
    if _stacked_signer(entry, text):
        entry.stacked = True
        return True
    first = squash(" ".join(_flat(l.text) for l in entry.lines))
    if is_country(previous.rsplit(",", 1)[-1]) and "," in previous:
        return False  # "Mr Jan ROE, Poland": the entry ends with the signer's country
    return _person_start(first) is not None  # a person's entry wraps; organisations rarely do


def _stacked_signer(entry: _Entry, text: str) -> bool:
    """Name, office and institution on lines of their own, one signer."""
    first = _flat(entry.lines[0].text)
    if len(entry.lines) > 2 or "," in first or not (personish(first) or _name_pair(first)):
        return False
    return is_role(text) if len(entry.lines) == 1 else is_role(_flat(entry.lines[1].text))


def _people_listed(flat: str) -> list[str]:
    """Persons' names and nothing else, in one comma-separated run."""
    if "," not in flat or len(flat) > 2000:
        return []
    items = split_list(flat)
    if len(items) < 2 or not all(looks_like_person_name(split_title(i)[1]) for i in items):
        return []
    if len(items) == 2 and split_title(items[0])[2]:
        return []  # "Peter Olsen Jr., Northern Town": a name with its post-nominal, then a place
    return items


DOTS = re.compile(r"\s+[·•▪◦]\s+")


def _sub_line(text: str, span: Span, item: str) -> Line:
    """Where ``item`` (a part of an entry, its whitespace squashed) is in the entry's text."""
    at = find_span(text, span, item)
    if at == span and item != text[span.start:span.end] and item.split():
        loose = re.compile(r"\s+".join(map(re.escape, item.split())))
        m = loose.search(text, span.start, span.end)  # "Jane  Doe" in the text, "Jane Doe" squashed
        if m:
            at = Span(m.start(), m.end())
    return Line(at.start, at.end, text[at.start:at.end])


def _top_level(flat: str, sep: str) -> list[str]:
    """``flat`` split at ``sep`` where it is outside brackets."""
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(flat):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and flat.startswith(sep, k):
            parts.append(flat[start:k])
            start = k + len(sep)
    return parts + [flat[start:]]


LEADING_AND = re.compile(r"^(?:and|&)\s+")
NAME_AND_BRACKETS = re.compile(r"(?P<name>[^()]{3,60}?)\s*(?:\((?P<rest>[^()]{2,200})\))?")
EMERITUS = re.compile(r"^(?:emerit(?:us|a)|retired)\s*,\s*")


def _people_with_affiliations(flat: str) -> list[tuple[str, str]]:
    """Persons in one run, each with an affiliation in brackets or none: "Jane Doe (Example
    University), John Roe, Prof. Ann Poe (emerita, Example Institute) and Ben Loe"."""
    if "(" not in flat or len(flat) > 4000:
        return []
    parts = _top_level(flat, ",")
    if len(parts) < 2:
        return []
    last = _top_level(parts[-1], " and ")
    parts = parts[:-1] + last if len(last) == 2 else parts
    found = []
    for part in (LEADING_AND.sub("", p.strip()) for p in parts):
        m = NAME_AND_BRACKETS.fullmatch(part)
        if not m or not personish(m.group("name")) or has_org_head(m.group("name")):
            return []
        found.append((m.group("name"), EMERITUS.sub("", m.group("rest") or "")))
    return found if sum(1 for _, rest in found if rest) >= 2 else []


PAIR_OFFICES = re.compile(r"^(?P<a>[^,()]{3,60}?)\s*\((?P<ra>[^()]{2,60})\)\s+(?:and|&)\s+(?P<b>[^,()]{3,60}?)\s*\((?P<rb>[^()]{2,60})\)"
                          r"\s*(?:,\s*(?P<rest>[^()]*))?$")


def _pair_with_offices(text: str) -> list[tuple[str, str]]:
    """Two persons on one line, each with an office in brackets: "Jane Doe (Director) and John
    Roe (Head of Research)", then, after a comma, the institution they share."""
    m = PAIR_OFFICES.match(text) if len(text) <= 400 else None
    if not m or not (personish(m.group("a")) and personish(m.group("b")) and is_role(m.group("ra")) and is_role(m.group("rb"))):
        return []
    shared = f", {m.group('rest')}" if m.group("rest") else ""
    return [(m.group("a"), m.group("ra") + shared), (m.group("b"), m.group("rb") + shared)]


NAME_PAIR = re.compile(r"^(?P<a>[^,]+?)\s+(?:and|&)\s+(?P<b>[^,]+?)(?:,\s*(?P<rest>.*))?$")


def _name_pair(text: str) -> re.Match | None:
    """Two persons who sign together: "Jane Doe and John Roe" (then, after a comma, what
    they share)."""
    if len(text) > 300:
        return None
    m = NAME_PAIR.match(text)
    return m if m and personish(m.group("a")) and personish(m.group("b")) else None


def _starts_signer(text: str) -> bool:
    """A line that opens an entry of its own: a person's name, with or without a title."""
    head = NAME_END.split(text, maxsplit=1)[0]
    return bool(_person_start(text)) or has_honorific(head) or looks_like_person_name(head) or bool(SURNAME_FIRST.match(text))


def _person_start(text: str) -> re.Match | None:
    m = PERSON_START.match(text)
    if m and personish(m.group("name")) and not is_country(m.group("name")):
        return m
    return None


NUMBERED = re.compile(r"\s*\(?\d{1,4}[.)]\s")


def _signatures_of(text: str, entry: _Entry, position: int, depth: int = 0) -> list[Signature]:
    span = entry.span
    joiner = ", " if entry.stacked else " "
    flat = squash(joiner.join(_flat(l.text) for l in entry.lines)).rstrip(".;").replace(" | ", ", ")
    if len(flat) < 3 or not flat[:1].isalnum():
        return []
    dotted = [p.strip() for p in DOTS.split(flat) if p.strip()]
    semi = [re.sub(r"^(?:(?:and|&)\s+)?(?:the\s+(?=[A-Z]))?", "", p.strip()) for p in flat.split(";") if p.strip()] \
        if ";" in flat and len(flat) <= 4000 and not (entry.stacked and _bare_name(_flat(entry.lines[0].text))) else []
    if len(semi) >= 2 and all(_person_start(p) or personish(p) for p in semi) or _semicolon_list(semi):
        dotted = semi  # "Jane Doe, Professor, X; John Roe, Lecturer, Y": one signer between each two semicolons
    if len(dotted) >= 2 and depth < 2:  # "A · B · C": one signer between each two dots
        found = []  # (each part is read once more, for "A, X · B, Y; C": two levels at most)
        for item in dotted:
            part = _Entry([_sub_line(text, span, item)], entry.group)
            found.extend(_signatures_of(text, part, position + len(found), depth + 1))
        return found
    scholars = _people_with_affiliations(flat)
    if scholars:  # "Jane Doe (Example University), John Roe and Ann Poe (Example Institute)"
        return [_person(text, find_span(text, span, who), position + k, who, rest) for k, (who, rest) in enumerate(scholars)]
    items = _list_items(flat)
    if items:
        return [organization(text, find_span(text, span, item), position + k, item, "organization")
                for k, item in enumerate(items)]
    people = _people_listed(flat)
    if len(people) == 2 and " and " not in flat and NUMBERED.match(entry.lines[0].text):
        people = []  # "2. Jane Roe, Upper Town": a numbered line is one signer and the town where she lives
    if people:  # "Amina Yusuf, Peter Olsen, Maria Lopez and Chen Wei"
        return [_person(text, find_span(text, span, who), position + k, who, "") for k, who in enumerate(people)]
    offices = _pair_with_offices(flat)
    if offices:  # "Jane Doe (Director) and John Roe (Head of Research)" over "Example Centre"
        return [_person(text, find_span(text, span, who), position + k, who, rest) for k, (who, rest) in enumerate(offices)]
    pair = _name_pair(flat)
    if pair:  # "Jane Doe and John Roe, Co-chairs, X"
        return [_person(text, span, position + k, pair.group(who), pair.group("rest") or "") for k, who in enumerate("ab")]
    sig = _signature(text, span, position, flat, entry.group)
    if entry.behalf and sig.kind == "person" and not any(a.organization for a in sig.affiliations):
        affs = [a for a in sig.affiliations if a.role] or [Affiliation(None, None, span)]
        sig = replace(sig, affiliations=(Affiliation(affs[0].role, entry.behalf, affs[0].span), *affs[1:]))
    elif entry.behalf and len(entry.lines) == 1:  # "On behalf of X" and no one under it: X signs
        sig = organization(text, span, position, entry.behalf, "organization")
    return [sig]


def _semicolon_list(parts: list[str]) -> bool:
    """Three or more short capitalised items between semicolons, organisations and persons
    mixed: "Example Network; Jane Doe, teacher, Lakeside; and Another Trust"."""
    return len(parts) >= 3 and all(re.sub(r"^the\s+", "", p)[:1].isupper() and len(p.split()) <= 14 and not p.endswith(":")
                                   for p in parts) \
        and not all(ACADEMIC.search(p) for p in parts[1:])  # "Jane Doe, Professor; Department of X; University of Y" is one


RELATIVE_OF = re.compile(r"^(?P<name>[^,()]{3,60}?)\s+(?:[SDWC]/[Oo]|[SDW]\.[Oo]\.)\s+(?:(?:Late|Shri|Sri|Smt\.?)\s+)*[^,]{2,60}"
                         r"(?:,\s*(?P<rest>.+))?$")  # "Naeem Ahmad S/o Late Jameel Ahmad, survivor": son of, wife of, daughter of
OCCUPATION = re.compile(r"^[a-z][\w'’-]+(?:\s+[a-z][\w'’-]+){0,2}\s*,\s*[A-Z]")  # "Jane Roe, weaver, Lake Town": a trade, then a place
KINSHIP = re.compile(r"^(?:widow|widower|orphan)\b|^(?:the\s+)?(?:mother|father|sister|brother|wife|husband|widow|widower|son|daughter|"
                     r"grandmother|grandfather|grandson|granddaughter|aunt|uncle|niece|nephew|cousin|parents?|"
                     r"relatives?|spouse|partner|fianc[ée]e?)\s+of\b", re.I)
KIN_ALONE = re.compile(r"^(?:widow|widower|mother|father|sister|brother|wife|husband|son|daughter|grandmother|grandfather|"
                       r"grandson|granddaughter|aunt|uncle|niece|nephew|cousin|parent|relative|orphan)\s*(?:,|$)", re.I)


FORMERLY = re.compile(r"(?:formerly|previously|former|until\s+\d{4})\b")


def _signature(text: str, span: Span, position: int, flat: str, group: str | None) -> Signature:
    surname = SURNAME_FIRST.match(flat)
    if surname and is_role(surname.group("given")):
        surname = None  # "JANE DOE, Treasurer": a name in capitals over its office, not "SURNAME, Given"
    if surname:  # "AHMED, Sara, Lecturer in Law": the name as it is spoken, the rest as usual
        sig = _person(text, span, position, f"{surname.group('given')} {surname.group('sur').title()}",
                      surname.group("rest") or "")
        written = Span(span.start, span.start + surname.end("given"))
        return replace(sig, name_span=written if text[written.start:written.end] == flat[:surname.end("given")] else sig.name_span)
    kin = RELATIVE_OF.match(flat)
    if kin and personish(kin.group("name")):  # "Jane Roe W/o Late John Roe": her husband is named, he does not sign
        return _person(text, span, position, kin.group("name"), kin.group("rest") or "")
    behalf = BEHALF.match(flat)
    if behalf and personish(behalf.group("name")):  # "Samira Haddad, on behalf of the Example Network"
        return _person(text, span, position, behalf.group("name"), behalf.group("org"))
    if _initials_in_brackets(flat):  # "Persatuan Keadilan Sempadan (PKS)": a body and its acronym, not a person
        return organization(text, span, position, flat, "organization")
    person = _person_start(flat) or PAREN_PERSON.match(flat)
    if person and (person.re is PAREN_PERSON and personish(person.group("name")) or person.re is PERSON_START):
        rest = person.group("rest")
        if KINSHIP.match(rest):  # "Jane Doe, mother of John Doe, disappeared 2010": the relative does not sign
            return _person(text, span, position, person.group("name"), "")
        if KIN_ALONE.match(rest):  # "Jane Doe, mother, Townsville": a relative signing as one
            return _person(text, span, position, person.group("name"), "")
        if not rest[:1].islower() or any(bare_token(w) in ROLE_WORDS for w in rest.split()) or OCCUPATION.match(rest) \
                or FORMERLY.match(rest) or has_honorific(person.group("name")) \
                or person.group("name").isupper() and _capital_name(person.group("name").split()) \
                or group == "person" and looks_like_person_name(person.group("name")):  # "JANE DOE, served in X"
            return _person(text, span, position, person.group("name"), rest)
    titled = _name_then_role(flat)
    if titled:
        return _person(text, span, position, *titled)
    kind = "person" if has_honorific(flat) else None if looks_like_person_name(flat) else "organization"
    if group and kind is None:
        kind = group
    if kind == "person":
        return _person(text, span, position, flat, "")
    return organization(text, span, position, flat, kind)


ACRONYM_AFTER = re.compile(r"(?P<name>[^()]{3,120}?)\s*\((?P<acr>[A-Z][A-Za-z&]{1,11})\)")
NAME_WORD_BREAK = re.compile(r"[\s-]+")


def _initials_in_brackets(flat: str) -> bool:
    """A name followed by the acronym its words make ("Liga Hak Asasi (LHA)"): an organisation's."""
    m = ACRONYM_AFTER.fullmatch(flat)
    if not m:
        return False
    initials = "".join(w[0] for w in NAME_WORD_BREAK.split(m.group("name")) if w[:1].isupper())
    return m.group("acr").upper().replace("&", "") == initials.upper()


def _name_then_role(flat: str) -> tuple[str, str] | None:
    """"Agnès Callamard Secretary General": a name followed by an office, no comma."""
    tokens = flat.split()
    for k in range(2, min(6, len(tokens))):
        name, role = tokens[:k], tokens[k:]
        if role and bare_token(role[0]) in ROLE_WORDS and personish(" ".join(name)):
            return " ".join(name), " ".join(role)
    return None


HYPHEN_OR_APOSTROPHE = re.compile(r"[-'’]")


def _spoken_order(core: str) -> str:
    """A surname written in capitals, first or last ("DUPONT Marie", "Marie DUPONT"), as
    "Marie Dupont"."""
    tokens = core.split()
    caps = [t for t in tokens if len(t) > 1 and t.isupper() and HYPHEN_OR_APOSTROPHE.sub("", t).isalpha()]  # "WIERZBICKI-ORŁOŚ"
    if not caps or len(caps) == len(tokens) or len(tokens) > 4:
        return core
    if tokens[0] in caps and not tokens[-1] in caps:
        k = next(i for i, t in enumerate(tokens) if t not in caps)
        tokens = tokens[k:] + tokens[:k]
    return " ".join(t.title() if t in caps else t for t in tokens)


def _person(text: str, span: Span, position: int, name: str, rest: str) -> Signature:
    before, core, after = split_title(name.strip())
    core = core.title() if core.isupper() and " " in core else _spoken_order(core)  # "JANE DOE"
    if after and bare_token(after) in {"jr", "sr"}:
        core, after = f"{core} {after}", None  # "John Doe Jr.": a generation is part of the name, not a title
    parts = [p.strip() for p in squash(rest).split(",") if p.strip()] if rest else []
    while parts and bare_token(parts[0]) in POST_TITLES - {"ms"}:
        parts.pop(0)  # "Jane Roe, SAN, Counsel to X": her post-nominal, not an institution
    country = parts.pop() if parts and is_country(parts[-1]) else None
    while len(parts) >= 2 and is_place(parts[-1]) and not is_role(parts[-2]):
        parts.pop()  # "University of Lakeside, Nairobi": the town of the institution
    affs = affiliations(", ".join(parts), span) if parts else []
    office = next((t for t, titles in ((before, OFFICES), (after, OFFICES | POST_TITLES))
                   if t and bare_token(t.split()[-1]) in titles), None)  # "Ms Jane Roe": a form of address, no office
    if office and not any(a.role for a in affs):
        affs.insert(0, Affiliation(role=office, organization=None, span=span))
    return Signature(position=position, name=core, kind="person", span=span,
                     name_span=name_span(text, span, core), affiliations=tuple(affs),
                     country=country.strip(" ()") if country else None)


GOVERNMENTS_OF = re.compile(r"^(?:the\s+)?(?:governments|delegations|states|member\s+states)\s+of\s+", re.I)
AND = re.compile(r"\s(?:and|&)\s")
LEADING_THE = re.compile(r"^the\s+")
THE_BEFORE_NAME = re.compile(r"^the\s+(?=[A-Z])")


def _list_items(flat: str) -> list[str]:
    """Signers given as one comma-separated list ("The governments of A, B, C and D")."""
    lead = GOVERNMENTS_OF.match(flat)
    listed = flat[lead.end():] if lead else flat
    if not lead and ("," not in listed or _person_start(flat) or names_parent(listed.split(",", 1)[-1])):
        return []  # "Centre for X, Keene State College" is one organisation
    parts = listed.split(",")
    if not lead and len(parts) == 2 and AND.search(parts[0]) and not AND.search(parts[1]):
        return []  # "Survivors and Widows Association, Town": the "and" of a list comes after its last comma
    items = split_list(listed) if lead else named_items(listed)
    if len(items) < (2 if lead else 3) or not lead and located(items):
        return []
    if not all(LEADING_THE.sub("", i)[:1].isupper() and len(i.split()) <= 8 and not is_role(i) for i in items):
        return []
    return [THE_BEFORE_NAME.sub("", i) if not is_country(i) else i for i in items]


def _submitted_by(text: str) -> list[Signature]:
    m = SUBMITTED.search(text) or SIGNED_BY.search(text) or COVER_SUBMITTERS.search(text)
    if not m:
        return []
    listed = _until_dateline(m.group("list"))
    flat = "; ".join(l.strip() for l in listed.split("\n")) if m.re is COVER_SUBMITTERS else squash(listed)  # one per line
    flat = re.sub(r"\*\*|__", "", flat).rstrip(".")  # "Submitted by the **X Project** and ..."
    flat = re.sub(r"\s+[–—-]\s+[A-Z][A-Z&]{1,10}(?=\s*(?:\(|;|,|$))", "", flat)  # "X del Sur – XS": its acronym after a dash
    flat = re.sub(r"\s*\(([^()]{2,40})\)", lambda p: "" if is_place(p.group(1)) else p.group(), flat)  # "X (Lake Town)"
    flat = TRANSLATED.sub("", flat)  # "X Solidarity (Solidaritas X)": the name in another language
    flat = re.sub(r",?\s+(?:together\s+)?with\s+(?=the\s+[A-Z]|[A-Z])", ", ", flat)  # "Prepared by X, with the Y and the Z"
    items = [re.sub(r"^the\s+(?=[A-Z])", "", i) for i in named_items(flat)]
    if not items or not all(i[:1].isupper() and len(i.split()) <= 10 for i in items):
        return []
    within = Span(m.start("list"), m.start("list") + len(listed))
    return [_person(text, find_span(text, within, item), k, item, "")
            if looks_like_person_name(item) and not has_org_head(item) and m.re is not COVER_SUBMITTERS  # a row of organisations
            else organization(text, find_span(text, within, item), k, item, "organization")
            for k, item in enumerate(items, start=1)]  # "Signed in solidarity by Jane Roe and the X Network."


TRANSLATED = re.compile(r"\s*\((?![A-Z][A-Za-z0-9&.-]{1,12}\))[A-Z][^()]{2,80}\)")  # not an acronym "(LVS)"


def _until_dateline(listed: str) -> str:
    """The lines of a "Submitted by:" list up to a dateline under it ("Lake Town, 3 March 2026")."""
    kept = []
    for line in listed.split("\n"):
        found = find_dates(line)
        if kept and found and len(line.split()) <= 8:
            break
        kept.append(line)
    return "\n".join(kept)


def _listed_in_body(text: str) -> list[Signature]:
    m = IN_BODY.search(text)
    if not m:
        return _submitted_by(text)
    items = _list_items("the governments of " + m.group("list"))
    within = Span(m.start("list"), m.end("list"))
    return [organization(text, find_span(text, within, item), k, item, "organization")
            for k, item in enumerate(items, start=1)]


def _settle_kinds(found: list[Signature]) -> list[Signature]:
    """A bare name that could be a person's takes the kind of the signers around it."""
    kinds = [s.kind for s in found]
    out = []
    for i, sig in enumerate(found):
        if sig.kind is None:
            near = [k for k in kinds[max(0, i - 2):i] + kinds[i + 1:i + 3] if k]
            kind = "organization" if near and near.count("organization") > len(near) / 2 else "person"
            sig = replace(sig, kind=kind, affiliations=())
        out.append(sig)
    return out


MEMBER_OF = re.compile(r"^(?:a\s+)?(member)\s+of\s+(?:the\s+)?(?P<org>.+)$", re.I)
YEARS = re.compile(r"[\d\s–—-]+")
TRADE = re.compile(r"[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,2}")


def affiliations(rest: str, span: Span) -> list[Affiliation]:
    """Split "Title, Institution and Title, Institution" into affiliations.

    >>> [(a.role, a.organization) for a in affiliations("Director, Genocide Watch", Span(0, 1))]
    [('Director', 'Genocide Watch')]
    """
    found: list[list[str | None]] = []
    for raw_part in _segments(rest):
        part = LEADING_AND.sub("", raw_part)
        member = MEMBER_OF.match(part)
        if YEARS.fullmatch(part):
            continue  # years of office
        if member:
            found.append(["member", member.group("org")])
        elif is_role(part) or TRADE.fullmatch(part):
            found.append([part, None])  # "Director", or a trade in lower case ("weaver")
        elif found:
            found[-1][1] = part if found[-1][1] is None else f"{found[-1][1]}, {raw_part}"
        else:
            found.append([None, part])
    return [Affiliation(role=r, organization=o, span=span) for r, o in found if r or o]


AND_BEFORE_ROLE = re.compile(r"\s+and\s+(?=(?:[A-Z][\w-]*\s+){0,3}?(?:" + "|".join(sorted(w.title() for w in ROLE_WORDS))
                             + r")\b|member\s+of\b)")  # "Director, X and Professor, Y": two affiliations


def _segments(rest: str) -> list[str]:
    rest = squash(rest).rstrip(".;")
    out: list[str] = []
    for piece in (p.strip() for p in rest.split(",")):
        split = AND_BEFORE_ROLE.split(piece)
        out.extend(s.strip() for s in split if s.strip())
    return out


