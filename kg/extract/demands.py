"""Calls to action: what a document demands, and of whom.

Lists introduced by a demand ("Signatories of this letter urge states to:", "We demand that
the Security Council:", "Recommendations:"), numbered, lettered or bulleted; and sentences that
make a demand ("We call on the Security Council to ...", "The network urges ...", "The UK
Government must act ...", "All states should ...").  "You" is the letter's addressee.  Reported
demands in a news report are not the report's own and are left out; a document that demands
nothing yields nothing.

>>> text = "We urge the Council to:\\n\\n1. Act now.\\n2. Report back.\\n"
>>> [(c.position, c.text, c.recipients) for c in calls_to_action(text, Span(0, len(text)), "letter")]
[(1, 'Act now.', ('the Council',)), (2, 'Report back.', ('the Council',))]
>>> text = "We call on the African Union and the European Union to act, and we ask donors to pay."
>>> [c.recipients for c in calls_to_action(text, Span(0, len(text)), "letter")]
[('the African Union', 'the European Union', 'donors')]
"""

from __future__ import annotations

import re

from ..records import CallToAction, Span
from .names import is_acronym, split_list
from .structure import letter_addressees
from .text import lines, sentences, squash

VERBS = (r"(?:urge|urges|urged|call\s+on|calls\s+on|call\s+upon|calls\s+upon|demand|demands|ask|asks|request|"
         r"requests|appeal\s+to|appeals\s+to|implore|implores|recommend|recommends|invite|invites|encourage|encourages|pray|"
         r"urging|calling\s+on|calling\s+upon|demanding|asking|requesting|appealing\s+to|imploring|"
         r"(?<=[Ww]e\s)petition|(?<=respectfully\s)petition|(?<=humbly\s)petition|(?<=hereby\s)petition|"
         r"(?<=undersigned,\s)petition|(?<=undersigned\s)petition)")  # "We respectfully petition:", "We, the undersigned, petition X:"
ADVERBS = (r"(?:(?:therefore|also|again|now|further|hereby|would\s+like\s+to|strongly|urgently|respectfully|jointly|"
           r"kindly|humbly|earnestly|sincerely|most|once\s+again|"
           r"once\s+more|wish\s+to|want\s+to|would|(?:are|am)\s+writing\s+to|write\s+to|(?:are|am)(?=\s+(?:also\s+|now\s+|again\s+|therefore\s+)?\w+ing\b))\s+)*")
INTRO = re.compile(rf"\b{VERBS}(?:\s+(?P<who>[^:]*?))?\s*(?:to|that)?\s*:\s*$", re.I)
ITEM_ASKED = re.compile(r"^(?P<who>(?:[Tt]he\s+|[Aa]ll\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Za-z][\w'’.-]*)){0,7}?)\s+to\s+[a-z]")
INTRO_NOUN = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?(?:our\s+|key\s+|the\s+following\s+)?(?:demands|recommendations|calls\s+to\s+action|asks|requests)"
                        r"(?:\s+to\s+(?P<who>[^:]+?))?\s*:?\s*$", re.I)
VERBS_S = (r"(?:urges|calls\s+on|calls\s+upon|demands|asks|requests|appeals\s+to|implores|recommends|invites|prays|"
           r"encourages)")
_GROUPS = (r"the\s+(?:undersigned\s+|signing\s+|submitting\s+)?(?:organi[sz]ations|groups|families|parliamentarians|scholars|ngos)"
           r"(?:\s+(?:listed|named|signed)\s+below)?")  # "The organisations listed below therefore call on X to"
WE = rf"(?:we|i|they|the\s+(?:undersigned|signatories|signatory\s+\w+)|{_GROUPS})"  # with the verb's plain form
THEY_GROUPS = re.compile(rf"^{_GROUPS}\b", re.I)
IT = (r"(?:it|the\s+(?:network|coalition|organi[sz]ation|group|alliance|campaign|association|forum|initiative|project)|"
      r"(?-i:[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|for|of|and|the|on|de|del|la|las|los|du|des|da|do|dos|das)){0,7}?))")  # with the verb in -s
