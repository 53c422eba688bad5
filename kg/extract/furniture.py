"""Page furniture: the lines of a captured web page that are not the document.

Menus, "Skip to main content", share buttons, tweets, newsletter boxes, cookie notices,
"You might also like", footers, adverts and photo captions stay in the stored text (so that
offsets stay honest) but are marked here so that extraction skips them.  Three rules:

- a line that is furniture by itself ("Share this:", "© 2023 ...", "Page 2 of 3", a bare URL);
- a paragraph that holds a tweet (a hashtag, an ``@handle``, "Retweeted");
- the lines under a furniture heading ("You might also like", "Latest tweets", "Newsletter")
  up to the next heading or paragraph of running text.

>>> is_furniture_line("  • About Us")
True
>>> is_furniture_line("### Share this:")
True
>>> is_furniture_line("We call on all states to act.")
False
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..records import Span
from .text import Line, lines  # noqa: F401 (lines: doctests)

_SOCIAL = r"facebook|twitter|x|linkedin|whatsapp|instagram|youtube|telegram|reddit|bluesky|mastodon|threads|email|e-mail|print|copy link"
_EXACT = re.compile(
    r"^(skip to (main |the )?(content|navigation|search)|skip navigation|menu|main menu|search|share|"
    r"share (this|this page|this article|this post|this story|this event|on)?|tweet|follow|follow us|load more\.*|"
    rf"{_SOCIAL}|you (?:might|may) also like|safeguarding|accessibility|cookies|cookie policy|imprint|impressum|legal notice|disclaimer|related( articles| stories| posts| content| news)?|"
    r"read more|read next|more from [\w ]{1,30}|most (read|popular)|trending( now)?|"
    r"read the (full )?(letter|blog|report|statement)|advertisement|advert|sponsored( content)?|"
    r"cookie settings|manage cookies|accept( all)?( cookies)?|reject( all)?( cookies)?|got it!?|learn more|"
    r"sign up|subscribe|donate|donate now|privacy( policy)?|terms( of use| and conditions| of service)?|"
    r"sitemap|latest news|latest tweets|site links|get in contact|contact( us)?|send us an email|"
    r"make a donation|support us|back to top|home|next|previous|close|open menu|comments?|"
    r"newsletter|stay informed|stay in touch|join our mailing list|log ?in|sign in|register|register (?:now|here)|book now|rsvp|"
    r"(?:your|we value your|about your) privacy(?: choices| settings)?|privacy (?:settings|preferences|choices)|"
    r"yes,? i'?m happy|i agree|i accept|agree and close)\s*[:!.]?$", re.I)
_ATTRIBUTION = re.compile(r"^\s*[—–-]\s*[^()\n]{2,80}\(@\w{1,30}\)")  # an embedded tweet's attribution
_PATTERNS = [
    re.compile(r"^\s*[•·▪►»]\s"),  # menu bullets
    re.compile(r"^\s*https?://\S+\s*$"),  # a bare URL (footnote links, tweets)
    re.compile(r"^\s*www\.\S+\s*$"),
    re.compile(r"@\w+\s*·|\bRetweeted\b|^\s*\d+\s*[hm]\s*$|Twitter\s*$|^\s*pic\.twitter\.com", re.I),
    _ATTRIBUTION,
    re.compile(r"©|\(c\)\s*(19|20)\d\d|all rights reserved|privacy policy|cookie", re.I),
    re.compile(r"\b(?:store|and/or access|access) information on (?:a|your) device\b|\bpersonali[sz]ed (?:ads|advertising)\b",
               re.I),  # a consent banner that does not say "cookie"
    re.compile(r"\bby continuing to (?:browse|use|visit)\b|\bprivacy (?:notice|statement)\b", re.I),  # a consent banner
    re.compile(r"\bwith your consent\b|\b(?:accept|agree|allow)(?: all)?\s*[|·/]?\s*(?:reject|decline|refuse|deny)(?: all)?\s*$",
               re.I),  # "... with your consent, analytics. Accept Reject": a consent banner and its two buttons
    re.compile(r"\b(newsletter|subscribe|sign up today|sign up for|in your inbox|to your inbox)\b", re.I),
    re.compile(r"\b(?:is|are) funded by (?:its|our) readers\b|\bsupport (?:independent|our) journalism\b|"
               r"\bwe do not track you\b", re.I),  # a news site's appeal to its readers over the page
    re.compile(r"/(The )?(Associated Press|AP|Reuters|AFP|Getty Images|EPA|Bloomberg)\s*$|^\s*(Photo|Image|Credit|Photograph):", re.I),
    re.compile(r"\b(Photo|Photograph|Image|Picture|Credit)s?\s*(:|by)\s*[A-Z][^.:]{1,60}$"),  # a caption's credit
    re.compile(r"^\s*(registered charity|registered company|website (developed|designed) by)|\bis a registered (?:charity|company)\b",
               re.I),  # "X (Yorkshire) is a registered charity in England and Wales, no. 1100000."
    re.compile(r"^\s*(share|follow us|like us) on\b", re.I),
    re.compile(r"^\s*(posted|filed) (in|under)\s+[\w ,&-]{1,60}$|^\s*(tags|categories|category)\s*:", re.I),
    re.compile(r"^\s*(?:page|página|pagina|seite)\s+\d+\s+(?:of|de|sur|von)\s+\d+\s*(?:[-–—|·]\s*\S.*)?$", re.I),  # "Page 1 of 2 - X, Town - www.x.org"
    re.compile(r"^\s*page \d+( of \d+)?\s*$|^\s*[-–—(\[]?\s*\d{1,3}\s*(?:/\s*\d{1,3})?\s*[-–—)\]]?\s*$", re.I),  # page numbers
    re.compile(r"^\s*(home|start)\s*[›>»/|]|^\s*[›»](\s|$)", re.I),  # breadcrumbs
    re.compile(r"^\s*[A-Z][^>›»\n]{0,40}?(?:\s+[>›»]\s+[A-Z][^>›»\n]{0,40}?){1,4}\s*$"),  # "Events  >  Remembrance"
]
_TWEET = re.compile(r"(?:^|\s)#[A-Za-z]\w{2,}|\(@\w{1,30}\)|\bRetweeted\b")
_SECTION = re.compile(
    r"^(you (?:might|may) also like|related( articles| stories| posts| content| news)?|"
    r"(?:the\s+)?(?:latest|recent)(?: (news|tweets|posts|updates|articles|stories|press releases|(?:from|in) (?:the\s+)?[\w ]{1,30}))?|"
    r"most (read|popular)|more from [\w ]{1,30}|read next|trending( now)?|newsletter|stay informed|"
    r"recommended( for you)?|popular (posts|stories)|tags?|categories|archives|recent posts|"
    r"(?:\d{1,4}\s+)?(?:reader\s+)?(?:comments?|responses?|replies)|leave a (?:reply|comment)|join the discussion)\s*:?$", re.I)
_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\*\*|__)")


def bare(line: str) -> str:
    """A line without Markdown heading or list markers and emphasis.

    >>> bare("## **Share this:**")
    'Share this:'
    """
    text = line.strip()
    while _MARKUP.match(text):
        text = _MARKUP.sub("", text, count=1).strip()
    return text.strip("*_ ")


@lru_cache(maxsize=16384)
def is_furniture_line(line: str) -> bool:
    """True for a line that belongs to a page's furniture, not to its document (cached: the
    signature reader asks again for the lines under the sign-off, and a site's pages repeat
    their menus and footers)."""
    text = bare(line)
    if not text:
        return False
    if _EXACT.match(text):
        return True
    return any(p.search(line) for p in _PATTERNS)


def furniture_lines(all_lines: list[Line]) -> set[int]:
    """Indexes of furniture lines: single lines, tweets, sections under a furniture heading,
    and breadcrumbs (a line ending in the next heading)."""
    marked = {i for i, line in enumerate(all_lines) if is_furniture_line(line.text)}
    marked |= _tweets(all_lines)
    marked |= _sections(all_lines)
    marked |= _captions(all_lines)
    marked |= _consent_buttons(all_lines)
    texts = [line.stripped for line in all_lines]
    for i, text in enumerate(texts):
        if i in marked or len(text) < 20:
            continue
        for j in range(i + 1, min(i + 4, len(texts))):
            later = texts[j]
            if later and len(later) >= 15 and text != later and text.endswith(later):
                marked.add(i)  # "Home > News > Title" above "Title"
    return marked


def paragraphs(all_lines: list[Line]) -> list[list[int]]:
    """Runs of non-blank lines, as lists of line indexes."""
    out: list[list[int]] = []
    for i, line in enumerate(all_lines):
        if line.blank:
            continue
        if out and out[-1][-1] == i - 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _tweets(all_lines: list[Line]) -> set[int]:
    """A short paragraph with a hashtag or an @handle is an embedded post, as is the
    paragraph just before its attribution line."""
    marked: set[int] = set()
    paras = paragraphs(all_lines)
    for k, para in enumerate(paras):
        text = " ".join(all_lines[i].stripped for i in para)
        if len(text) <= 600 and _TWEET.search(text):
            marked.update(para)
            if k and _ATTRIBUTION.match(all_lines[para[0]].text):
                marked.update(paras[k - 1])
    return marked


_IMAGE = re.compile(r"^\s*(?:!\[[^\]]*\]\([^)]*\)|\[(?:image|photo|picture|photograph)[^\]]*\])\s*$", re.I)


def _captions(all_lines: list[Line]) -> set[int]:
    """An image in Markdown (``![alt](src)``) or a placeholder ("[Image]"), and the short line
    under it that says what it shows, credit or none.

    >>> sorted(_captions(lines("Title\\n\\n![](a.jpg)\\n*Families at a vigil in Kigali*\\n\\nText.")))
    [2, 3]
    """
    marked: set[int] = set()
    for i, line in enumerate(all_lines):
        if not _IMAGE.match(line.text):
            continue
        marked.add(i)
        j = i + 1
        while j < len(all_lines) and all_lines[j].blank and j - i <= 2:
            j += 1
        if j < len(all_lines) and not all_lines[j].blank and len(all_lines[j].text.split()) <= 30 \
                and not all_lines[j].text.lstrip().startswith("#") and not _IMAGE.match(all_lines[j].text):
            marked.add(j)
    return marked


_BUTTON = re.compile(r"^(?:accept|allow|agree|ok|okay|got\s+it|decline|reject|refuse|deny|read\s+more|learn\s+more|settings|"
                     r"manage(?:\s+\w+)?|customi[sz]e|preferences|more\s+information)(?:\s+all)?\s*[.!]?$", re.I)
_YES = re.compile(r"^(?:accept|allow|agree)", re.I)
_NO = re.compile(r"^(?:decline|reject|refuse|deny)", re.I)


def _consent_buttons(all_lines: list[Line]) -> set[int]:
    """A consent dialog's buttons on lines of their own ("Allow" / "Decline" / "Read more"),
    and the short paragraph above them that asks.

    >>> sorted(_consent_buttons(lines("We would like to count visits. We only do so if you allow it.\\n\\nAllow\\nDecline\\n\\n# Title")))
    [0, 2, 3]
    """
    marked: set[int] = set()
    i = 0
    while i < len(all_lines):
        j = i
        while j < len(all_lines) and _BUTTON.match(bare(all_lines[j].text)):
            j += 1
        run = [bare(l.text) for l in all_lines[i:j]]
        if any(_YES.match(t) for t in run) and any(_NO.match(t) for t in run):
            marked.update(range(i, j))
            marked.update(_asking_paragraph(all_lines, i))
        i = max(j, i + 1)
    return marked


def _asking_paragraph(all_lines: list[Line], i: int) -> set[int]:
    """The paragraph of at most four lines and sixty words just above line ``i``."""
    k = i - 1
    while k >= 0 and all_lines[k].blank and i - k <= 2:
        k -= 1
    para = []
    while k >= 0 and not all_lines[k].blank and len(para) < 5:
        para.append(k)
        k -= 1
    words = sum(len(all_lines[p].text.split()) for p in para)
    return set(para) if para and len(para) <= 4 and words <= 60 else set()


def _sections(all_lines: list[Line]) -> set[int]:
    """Lines under a furniture heading, up to the next heading or running text."""
    marked: set[int] = set()
    i = 0
    while i < len(all_lines):
        if not _SECTION.match(bare(all_lines[i].text)):
            i += 1
            continue
        marked.add(i)
        j = i + 1
        while j < len(all_lines) and j - i <= 25:
            line = all_lines[j]
            if line.text.lstrip().startswith("#") or len(line.text.split()) >= 25:
                break
            if not line.blank:
                marked.add(j)
            j += 1
        i = j
    return marked


def regions(all_lines: list[Line], marked: set[int]) -> tuple[Span, ...]:
    """Marked lines merged into spans (blank lines between marked lines join them).

    >>> from kg.extract.text import lines
    >>> regions(lines("Menu\\n\\nShare\\nText\\nHome"), {0, 2, 4})
    (Span(start=0, end=11), Span(start=17, end=21))
    """
    spans: list[Span] = []
    previous = -1
    for i in sorted(marked):
        line = all_lines[i]
        if spans and _only_blank_between(all_lines, previous, i):
            spans[-1] = Span(spans[-1].start, line.end)
        else:
            spans.append(Span(line.start, line.end))
        previous = i
    return tuple(spans)


def _only_blank_between(all_lines: list[Line], first: int, last: int) -> bool:
    """The lines strictly between two line indexes are blank (each line is looked at once
    when the indexes come in order)."""
    return all(all_lines[j].blank for j in range(first + 1, last))