LEAD = (r"(?:finally|lastly|in\s+addition|moreover|furthermore|above\s+all|in\s+conclusion|to\s+this\s+end),\s+|therefore,?\s+|"
        r"(?:today|yesterday|now|this\s+week)(?:,\s+(?:as|when|while)\s+[^,]{1,120})?,\s+(?:the\s+)?")  # "Finally, the Forum invites X to"
# "Today, as thousands march once more, the X Collective calls on Y to"
SUBJECT_VERB = re.compile(
    rf"^(?:{LEAD})?(?:{WE}(?:,[^,]{{1,100}},|,\s+the\s+undersigned\b[^.;:]{{0,100}}?,)?\s+{ADVERBS}{VERBS}|{IT}(?:,[^,]{{1,100}},)?\s+{ADVERBS}{VERBS_S})"
    r"\s+(?P<who>.+?)(?:,\s*as\s+(?P<as>[^,]+),)?\s+(?:to|that)\s+", re.I)
INNER = re.compile(rf"(?:^|[,;]\s+(?:and\s+)?|\band\s+)(?:we|i)\s+{ADVERBS}{VERBS}\s+(?P<who>.+?)\s+(?:to|that)\s+", re.I)
AGENTS = (r"(?i:government|governments|states|state|council|community|nations|union|authorities|parliament|"
          r"congress|countries|members|member\s+states|secretary-general|commissioner|court|assembly|donors|"
          r"institutions|agencies|companies|leaders|mission|commission|prosecutor|partners|allies)")  # "X's international partners should"
OF_PLACE = r"(?:\s+(?:of|in)\s+the\s+[A-Z][\w'’-]*(?:\s+(?:of\s+)?[A-Z][\w'’-]*){0,4})?"  # "The authorities of the Russian Federation must"
PRONOUNS = {"we", "i", "it", "this", "that", "there", "which", "they", "he", "she", "you", "these", "those",
            "everyone", "everybody", "anyone", "nobody", "one", "such", "what", "all", "our", "their", "its"}
MUST = re.compile(rf"^(?P<who>(?:[Tt]he\s+|[Aa]ll\s+)?(?:[A-Za-z][\w.'’-]*\s+){{0,4}}?{AGENTS}{OF_PLACE}"
                  r"(?:\s+(?:that|who|which)\s+[^,;]{1,80}?)?"  # "States that hold the files must share them"
                  r"|(?:[Tt]he\s+)?(?:(?:[A-Z][\w.'’-]*|of|for|and|the|on|in|to)\s+){0,8}?[A-Z][\w'’-]+)"
                  r"\s+(?:(?:can\s+and|also|now|urgently|therefore|immediately|still)\s+)*must\s+(?:not\s+)?"
                  r"(?P<passive>(?:also\s+)?be\s+\w+(?:ed|en)\b)?")
PASSIVE = re.compile(r"^(?P<who>[A-Z][^,;:]{0,60}?)\s+must\s+(?:also\s+|now\s+)?be\s+\w+(?:ed|en)\b")
SHOULD = re.compile(rf"^(?P<who>(?:[Tt]he\s+|[Aa]ll\s+)?(?:[A-Za-z][\w.'’-]*\s+){{0,4}}?{AGENTS}{OF_PLACE}"
                    r"(?:\s+(?:that|who|which)\s+[^,;]{1,80}?)?"
                    r"|(?:[Tt]he\s+)?[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|of|for|and|the|on|in|to)){0,9}?\s+[A-Z][\w.'’-]*)"
                    r"\s+should\s+(?:also\s+)?(?!not\b|be\s+\w+(?:ed|en)\b)")  # "The African Commission on ... Rights should send"
SECTION_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2}){1,3}\.?\s+(?=[A-Z])")
PASSIVE_THAT = re.compile(r"^that\s+[^,;]{1,80}?\s+(?:should\s+|must\s+)?be\s+\w+(?:ed|en)\b", re.I)
NOUN_DEMAND = re.compile(rf"^(?:we|i)\s+{ADVERBS}(?:call\s+for|calls\s+for|calling\s+for|demand|demanding)\s+"
                         r"(?:the\s+|an\s+|a\s+)?(?:immediate\s+|urgent\s+|unconditional\s+|prompt\s+|full\s+)*"
                         r"(?:release|end|halt|suspension|withdrawal|investigation|inquiry|accountability|access|return|"
                         r"protection|cessation|ceasefire|lifting|repeal|establishment|creation|prosecution|justice)\b", re.I)
ESSENTIAL = re.compile(r"^it\s+is\s+(?:therefore\s+|now\s+)?(?:essential|imperative|vital|crucial|urgent|critical|necessary)\s+"
                       r"(?P<rest>that\s+.+)$", re.I)
NUMBERED = re.compile(r"^\s*(?:\(?(?P<num>\d{1,2})[.)]|(?:\*\*|__)(?P<bold>\d{1,2})[.)](?=\s+[^*_\s][^*_]{1,100}(?:\*\*|__)\s)|(?:\*\*|__)[A-Z]{0,2}(?P<label>\d{1,2})[.):]?(?:\*\*|__)|[A-Z]{1,2}(?P<code>\d{1,2})[.)]|\((?P<roman>i{2,3}|iv|vi{1,3}|ix)\)|\(?(?P<letter>[a-z])\)|(?P<bullet>[-*•▪◦–]))\s+(?=\S)")
TO_HEADING = re.compile(r"^(?:(?:\*\*|__|#{2,6}\s+)To\s+(?P<who>(?:(?:the|all)\s+\w|[A-Z])[^*_:]{2,150}?)(?:\*\*|__)?\s*:?"
                        r"|To\s+(?P<who2>(?:(?:the|all)\s+\w|[A-Z])[^:]{2,150}?)\s*:)$")
RELATIVE = re.compile(r",?\s+(?:that|who|which|whose|including|in\s+particular|notably)\b.*$|,.*\bincluding\b.*$|"
                      r"\s+(?:operating|working|based|active|involved|engaged|located|deployed|present|doing\s+business)"
                      r"\s+(?:in|on|at|with|from|inside|across)\b.*$", re.S)  # "the companies operating in X"
GRATEFUL = re.compile(r"^(?:we|i)\s+(?:also\s+)?(?:would|should|will|am|are)\s+(?:also\s+)?(?:be\s+)?(?:most\s+|very\s+|extremely\s+|deeply\s+)?"
                      r"(?:grateful|obliged|thankful)\s+if\s+(?P<who>you|the\s+[A-Z][^,;]{2,80}?)\s+(?:would|could|will|can)\s+[a-z]", re.I)
EVERY_MUST = re.compile(r"^(?:[Ee]very|[Ee]ach)\s+[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,3}\s+must\s+(?:also\s+)?(?:have|be|get|receive|include)\b")
THAT_ITEM = re.compile(r"^\s*That\s+(?!(?:is|was|said|has|had|will|would|may|might|must|should|can|could|means?)\b)(?:the\s+|all\s+)?\w")
OPEN_INTRO = re.compile(rf"\b{VERBS}\s+that\s+(?P<who>(?:the\s+)?[A-Z][^:;.]{{1,100}}|your\s+[A-Z]\w+)$")  # "we ask that the Commission" / "1. establish ..."
TO_LINE = re.compile(r"^To\s+(?P<who>(?:(?:the|all)\s+\w|[a-z]+\s+[a-z]+\s+of\s+|[A-Z])[^:.;]{2,150})$")  # "To the Government of X" over "- keep ..."
ITEM_THAT = re.compile(r"^[Tt]hat\s+(?:the\s+)?[A-Z]")
ITEM_AGENTS = re.compile(rf"^(?P<who>(?:the\s+|all\s+)?(?:[\w'’.-]+\s+){{0,2}}?{AGENTS})\s+to\s+[a-z]")  # "- donors to fund"
ASIDE = re.compile(r",\s+(?:and\s+)?(?:in\s+particular|especially|notably|above\s+all|including)\s+[^,;]{1,80},(?=\s)")  # "X, including Y, should"
RELATIVE_ASIDE = re.compile(r"(?<=[a-z])\s*,\s+(?:which|who)\s+[^,;]{1,120},(?=\s+(?:should|must)\s)")
NOTHING = re.compile(r"(?:nothing|anything|everything|no\s+one|nobody|little|much)\b", re.I)
PAPER_SUBJECT = re.compile(r"^(?:The|This|Their|Our|Its)\s+(?:[\w-]+\s+){0,2}?(?:statement|letter|appeal|petition|declaration|submission)\b")
WE_ASK_THAT = re.compile(rf"^(?:{LEAD})?(?:we|i)(?:,[^,]{{1,100}},)?\s+{ADVERBS}{VERBS}\s+(?P<rest>that\s+.+)$",
                         re.I)  # "We request that the X open ..."
MARKUP_ENDS = re.compile(r"^[#*\s]+|[*\s]+$")
MARKUP_LEAD = re.compile(r"^[-*•#\s]+")
VOCATIVE = re.compile(r"you,\s+(?P<name>[A-Z][^,;:]{2,60})")  # "you, Monsieur le Président"
AGENT_ITEM = re.compile(rf"^(?:the\s+|all\s+)?(?:[\w'’.-]+\s+){{0,3}}?{AGENTS}$")
PLURAL_AGENTS = re.compile(rf"^(?P<a>(?:the\s+|all\s+)?{AGENTS})\s+(?:and|&)\s+(?P<b>(?:the\s+|all\s+)?{AGENTS})$")


def calls_to_action(text: str, body: Span, doc_type: str, furniture: tuple[Span, ...] = ()) -> list[CallToAction]:
    """Every demand made in the body, listed ones first, then demand sentences; none in the
    page's furniture (a reader's comment under a post is not the page's demand)."""
    if doc_type == "news":
        return []
    you = tuple(a.text for a in letter_addressees(lines(text)))
    listed, covered = _listed(text, body, you)
    said = _sentences(text, body, you, retold=doc_type != "letter")
    said += [c for ps in _postscripts(text, body) for c in _sentences(text, ps, you)] if doc_type == "letter" else []
    loose = [c for c in said if not any(_overlaps(c.span, s) for s in covered)
             and not any(f.start <= c.span.start < f.end for f in furniture)
             and not (doc_type != "letter" and THEY_GROUPS.match(c.text))]  # a page that tells what "the organisations" ask
    return sorted(listed + loose, key=lambda c: c.span.start)


POSTSCRIPT = re.compile(r"^[ \t]*(?:\*\*|__)?P\.[ \t]?S\.?(?:\*\*|__)?[ \t:]+(?=\S)", re.M)


def _postscripts(text: str, body: Span) -> list[Span]:
    """A letter's postscript under the signatures ("P.S. We ask the Commission to ..."): its
    paragraph is the letter's own words, and may ask for something more."""
    out = []
    for m in POSTSCRIPT.finditer(text, body.end):
        end = text.find("\n\n", m.end())
        out.append(Span(m.end(), len(text) if end < 0 else end))
    return out[:3]


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _listed(text: str, body: Span, you: tuple[str, ...]) -> tuple[list[CallToAction], list[Span]]:
    found, covered = [], []
    body_lines = [l for l in lines(text) if l.start >= body.start and l.end <= body.end]
    i = 0
    while i < len(body_lines):
        flat = MARKUP_ENDS.sub("", _wrapped(body_lines, i))
        intro = _intro(flat) or _to_heading(body_lines[i].text) or _open_intro(body_lines, i, flat)
        if not intro:
            i += 1
            continue
        items, j = _items(body_lines, _after_blank(body_lines, i + 1) if intro.re in (TO_HEADING, OPEN_INTRO) else i + 1,
                          that_items=intro.re is INTRO)
        who = _recipients(intro.group("who") or intro.groupdict().get("who2") or "", you)
        for number, span in items:
            span, lead = _bold_lead(text, span)  # "- **that** the X ...": the call starts after the emphasised "that"
            span, bold_who = _bold_subject(text, span)
            item = squash(text[span.start:span.end])
            modal = None if who else (SHOULD.match(item) or MUST.match(item))
            modal = modal if modal and not _pronoun(modal.group("who")) else None  # "R1. The Council should ..."
            asked = (ITEM_ASKED.match(item) or ITEM_AGENTS.match(item)) if not who and not modal and not THAT_ITEM.match(item) \
                else None  # "1. The Government of X to ..."
            clause = f"That {item}" if lead else item
            subject = _recipients(clause) if not who and not asked and not modal and ITEM_THAT.match(clause) else ()  # "a) That the X assign ..."
            subject = subject or (_recipients(modal.group("who")) if modal else ())
            asked_of = _recipients(asked.group("who")) if asked else subject or who
            found.append(CallToAction(position=number, text=item, span=span, recipients=(bold_who,) if bold_who else asked_of))
        if items:
            covered.append(Span(body_lines[i].start, items[-1][1].end))
        i = max(j, i + 1)
    return found, covered


def _bold_lead(text: str, span: Span) -> tuple[Span, bool]:
    """An item opening with an emphasised "that" ("**that** the X ..."): the item after it."""
    m = re.match(r"(?:\*\*|__)that(?:\*\*|__)\s+", text[span.start:span.end], re.I)
    return (Span(span.start + m.end(), span.end), True) if m else (span, False)


def _bold_subject(text: str, span: Span) -> tuple[Span, str | None]:
    """An item whose subject is set in bold with its number ("**1. The State Government**
    withdraw its report"): the subject is asked, the call is what follows."""
    if not re.search(r"(?:\*\*|__)\d{1,2}[.)]\s*$", text[max(0, span.start - 12):span.start]):
        return span, None
    m = re.match(r"\s*(?P<who>(?:[Tt]he\s+)?[A-Z][^*_\n]{1,100}?)\s*(?:\*\*|__)\s+(?=[a-z])", text[span.start:span.end])
    return (Span(span.start + m.end(), span.end), m.group("who")) if m else (span, None)


def _wrapped(body_lines, i: int) -> str:
    """Line i, with the lines of its paragraph before it when it goes on from them (a hard-wrapped
    introduction: "... request the Committee to" / "recommend that the State party:")."""
    text = body_lines[i].text
    k = i
    while text.endswith(":") and text[:1].islower() and k > 0 and i - k < 3 and body_lines[k - 1].text.strip() \
            and body_lines[k - 1].end + 1 == body_lines[k].start:
        k -= 1
        text = body_lines[k].text.rstrip() + " " + text.lstrip()
    return text


def _to_heading(raw: str) -> re.Match | None:
    """A sub-heading that names who the items under it are asked of: "**To the Government of
    X**", "### To donors", "To the Council:"."""
    return TO_HEADING.match(raw.strip())


def _open_intro(body_lines, i: int, flat: str) -> re.Match | None:
    """An introduction with no colon, known by the list under it: "we ask that the Commission"
    over a blank and "1. establish ...", or "To the Government of X" right over "- keep ..."."""
    to = TO_LINE.match(flat)
    if to:
        following = body_lines[i + 1].text if i + 1 < len(body_lines) else ""
        bullet = NUMBERED.match(following)
        return to if bullet and following[bullet.end():bullet.end() + 1].islower() else None
    asked = OPEN_INTRO.search(flat)
    k = _after_blank(body_lines, i + 1)
    following = body_lines[k].text if asked and k < len(body_lines) else ""
    item = NUMBERED.match(following)
    return asked if item and following[item.end():item.end() + 1].islower() else None


def _after_blank(body_lines, i: int) -> int:
    return i + 1 if i < len(body_lines) and body_lines[i].blank else i


def _intro(flat: str) -> re.Match | None:
    """A line that introduces a list of demands: "We urge the Council to:" or "Recommendations".
    A verb's introduction ends with a colon and holds no other, so only the stretch after the
    one before it is searched (a long line with many verbs is not searched once per verb)."""
    verb = INTRO.search(flat, flat.rfind(":", 0, len(flat) - 1) + 1) if flat.endswith(":") else None
    return verb or INTRO_NOUN.match(flat)


def _items(body_lines, i, *, that_items: bool = False):
    """Listed items from line i: each runs to the next item or the first blank after text.
    Numbers and letters give positions; bullets give none.  With ``that_items`` (under "We
    ask:"), paragraphs opening "That the X ..." are items too, a petition's way of listing."""
    items: list[list] = []
    roman = False  # "(i) ... (ii) ... (iii)": the numbers are roman
    lettered = False  # the list opens with "a)" or "(i)": a number after it is the text's next paragraph
    while i < len(body_lines):
        line = body_lines[i]
        m = NUMBERED.match(line.text)
        if m and items and lettered and (m.group("num") or m.group("bold")):
            break  # "a) ... b) ... c) ..." under paragraph 9, then "10. The organisations also urge ...": the next paragraph
        if m:
            lettered = lettered or not items and bool(m.group("letter") or m.group("roman"))
            num = m.group("num") or m.group("label") or m.group("code") or m.group("bold")  # "**R1.** The Council should ...", "R1. name ..."
            roman = bool(m.group("roman")) or roman or m.group("letter") == "i" and not items
            number = int(num) if num else _lettered(m, roman)
            items.append([number, Span(line.start + m.end(), line.span.end)])
        elif that_items and THAT_ITEM.match(line.text) and (not items or items[-1][0] is None):  # a petition's "That the X ..." paragraphs
            items.append([None, Span(line.start + len(line.text) - len(line.text.lstrip()), line.span.end)])
        elif line.blank:
            following = body_lines[i + 1].text if i + 1 < len(body_lines) else ""
            if items and following and not NUMBERED.match(following) and not body_lines[i + 1].blank \
                    and not (that_items and THAT_ITEM.match(following) and items[-1][0] is None):
                i += 1
                break
        elif items:
            items[-1][1] = Span(items[-1][1].start, line.span.end)
        else:
            break
        i += 1
    return [(n, s) for n, s in items], i


STEPS = re.compile(r"\s+to\s+(?:take|adopt|consider|implement|pursue)\s+(?:the\s+following|these|(?:two|three|four|five|six|several|some)"
                   r"(?:\s+\w+)?)\s+(?:steps|measures|actions)$", re.I)
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def _lettered(m: re.Match, roman: bool) -> int | None:
    """An item's position from its letter or roman number: "(b)" is 2, "(iii)" is 3, and "(i)"
    is 1 when it opens the list or follows roman numbers (otherwise the ninth letter)."""
    letter = m.group("roman") or m.group("letter")
    if not letter:
        return None
    if m.group("roman") or letter in ("i", "v", "x") and roman:
        return ROMAN[letter]
    return ord(letter) - 96


def _recipients(who: str, you: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Who is asked, as written: "the African Union and the European Union" are two; "you"
    is the addressee; a relative clause ("..., including Qatar") is left out."""
    who = squash(who).strip(" ,")
    who = re.sub(r"^you,\s+(?:once\s+(?:again|more)|again|therefore|respectfully|urgently)$", "you", who, flags=re.I)  # "ask you, once again:"
    if re.match(r"that\s+you\b", who, re.I):  # "We request that you meet the families"
        return you
    vocative = VOCATIVE.fullmatch(who)
    if vocative:  # "ask you, Madam Chair:": the addressee, called by the greeting's name
        return you or (vocative.group("name"),)
    if you and re.fullmatch(r"(?:that\s+)?your\s+office", who, re.I):  # "your Office": the greeted addressee
        return you
    if re.match(r"that\s+(?!you\b)(?!your\b)", who, re.I):  # "demand that the Government of X immediately halt ...": the subject
        who = re.match(r"[Tt]hat\s+((?:[Tt]he\s+)?(?:(?:[A-Z][\w'’.-]*|of|for|and|the|on|in)\s*)+)", who + " ")
        who = who.group(1) if who else ""
    who = re.sub(r"^(?:that|on|upon|to|the\s+following\s+(?:of|from))\s+", "", who.strip(), flags=re.I)
    who = STEPS.sub("", who)  # "ask you to take three steps:": the steps are the list
    who = RELATIVE.sub("", re.sub(r"\s+(?:to|that)$", "", who)).strip(" ,")
    who = re.sub(r"\s+to\s+(?:recommend|ensure|urge|ask|request|require|press|encourage|call\s+on)$", "", who)  # who is asked to ask
    if not who or who.lower() in {"them", "us", "it"}:
        return ()
    if who.lower() in {"you", "you all", "all of you", "each of you"}:
        return you
    pair = PLURAL_AGENTS.match(who)
    if pair:  # "Governments and companies": two
        return (pair.group("a"), pair.group("b"))
    parts = split_list(who, phrases=True) if "," not in who else _comma_listed(who)
    return tuple(p for p in parts if p)


def _comma_listed(who: str) -> list[str]:
    """"the Secretary-General, the High Commissioner and the Special Rapporteur" as three;
    anything else with a comma as written."""
    plain = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", who) if p.strip()]
    if len(plain) >= 3 and all(AGENT_ITEM.match(i) for i in plain):
        return plain  # "governments, donors and UN agencies"
    items = split_list(who, phrases=True)
    if len(items) >= 3 and all(re.match(r"(?:the\s+|all\s+)?[A-Z]", i) and (2 <= len(i.split()) <= 8 or is_acronym(i))
                               or AGENT_ITEM.match(i) for i in items):
        return items  # "the Secretary-General, the High Commissioner and the Special Rapporteur", "governments, donors and UN agencies"
    return [who]  # "the governments of Kenya, Uganda and Tanzania" is one


def _sentences(text: str, body: Span, you: tuple[str, ...], *, retold: bool = False) -> list[CallToAction]:
    """Demand sentences; with ``retold`` (a page or report), not one whose "it" is a letter
    the sentence before names ("The statement ... calls on X to .... It also asks Y to ...")."""
    found = []
    quoted = _Quotation(text)
    previous = ""
    for sentence in sentences(text, body.start, body.end):
        previous, before = sentence.text, previous
        if retold and sentence.text.startswith("It ") and PAPER_SUBJECT.match(before):
            continue
        span = sentence.span
        section = SECTION_NUMBER.match(sentence.text)
        if section:  # "5.2 The organisations further invite ...": a paragraph's number is not the call's
            span = Span(span.start + section.end(), span.end)
        flat = MARKUP_LEAD.sub("", squash(text[span.start:span.end]))
        if quoted.open_at(sentence.start) or flat.rstrip().endswith(":"):
            continue
        who = _asked(flat, you)
        if who is not None:
            found.append(CallToAction(None, flat, span, who))
    return found


def _asked(flat: str, you: tuple[str, ...]) -> tuple[str, ...] | None:
    """Who a demand sentence asks, or None when the sentence makes no demand."""
    asked: list[str] = []
    m = SUBJECT_VERB.match(flat)
    m = None if m and NOTHING.match(m.group("who")) else m  # "We ask nothing that is not already owed to us."
    if m and not (m.group(0).split()[0].lower() in PRONOUNS - {"we", "i", "it", "they"}):
        named_as = m.group("as") if m.group("as") and re.match(r"(?:the\s+|[A-Z])", m.group("as")) else None
        asked += _recipients(named_as or m.group("who"), you)  # "you, as Chair of X," but not "the Council, as a matter of urgency,"
    plain = ASIDE.sub("", flat)  # "The international community, and in particular the Council, must ..."
    plain = RELATIVE_ASIDE.sub("", plain, count=1)  # "The Office of X, which has had ... since 2013, should examine"
    for modal in (MUST, SHOULD, PASSIVE):
        mm = modal.match(plain)
        if mm and not _pronoun(mm.group("who")):
            passive = modal is PASSIVE or modal is MUST and mm.group("passive")
            asked += () if passive else _recipients(mm.group("who"), you)
            m = m or mm
    if m is not None and len(plain) <= 2000:  # "X must halt the attacks, and the United Nations must send observers"
        for clause in re.split(r",\s+and\s+|;\s+(?:and\s+)?", plain)[1:]:
            for modal in (MUST, SHOULD):
                mm = modal.match(clause)
                if mm and not _pronoun(mm.group("who")) and not (modal is MUST and mm.group("passive")):
                    asked += _recipients(mm.group("who"), you)
                    break
    for inner in INNER.finditer(flat, m.end() if m else 0):
        if NOTHING.match(inner.group("who")):
            continue
        asked += _recipients(inner.group("who"), you)
        m = m or inner
    that = WE_ASK_THAT.match(flat)
    if m is None and that:  # "We request that the Prosecutor open ...": the one asked to act
        subject = () if PASSIVE_THAT.match(that.group("rest")) else _recipients(that.group("rest"), you)
        return subject or you  # "I also ask that the Fund be given a role": asked of the addressee
    if m is None and NOUN_DEMAND.match(flat):
        return you  # "We call for the release of ...": asked of the addressee
    essential = ESSENTIAL.match(flat)
    if m is None and essential and not PASSIVE_THAT.match(essential.group("rest")):
        return _recipients(essential.group("rest"), you) or None
    grateful = GRATEFUL.match(flat)
    if m is None and grateful:  # "I would be grateful if you would send ...": a polite request of the addressee
        return _recipients(grateful.group("who"), you) or None
    if m is None and EVERY_MUST.match(flat):
        return ()  # "Every camp must have doctors": a demand that names no one to meet it
    return tuple(dict.fromkeys(asked)) if m else None


def _pronoun(who: str) -> bool:
    words = who.lower().split()
    return who.lower() in PRONOUNS or words[0] in PRONOUNS - {"all"}


def _in_quotation(text: str, position: int) -> bool:
    """True when an opening quotation mark before ``position`` in its paragraph is not closed.

    >>> _in_quotation('He said: "We urge the Council to act.', 9), _in_quotation('He said: "We urge." Then', 20)
    (False, False)
    >>> _in_quotation('He said: "We urge." Then', 10)
    True
    """
    return _Quotation(text).open_at(position)


class _Quotation:
    """Quotation marks counted from the start of the paragraph, for positions asked in text
    order: each stretch of text is counted once (asked out of order, it counts afresh)."""

    def __init__(self, text: str):
        self.text, self.at, self.para_start = text, 0, 0
        self.counts = [0, 0, 0]  # “, ” and "

    def open_at(self, position: int) -> bool:
        text = self.text
        if position < self.at:
            self.at, self.para_start, self.counts = 0, 0, [0, 0, 0]
        brk = text.rfind("\n\n", max(0, self.at - 1), position)  # a paragraph break since the last position
        if brk >= 0:
            self.para_start, self.counts, self.at = brk + 1, [0, 0, 0], brk + 1
        self._count(self.at, position)
        self.at = position
        opened, closed, straight = self.counts
        return opened > closed or straight % 2 == 1

    def _count(self, start: int, end: int) -> None:
        if end > start:
            self.counts[0] += self.text.count("“", start, end)
            self.counts[1] += self.text.count("”", start, end)
            self.counts[2] += self.text.count('"', start, end)
