"""The bad-input corpus: every case, how to make it, and what ``kg`` must do with it.

A case changes a copy of a small project (``seeds/`` holds one good letter, ``good.txt``, and
``build/`` holds the graph built from it), runs one ``kg`` command line and states the outcome:

- ``refused``: exit 3 (exit 2 for a command line that click itself rejects), and for exit 3 one
  line on stderr, ``kg: error: ...``, naming the file or argument (``names``), matching every
  regular expression in ``words`` and ending in a hint in parentheses (what to do); the previous
  store and dumps are byte-identical afterwards and no partial release is left behind.
- ``accepted``: exit 0; a warning (``kg: warning: ...``) matching ``words`` where something was
  repaired or skipped; the documents in ``docs`` are in the graph, ``check`` holds for the
  stored text of each.

Document and metadata cases that are accepted are compiled together (``batch``): one folder
holds all of them; it is read, extracted, linked, mapped, loaded into a store and dumped in
every format once (SHACL validation costs about a second per document, so CI validates the
batch only with ``KG_SLOW=1``), and the cases marked ``e2e`` also run alone through the
whole ``kg build``.  ``scope="read"`` marks the two
cases whose full build is too slow for CI (a 10 MB line, thousands of files): CI runs the read
stage on them, ``KG_SLOW=1`` the whole build, and ``benchmarks/bigdoc.py`` times the build.

``pending`` names the fix a case waits for (the test is an expected failure until then); see
docs/RELIABILITY.md for the table.  Big and binary files come from ``make_corpus.py``.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import make_corpus as mc

GOOD = "good.txt"  # the one document of the template project's seeds


@dataclass
class Ctx:
    """What a case can change: the project copy, its seeds and output folders, and a folder
    outside the project (for links that point out of it)."""

    root: Path
    outside: Path
    held: list = field(default_factory=list)  # things to release after the run (held locks)

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def out(self) -> Path:
        return self.root / "build"

    def write(self, rel: str, data: bytes | str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def release(self) -> Path:
        return (self.out / "current").resolve()


@dataclass(frozen=True)
class Case:
    id: str
    category: str
    make: Callable[[Ctx], None]
    outcome: str  # "refused" | "accepted"
    args: tuple[str, ...] = ("build",)
    exit: int | None = None  # default: 3 refused, 0 accepted
    names: str | None = None  # the file or argument the one-line error names
    words: tuple[str, ...] = ()  # regular expressions the message (or a warning) must match
    warns: bool = False  # accepted: a warning matching words is printed
    docs: tuple[str, ...] = ()  # accepted: paths (relative to seeds/) that are in the graph
    absent: tuple[str, ...] = ()  # accepted: paths that must not be in the graph (skipped)
    check: Callable[[str], bool] | None = None  # accepted: holds for the stored text of docs
    pending: str | None = None  # the fix this case waits for (an expected failure until then)
    process: bool = False  # run ``kg`` as a process (hangs, file names that are not UTF-8)
    timeout: float = 60.0
    scope: str = "cli"  # "read": CI checks the read stage only (the build is in benchmarks/)
    then_build: bool = False  # after the command, ``kg build`` succeeds (a damaged store is replaced)
    after: Callable[[Ctx], None] | None = None  # more checks on the project after the command
    e2e: bool = False  # a batched case that also runs alone through the whole ``kg build``

    @property
    def expected_exit(self) -> int:
        if self.exit is not None:
            return self.exit
        return 3 if self.outcome == "refused" else 0

    @property
    def batch(self) -> bool:
        """Accepted document and metadata cases share one build."""
        return (self.outcome == "accepted" and self.category in ("documents", "metadata", "paths")
                and self.args == ("build",) and self.scope == "cli" and not self.pending and not self.process)


CASES: list[Case] = []


def case(id: str, category: str, outcome: str, make: Callable[[Ctx], None], **kw) -> None:
    CASES.append(Case(id, category, make, outcome, **kw))


def put(rel: str, data) -> Callable[[Ctx], None]:
    """Make a file under seeds/ (``data`` may be a function returning bytes or str)."""
    def make(ctx: Ctx) -> None:
        ctx.write(f"seeds/{rel}", data() if callable(data) else data)
    return make


def both(*makes: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
    def make(ctx: Ctx) -> None:
        for m in makes:
            m(ctx)
    return make


def L(title: str, **kw) -> str:
    """A small letter with its own title (so that batched cases are told apart)."""
    return mc.letter(f"Open Letter to the Council on {title}", **kw)


def refused(id: str, category: str, make, names: str | None, *words: str, **kw) -> None:
    case(id, category, "refused", make, names=names, words=words, **kw)


def accepted(id: str, category: str, make, docs=(), *words: str, **kw) -> None:
    case(id, category, "accepted", make, docs=tuple(docs), words=words, warns=bool(words), **kw)


def no_cr(text: str) -> bool:
    return "\r" not in text


# ==========================================================================================
# Documents


refused("doc-empty", "documents", put("empty.txt", b""), "empty.txt", "no text")
refused("doc-whitespace", "documents", put("blank.txt", " \n\t\n  \r\n\f "), "blank.txt", "no text")
refused("doc-unicode-whitespace", "documents", put("nbsp.txt", "\u00a0\u2003\n\u3000\u2029"), "nbsp.txt", "no text")
refused("doc-binary", "documents", put("random.txt", lambda: mc.random_bytes(10_000)), "random.txt", "binary")
refused("doc-nul-bytes", "documents", put("nuls.txt", L("NUL Bytes").replace(" ", "\x00").encode()),
        "nuls.txt", "binary|NUL")
refused("doc-one-nul", "documents", put("one-nul.txt", L("One NUL").encode() + b"\x00"), "one-nul.txt", "binary|NUL")
refused("doc-invalid-utf8", "documents",
        put("bad-utf8.txt", "Open Letter on Broken Bytes\n\n".encode() + b"caf\x81 \x8d\x8f\x90\x9d" * 40),
        "bad-utf8.txt", "UTF-8")
refused("doc-utf16-broken", "documents",
        put("bad-utf16.txt", b"\xff\xfe" + "Open Letter".encode("utf-16-le") + b"\x00\xd8\x41\x00\x42"),
        "bad-utf16.txt", "UTF-16|UTF-8")
refused("doc-over-size-limit", "limits", put("big.txt", lambda: mc.big_text(60 * mc.MB)), "big.txt",
        "50000000|50 MB", "max_document_bytes", "kg.toml")
refused("doc-html-too-deep", "limits", put("deep.html", mc.nested_html), "deep.html", "nest", "max_nesting")
refused("doc-html-only-script", "documents",
        put("script.html", "<html><head><script>var x = 1;</script></head><body><script>go()</script></body></html>"),
        "script.html", "no text")
refused("doc-pdf-truncated", "documents", put("truncated.pdf", mc.pdf_truncated), "truncated.pdf", "PDF")
refused("doc-pdf-encrypted", "documents", put("encrypted.pdf", lambda: mc.pdf_encrypted("user-secret")),
        "encrypted.pdf", "encrypted", "password|unencrypted")
refused("doc-pdf-certificate-encrypted", "documents", put("certificate.pdf", mc.pdf_certificate_encrypted),
        "certificate.pdf", "encrypt")
refused("doc-pdf-image-only", "documents", put("scanned.pdf", mc.pdf_image_only), "scanned.pdf", "no text", "OCR")
refused("doc-pdf-blank-page", "documents",
        put("blank.pdf", lambda: mc.pdf_bytes("\n")), "blank.pdf", "no text")
refused("doc-pdf-garbage", "documents", put("garbage.pdf", mc.pdf_garbage), "garbage.pdf", "PDF")
refused("doc-pdf-deep", "documents", put("deep.pdf", mc.pdf_deep), "deep.pdf", "PDF")
refused("doc-pdf-name-not-pdf", "documents", put("notes.pdf", L("Fake PDF")), "notes.pdf", "PDF")
refused("doc-zip-as-txt", "documents", put("archive.txt", mc.zip_bytes), "archive.txt", "ZIP")
refused("doc-gzip-as-txt", "documents", put("letter.gz.txt", mc.gzip_bytes), "letter.gz.txt", "gzip")
refused("doc-png-as-md", "documents", put("image.md", mc.png_bytes), "image.md", "PNG|image")
refused("doc-jpeg-as-html", "documents", put("photo.html", mc.jpeg_bytes), "photo.html", "JPEG|image")
refused("doc-docx", "documents", put("letter.docx", mc.docx_bytes), "letter.docx", r"docx|ZIP|Word")
refused("doc-old-word", "documents", put("letter.doc", mc.ole_bytes), "letter.doc", r"\.doc|Office|binary")
refused("doc-rtf", "documents", put("letter.rtf", mc.rtf_bytes), "letter.rtf", "RTF")
refused("doc-json", "documents", put("data.json", '{"title": "Open Letter", "signatories": ["A", "B"]}\n'),
        "data.json", r"\.json|format")
refused("doc-csv", "documents", put("signers.csv", "name,organisation\nJane Doe,Example Watch\n"),
        "signers.csv", r"\.csv|format")
refused("doc-fifo", "documents", lambda ctx: os.mkfifo(ctx.seeds / "pipe.txt"), "pipe.txt", "not a (regular )?file",
        process=True, timeout=5)


def _same_key(ctx: Ctx) -> None:
    ctx.write("seeds/Letter A.txt", L("Key One"))
    ctx.write("seeds/letter-a.txt", L("Key Two"))


refused("doc-same-key", "documents", _same_key, "letter-a.txt|Letter A.txt", "same key", "rename")


def _same_key_folders(ctx: Ctx) -> None:
    ctx.write("seeds/a/statement.txt", L("Folder One"))
    ctx.write("seeds/b/statement.txt", L("Folder Two"))


refused("doc-same-key-in-folders", "documents", _same_key_folders, "statement.txt", "same key", "rename")
refused("doc-newline-in-name", "documents", put("bad\nname.txt", lambda: mc.random_bytes(3000)), "name.txt",
        "binary")
refused("doc-name-not-utf8", "documents",
        lambda ctx: (ctx.seeds / os.fsdecode(b"caf\xe9.txt")).write_text(L("Latin-1 Name"), encoding="utf-8"),
        "caf", "name|rename", process=True)
refused("doc-many-empty-files", "documents", lambda ctx: mc.tiny_files(ctx.seeds / "tiny", 2000, b""),
        "tiny-00000.txt", "no text")
refused("doc-no-documents", "documents",
        lambda ctx: (ctx.seeds / GOOD).unlink() or ctx.write("seeds/README.md", "# About\n"),
        "seeds", "no documents")
refused("doc-only-hidden", "documents",
        lambda ctx: (ctx.seeds / GOOD).rename(ctx.seeds / ".good.txt"), "seeds", "no documents")


def _good(name: str, title: str):
    return put(name, L(title))


accepted("doc-utf8-bom", "documents", put("bom8.txt", b"\xef\xbb\xbf" + L("UTF-8 BOM").encode()), ["bom8.txt"],
         check=lambda t: not t.startswith("\ufeff") and t.startswith("Open Letter"))
accepted("doc-utf16le-bom", "documents", put("le-bom.txt", "\ufeff".encode("utf-16-le") + L("UTF-16 LE").encode("utf-16-le")),
         ["le-bom.txt"], check=lambda t: t.startswith("Open Letter to the Council on UTF-16 LE"))
accepted("doc-utf16be-bom", "documents", put("be-bom.txt", "\ufeff".encode("utf-16-be") + L("UTF-16 BE").encode("utf-16-be")),
         ["be-bom.txt"], check=lambda t: t.startswith("Open Letter to the Council on UTF-16 BE"))
accepted("doc-utf16le-no-bom", "documents", put("le.txt", L("UTF-16 LE Bare").encode("utf-16-le")), ["le.txt"],
         "le.txt", "UTF-16", check=lambda t: "UTF-16 LE Bare" in t)
accepted("doc-utf16be-no-bom", "documents", put("be.txt", L("UTF-16 BE Bare").encode("utf-16-be")), ["be.txt"],
         "be.txt", "UTF-16", check=lambda t: "UTF-16 BE Bare" in t)
accepted("doc-latin1", "documents", put("latin1.txt", L("Café Résumé Naïveté").encode("latin-1")), ["latin1.txt"],
         "latin1.txt", "Windows-1252|Latin-1|ISO-8859", check=lambda t: "Café Résumé Naïveté" in t, e2e=True)
accepted("doc-windows-1252", "documents",
         put("cp1252.txt", L("Smart Quotes", extra="They said \u201cnever again\u201d \u2013 it cost \u20ac5.").encode("cp1252")),
         ["cp1252.txt"], "cp1252.txt", "Windows-1252", check=lambda t: "\u201cnever again\u201d \u2013 it cost \u20ac5" in t)
accepted("doc-cr-only", "documents", put("cr.txt", L("Old Mac Line Ends").replace("\n", "\r").encode()), ["cr.txt"],
         check=lambda t: no_cr(t) and t.count("\n") >= 10)
accepted("doc-crlf", "documents", put("crlf.txt", L("Windows Line Ends").replace("\n", "\r\n").encode()), ["crlf.txt"],
         check=no_cr)
accepted("doc-mixed-line-ends", "documents",
         put("mixed.txt", L("Mixed Line Ends").replace("\n\n", "\r\n\r").replace("\n", "\r").encode()), ["mixed.txt"],
         check=no_cr)
accepted("doc-nfd", "documents", put("nfd.txt", unicodedata.normalize("NFD", L("Décembre Été"))), ["nfd.txt"],
         check=lambda t: "Décembre Été" in t and t == unicodedata.normalize("NFC", t))
accepted("doc-non-latin-names", "documents",
         put("chinese.txt", "Open Letter to 中国政府 on Detention\n\n3 May 2022\n\nWe urge 中国政府 to:\n\n1. Act now.\n\n"
                            "Yours sincerely,\n国际特赦组织\nМеждународная амнистия\n"), ["chinese.txt"])
accepted("doc-control-characters", "documents",
         put("ansi.txt", L("Terminal Colours", extra="\x1b[1mBold\x1b[0m text\x0b with\x0c a form feed.")), ["ansi.txt"])
accepted("doc-line-separators", "documents",
         put("separators.txt", L("Line Separators", extra="One\u2028two\u2029three\u0085four.")), ["separators.txt"])
accepted("doc-zero-width", "documents",
         put("zero-width.txt", L("Zero\u200bWidth", extra="Join\u200dme and \ufeffhere.")), ["zero-width.txt"])
accepted("doc-malformed-html", "documents", put("malformed.html", mc.malformed_html), ["malformed.html"],
         check=lambda t: "Broken Markup" in t)
accepted("doc-html-void-tags", "documents", put("many-br.html", mc.html_many_void_tags), ["many-br.html"],
         check=lambda t: "Line 2499 of the appeal" in t)
accepted("doc-html-declared-charset", "documents",
         put("declared.html", ('<html><head><meta charset="windows-1252"><title>x</title></head><body>'
                               '<h1>Open Letter to the Council on Declared Charsets</h1><p>3 May 2022</p>'
                               '<p>It cost \u20ac5 \u2013 \u201cquoted\u201d.</p></body></html>').encode("cp1252")),
         ["declared.html"], check=lambda t: "It cost \u20ac5 \u2013 \u201cquoted\u201d." in t, e2e=True)
accepted("doc-html-entities", "documents",
         put("entities.html", "<html><body><h1>Open Letter to the Council on Entities</h1>"
                              "<p>A &amp; B &#x201C;C&#x201D; &nbsp;&eacute; &#0; &bogus;</p></body></html>"),
         ["entities.html"], check=lambda t: "A & B \u201cC\u201d" in t and "\x00" not in t)
accepted("doc-markdown", "documents",
         put("md-letter.md", "# Open Letter to the Council on Markdown\n\n3 May 2022\n\n> quoted\n>> nested\n\n"
                          "* one\n  * two\n\n```\ncode\n```\n\nWe urge the Council to:\n\n1. Act.\n\nYours sincerely,\nExample Watch\n"),
         ["md-letter.md"])
accepted("doc-markdown-deep-quotes", "documents",
         put("deep.md", "# Open Letter to the Council on Deep Quotes\n\n" + ">" * 5000 + " very deep\n"), ["deep.md"])
accepted("doc-pdf-text", "documents", put("text.pdf", mc.pdf_bytes), ["text.pdf"],
         check=lambda t: "Open Letter to the Council on PDF Matters" in t, e2e=True)
accepted("doc-pdf-owner-password-only", "documents", put("owner.pdf", lambda: mc.pdf_encrypted("")), ["owner.pdf"],
         "owner.pdf", "encrypt", check=lambda t: "PDF Matters" in t)
accepted("doc-name-spaces-parens", "documents", _good("Letter (Final) 2021 - copy.txt", "Parentheses"),
         ["Letter (Final) 2021 - copy.txt"])
accepted("doc-name-unicode", "documents", _good("Lettre ouverte – été 2021.txt", "Unicode Names"),
         ["Lettre ouverte – été 2021.txt"])
accepted("doc-name-leading-dash", "documents", _good("-rf letter.txt", "Leading Dash"), ["-rf letter.txt"])
accepted("doc-name-long", "documents", _good("x" * 200 + ".txt", "Long Names"), ["x" * 200 + ".txt"])
accepted("doc-name-punctuation-only", "documents", _good("!!!.txt", "Punctuation"), ["!!!.txt"])
accepted("doc-name-emoji", "documents", _good("\U0001F4DC scroll.txt", "Emoji"), ["\U0001F4DC scroll.txt"])
accepted("doc-name-no-extension", "documents", _good("LETTER", "No Extension"), ["LETTER"])
accepted("doc-name-many-dots", "documents", _good("statement.v1.2.final.txt", "Dots"), ["statement.v1.2.final.txt"])
accepted("doc-folder-named-like-file", "documents", _good("folder.txt/inner.txt", "Folders"), ["folder.txt/inner.txt"])
accepted("doc-symlink-inside", "documents",
         lambda ctx: (ctx.write("seeds/target-in.txt", L("Link Target")),
                      (ctx.seeds / "link-in.txt").symlink_to("target-in.txt")),
         ["target-in.txt", "link-in.txt"])


def _duplicates(ctx: Ctx) -> None:
    ctx.write("seeds/dup-a.txt", L("Duplicates"))
    ctx.write("seeds/dup-b.txt", L("Duplicates"))


accepted("doc-duplicates", "documents", _duplicates, ["dup-a.txt", "dup-b.txt"], "dup-a.txt", "dup-b.txt", "same")
accepted("doc-skip-desktop-ini", "documents",
         both(_good("keep-ini.txt", "Desktop Ini"), put("desktop.ini", "[.ShellClassInfo]\nIconResource=x\n")),
         ["keep-ini.txt"], "desktop.ini", "skip", absent=("desktop.ini",))
accepted("doc-skip-thumbs-db", "documents",
         both(_good("keep-thumbs.txt", "Thumbs"), put("Thumbs.db", mc.ole_bytes)),
         ["keep-thumbs.txt"], "Thumbs.db", "skip", absent=("Thumbs.db",))
accepted("doc-skip-editor-backup", "documents",
         both(_good("draft.txt", "Drafts"), put("draft.txt~", L("Drafts"))),
         ["draft.txt"], r"draft\.txt~", "skip", absent=("draft.txt~",))
accepted("doc-skip-partial-download", "documents",
         both(_good("keep-part.txt", "Downloads"), put("report.pdf.part", mc.pdf_truncated)),
         ["keep-part.txt"], r"report\.pdf\.part", "skip", absent=("report.pdf.part",))
accepted("doc-skip-office-lock", "documents",
         both(_good("keep-lock.txt", "Lock Files"), put("~$letter.docx", b"\x05owner" + bytes(150))),
         ["keep-lock.txt"], r"~\$letter\.docx", "skip", absent=("~$letter.docx",))
accepted("doc-10mb-line", "documents", put("long-line.txt", mc.long_line_letter), ["long-line.txt"], scope="read",
         check=lambda t: len(t) > 10_000_000 and max(len(line) for line in t.split("\n")) >= 10_000_000)
accepted("doc-thousands-of-files", "documents",
         lambda ctx: mc.tiny_files(ctx.seeds / "tiny", 2000, b"A note on the council.\n"),
         ["tiny/tiny-00000.txt", "tiny/tiny-01999.txt"], scope="read")


# ==========================================================================================
# Paths: nothing outside the project folder is read


def _outside_file(ctx: Ctx, name: str, text: str) -> Path:
    target = ctx.outside / name
    target.write_text(text, encoding="utf-8")
    return target


refused("path-doc-link-outside", "paths",
        lambda ctx: (ctx.seeds / "secret.txt").symlink_to(_outside_file(ctx, "secret.txt", L("Outside"))),
        "secret.txt", "outside", "copy")
refused("path-doc-link-chain-outside", "paths",
        lambda ctx: ((ctx.seeds / "hop2.txt").symlink_to(_outside_file(ctx, "far.txt", L("Far"))),
                     (ctx.seeds / "hop1.txt").symlink_to("hop2.txt")),
        "hop1.txt|hop2.txt", "outside")
refused("path-doc-link-dangling", "paths", lambda ctx: (ctx.seeds / "gone.txt").symlink_to(ctx.seeds / "nowhere.txt"),
        "gone.txt", "link|not there|no such")
refused("path-doc-link-loop", "paths",
        lambda ctx: ((ctx.seeds / "loop-a.txt").symlink_to("loop-b.txt"), (ctx.seeds / "loop-b.txt").symlink_to("loop-a.txt")),
        "loop-a.txt|loop-b.txt", "link|loop")
refused("path-metadata-link-outside", "paths",
        lambda ctx: (ctx.seeds / "good.meta.toml").symlink_to(_outside_file(ctx, "meta.toml", 'publisher = "Outside"\n')),
        "good.meta.toml", "outside")
def _folder_link_outside(ctx: Ctx) -> None:
    (ctx.outside / "docs").mkdir()
    _outside_file(ctx, "docs/out.txt", L("Outside Folder"))
    (ctx.seeds / "linked").symlink_to(ctx.outside / "docs")


accepted("path-folder-link-outside", "paths", both(_good("keep-folder.txt", "Folder Links"), _folder_link_outside),
         ["keep-folder.txt"], absent=("linked/out.txt",))
accepted("path-link-in-and-out-again", "paths",
         lambda ctx: (ctx.write("seeds/sub/real.txt", L("Round Trip")),
                      (ctx.seeds / "round.txt").symlink_to(Path("..") / "seeds" / "sub" / "real.txt")),
         ["sub/real.txt", "round.txt"])
accepted("path-metadata-about-traversal", "paths",
         both(_good("about.txt", "About Traversal"), put("about.meta.toml", 'about = "../../../../etc/passwd"\n')),
         ["about.txt"])


# ==========================================================================================
# Metadata (NAME.meta.toml beside NAME.txt)


def meta(text, name: str = "good.meta.toml"):
    return put(name, text)


refused("meta-syntax", "metadata", meta("date = ["), "good.meta.toml", "TOML")
refused("meta-not-utf8", "metadata", meta(b"title = 'caf\xe9'\n"), "good.meta.toml", "UTF-8")
refused("meta-unknown-key", "metadata", meta("colour = 'red'\n"), "good.meta.toml", "colour", "known keys")
refused("meta-table", "metadata", meta("[extra]\nx = 1\n"), "good.meta.toml", "extra")
refused("meta-dotted-key", "metadata", meta("a.b = 1\n"), "good.meta.toml", "'a'")
refused("meta-duplicate-key", "metadata", meta("title = 'a'\ntitle = 'b'\n"), "good.meta.toml", "TOML")
refused("meta-title-integer", "metadata", meta("title = 3\n"), "good.meta.toml", "title", "string")
refused("meta-publisher-table", "metadata", meta("publisher = { name = 'x' }\n"), "good.meta.toml", "publisher", "string")
refused("meta-url-array", "metadata", meta("url = ['https://a.example/']\n"), "good.meta.toml", "url", "string")
refused("meta-notes-bool", "metadata", meta("notes = true\n"), "good.meta.toml", "notes", "string")
refused("meta-date-impossible-toml", "metadata", meta("date = 2021-02-30\n"), "good.meta.toml", "TOML|date")
refused("meta-date-impossible-string", "metadata", meta("date = '2021-02-30'\n"), "good.meta.toml", "date", "YYYY-MM-DD")
refused("meta-date-month-13", "metadata", meta("date = '2021-13-01'\n"), "good.meta.toml", "date", "YYYY-MM-DD")
refused("meta-date-words", "metadata", meta("date = 'yesterday'\n"), "good.meta.toml", "date", "YYYY-MM-DD")
refused("meta-date-integer", "metadata", meta("date = 20210114\n"), "good.meta.toml", "date", "YYYY-MM-DD")
refused("meta-date-float", "metadata", meta("date = 2021.5\n"), "good.meta.toml", "date", "YYYY-MM-DD")
refused("meta-date-time-only", "metadata", meta("date = 10:30:00\n"), "good.meta.toml", "date", "YYYY-MM-DD")
refused("meta-date-with-time", "metadata", meta("date = 2021-01-14T10:30:00\n"), "good.meta.toml", "date", "YYYY-MM-DD")
refused("meta-type-unknown", "metadata", meta("type = 'memo'\n"), "good.meta.toml", "type", "letter")
refused("meta-url-file", "metadata", meta("url = 'file:///etc/passwd'\n"), "good.meta.toml", "url", "http")
refused("meta-url-javascript", "metadata", meta("url = 'javascript:alert(1)'\n"), "good.meta.toml", "url", "http")
refused("meta-url-space", "metadata", meta("url = 'https://a.example/x y'\n"), "good.meta.toml", "url")
refused("meta-url-angle", "metadata", meta("url = 'https://a.example/<b>'\n"), "good.meta.toml", "url")
refused("meta-orphan", "metadata", meta("publisher = 'x'\n", "zz.meta.toml"), "zz.meta.toml", "not there")
refused("meta-orphan-case", "metadata", meta("publisher = 'x'\n", "GOOD.meta.toml"), "GOOD.meta.toml", "not there")
refused("meta-is-folder", "metadata", lambda ctx: (ctx.seeds / "good.meta.toml").mkdir(), "good.meta.toml", "folder|file")
refused("meta-deep-nesting", "metadata", meta(mc.deep_toml()), "good.meta.toml", "nest|TOML")
accepted("meta-empty-file", "metadata", both(_good("m-empty.txt", "Empty Metadata"), meta("", "m-empty.meta.toml")),
         ["m-empty.txt"])
accepted("meta-comments-only", "metadata",
         both(_good("m-comments.txt", "Comment Metadata"), meta("# nothing to add\n", "m-comments.meta.toml")), ["m-comments.txt"])
accepted("meta-crlf", "metadata",
         both(_good("m-crlf.txt", "CRLF Metadata"), meta("publisher = 'CRLF Press'\r\ndate = 2021-05-03\r\n", "m-crlf.meta.toml")),
         ["m-crlf.txt"])
accepted("meta-huge-notes", "metadata",
         both(_good("m-huge.txt", "Huge Notes"), meta("notes = '''" + "n" * 1_000_000 + "'''\n", "m-huge.meta.toml")),
         ["m-huge.txt"])
accepted("meta-compact-date", "metadata",
         both(_good("m-compact.txt", "Compact Dates"), meta("date = '2021-01-14'\ntype = 'letter'\n", "m-compact.meta.toml")),
         ["m-compact.txt"])
accepted("meta-utf8-bom", "metadata",
         both(_good("m-bom.txt", "BOM Metadata"), meta(b"\xef\xbb\xbfpublisher = 'BOM Press'\n", "m-bom.meta.toml")),
         ["m-bom.txt"])


# ==========================================================================================
# Shapes, ontology and queries


def edit(rel: str, data) -> Callable[[Ctx], None]:
    def make(ctx: Ctx) -> None:
        ctx.write(rel, data() if callable(data) else data)
    return make


BROKEN_TTL = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:path [ \n"
refused("shapes-syntax", "shapes", edit("shapes/zz.ttl", BROKEN_TTL), "zz.ttl", "syntax|line")
refused("shapes-not-utf8", "shapes", edit("shapes/zz.ttl", b"<urn:a> <urn:b> \"caf\xe9\" .\n"), "zz.ttl", "")
refused("shapes-undefined-prefix", "shapes", edit("shapes/zz.ttl", "nope:a nope:b nope:c .\n"), "zz.ttl", "prefix|syntax")
refused("shapes-none", "shapes",
        lambda ctx: [p.unlink() for p in (ctx.root / "shapes").glob("*.ttl")], "shapes", "no shapes")
refused("shapes-file-is-folder", "shapes", lambda ctx: (ctx.root / "shapes" / "zz.ttl").mkdir(), "zz.ttl", "read|folder")
refused("shapes-bad-sparql", "shapes", edit("shapes/zz.ttl", """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .
<urn:test:Bad> a sh:NodeShape ; sh:targetClass schema:CreativeWork ;
  sh:sparql [ sh:select "SELECT $this WHERE { this is not SPARQL" ] .
"""), "shapes", "SPARQL|shape")
refused("shapes-path-literal", "shapes", edit("shapes/zz.ttl", """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .
<urn:test:Bad> a sh:NodeShape ; sh:targetClass schema:CreativeWork ; sh:property [ sh:path "not a path" ; sh:minCount 1 ] .
"""), "shapes", "shape|path")
refused("ontology-syntax", "ontology", edit("ontology/akg.ttl", "<a> <b> "), "akg.ttl", "syntax|line")
refused("ontology-missing", "ontology", lambda ctx: (ctx.root / "ontology" / "akg.ttl").unlink(), "akg.ttl", "read|no such|missing")
refused("ontology-reference-syntax", "ontology", edit("ontology/reference/zz.ttl", "<a> <b> <c"), "zz.ttl", "syntax|line")
refused("ontology-context-not-json", "ontology", edit("ontology/context.jsonld", "{ not json"), "context.jsonld", "JSON")
refused("ontology-context-no-context", "ontology", edit("ontology/context.jsonld", '{"x": 1}'), "context.jsonld", "@context")

PARAM_QUERY = """# title: Parameters
# param: n integer - a number (default: 1)
# param: when date - a date (default: 2021-01-01)
# param: who iri - an IRI (default: id:doc/x)
# param: s string - a string (default: x)
SELECT ?n ?when ?who ?s WHERE { }
"""


def with_param_query(ctx: Ctx) -> None:
    ctx.write("queries/zz-params.rq", PARAM_QUERY)


refused("query-stock-syntax", "queries", edit("queries/zz-broken.rq", "# title: Broken\nSELECT ?x WHERE { ?x "),
        "zz-broken", "syntax", args=("query", "zz-broken"))
refused("query-stock-bad-param-line", "queries", edit("queries/zz-param.rq", "# title: P\n# param: x nosuchtype\nSELECT ?x {}"),
        "zz-param", "param", args=("query", "zz-param"))
refused("query-stock-update", "queries", edit("queries/zz-update.rq", "# title: U\nDELETE WHERE { ?s ?p ?o }"),
        "zz-update", "Update", args=("query", "zz-update"))
refused("query-stock-not-utf8", "queries", edit("queries/zz-latin.rq", b"# title: caf\xe9\nSELECT * {}"),
        "zz-latin.rq", "UTF-8", args=("query", "zz-latin"))
refused("query-stock-is-folder", "queries", lambda ctx: (ctx.root / "queries" / "zz-dir.rq").mkdir(),
        "zz-dir.rq", "folder|read", args=("query", "zz-dir"))
refused("query-update-one-line", "queries", lambda ctx: None, "--sparql", "Update",
        args=("query", "--sparql", "PREFIX ex: <urn:ex:> INSERT DATA { ex:a ex:b ex:c }"))
refused("query-update-lowercase-comment", "queries", lambda ctx: None, "--sparql", "Update",
        args=("query", "--sparql", "# harmless\n  delete where { ?s ?p ?o }"))
refused("query-update-drop", "queries", lambda ctx: None, "--sparql", "Update", args=("query", "--sparql", "DROP ALL"))
refused("query-file-missing", "queries", lambda ctx: None, "nosuch.rq", "no stock query|no such", args=("query", "nosuch.rq"))
refused("query-empty", "queries", lambda ctx: None, "--sparql", "syntax|empty", args=("query", "--sparql", ""))
refused("query-deep-nesting", "limits", lambda ctx: None, "--sparql", "nest", "max_nesting",
        args=("query", "--sparql", mc.deep_sparql()), process=True)

# ==========================================================================================
# Command lines


refused("cli-unknown-option", "command-line", lambda ctx: None, "--no-such-option", args=("build", "--no-such-option"), exit=2)
refused("cli-unknown-command", "command-line", lambda ctx: None, "frobnicate", args=("frobnicate",), exit=2)
refused("cli-jobs-zero", "command-line", lambda ctx: None, "--jobs", args=("build", "--jobs", "0"), exit=2)
refused("cli-jobs-text", "command-line", lambda ctx: None, "--jobs", args=("build", "--jobs", "many"), exit=2)
refused("cli-query-format", "command-line", lambda ctx: None, "--format", args=("query", "x", "--format", "yaml"), exit=2)
refused("cli-validate-format", "command-line", lambda ctx: None, "--format", args=("validate", "--format", "xml"), exit=2)
refused("cli-extract-no-file", "command-line", lambda ctx: None, "FILE", args=("extract",), exit=2)
refused("cli-seeds-missing", "command-line", lambda ctx: None, "nowhere", "no such folder", args=("build", "nowhere"))
refused("cli-seeds-is-file", "command-line", lambda ctx: None, GOOD, "not a folder", args=("build", "seeds/" + GOOD))
refused("cli-base-iri-scheme", "command-line", lambda ctx: None, "--base-iri", "http", args=("build", "--base-iri", "ftp://x.example/"))
refused("cli-base-iri-no-slash", "command-line", lambda ctx: None, "--base-iri", "/", args=("build", "--base-iri", "https://x.example"))
refused("cli-param-no-equals", "command-line", with_param_query, "--param", "key=value", args=("query", "zz-params", "--param", "n"))
refused("cli-param-unknown", "command-line", with_param_query, "--param", "no such parameter",
        args=("query", "zz-params", "--param", "nosuch=1"))
refused("cli-param-not-integer", "command-line", with_param_query, "--param", "integer",
        args=("query", "zz-params", "--param", "n=abc"))
refused("cli-param-not-iri", "command-line", with_param_query, "--param", "IRI",
        args=("query", "zz-params", "--param", "who=not an iri"))
refused("cli-param-impossible-date", "command-line", with_param_query, "--param", "date",
        args=("query", "zz-params", "--param", "when=2021-02-30"))
refused("cli-no-query", "command-line", lambda ctx: None, "query", "no query given", args=("query",))
refused("cli-extract-missing", "command-line", lambda ctx: None, "nowhere.txt", "no such file", args=("extract", "nowhere.txt"))
refused("cli-extract-folder", "command-line", lambda ctx: None, "seeds", "folder", args=("extract", "seeds"))
refused("cli-dump-format", "command-line", lambda ctx: None, "yaml", "format", args=("dump", "--format", "yaml"))
refused("cli-dump-output-no-folder", "command-line", lambda ctx: None, "nowhere", "folder|cannot write",
        args=("dump", "--output", "nowhere/graph.ttl"))
refused("cli-dump-output-unwritable", "command-line", lambda ctx: None, "/proc", "cannot write",
        args=("dump", "--output", "/proc/graph.ttl"))
refused("cli-dump-output-is-folder", "command-line", lambda ctx: None, "seeds", "folder|cannot write",
        args=("dump", "--output", "seeds"))
refused("cli-out-is-file", "command-line", lambda ctx: None, GOOD, "is a file", args=("build", "--out", "seeds/" + GOOD))
refused("cli-out-unwritable", "command-line", lambda ctx: None, "/proc", "cannot", args=("build", "--out", "/proc/kg-out"))
refused("config-syntax", "config", edit("kg.toml", "out = "), "kg.toml", "TOML")
refused("config-unknown-key", "config", edit("kg.toml", "colour = 'red'\n"), "kg.toml", "colour", "known settings")
refused("config-base-iri", "config", edit("kg.toml", "base_iri = 'urn:x'\n"), "kg.toml", "base_iri")
refused("config-limit-not-number", "config", edit("kg.toml", "max_document_bytes = 'big'\n"), "kg.toml",
        "max_document_bytes", "integer|number")
refused("config-limit-negative", "config", edit("kg.toml", "max_documents = -1\n"), "kg.toml", "max_documents", "positive")
refused("config-out-not-string", "config", edit("kg.toml", "out = 5\n"), "kg.toml", "out", "string")
refused("config-deep-nesting", "config", edit("kg.toml", mc.deep_toml().replace("notes", "seeds")), "kg.toml", "nest|TOML")
refused("config-not-utf8", "config", edit("kg.toml", b"out = 'caf\xe9'\n"), "kg.toml", "TOML|UTF-8")
refused("config-nesting-zero", "config", edit("kg.toml", "max_nesting = 0\n"), "kg.toml", "max_nesting", "positive")
refused("config-jobs-float", "config", edit("kg.toml", "jobs = 1.5\n"), "kg.toml", "jobs", "integer")


# ==========================================================================================
# Stores


def _no_build(ctx: Ctx) -> None:
    shutil.rmtree(ctx.out)


def _largest_sst(ctx: Ctx) -> Path:
    return max((ctx.release() / "store").glob("*.sst"), key=lambda p: p.stat().st_size)


def _flip_middle(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(size // 2)
        handle.write(b"\xff" * 64)


ASK = ("query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "csv")
ALL = ("query", "--sparql", "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "csv")
refused("store-missing-query", "store", _no_build, "build", "kg build", args=ASK)
refused("store-missing-dump", "store", _no_build, "build", "kg build", args=("dump", "--format", "nquads"))
refused("store-missing-validate", "store", _no_build, "build", "kg build", args=("validate", "--store"))
refused("store-release-gone", "store", lambda ctx: shutil.rmtree(ctx.release()), "current", "kg build", args=ASK, then_build=True)
refused("store-current-loop", "store",
        lambda ctx: ((ctx.out / "current").unlink(), (ctx.out / "current").symlink_to("current")),
        "current", "kg build", args=ASK, then_build=True)
refused("store-current-is-folder", "store",
        lambda ctx: ((ctx.out / "current").unlink(), (ctx.out / "current").mkdir()), "current", "move", then_build=False)
refused("store-empty", "store", lambda ctx: [p.unlink() for p in (ctx.release() / "store").iterdir()],
        "store", "cannot be opened|damaged", "kg build", args=ASK, then_build=True)
refused("store-no-current-file", "store", lambda ctx: (ctx.release() / "store" / "CURRENT").unlink(),
        "store", "cannot be opened|damaged", args=ASK, then_build=True)
refused("store-manifest-garbage", "store",
        lambda ctx: next((ctx.release() / "store").glob("MANIFEST-*")).write_bytes(b"garbage" * 10),
        "store", "damaged", args=ASK, then_build=True)
refused("store-sst-truncated", "store", lambda ctx: os.truncate(_largest_sst(ctx), _largest_sst(ctx).stat().st_size // 2),
        "store", "damaged", args=ASK, then_build=True)
refused("store-sst-zeroed", "store",
        lambda ctx: _largest_sst(ctx).write_bytes(bytes(_largest_sst(ctx).stat().st_size)),
        "store", "damaged", args=ASK, then_build=True)
refused("store-sst-damaged-at-open", "store",
        lambda ctx: [_flip_middle(p) for p in (ctx.release() / "store").glob("*.sst")],
        "store", "damaged", args=ASK, then_build=True)
refused("store-sst-damaged-at-read", "store",
        lambda ctx: [_flip_middle(p) for p in (ctx.release() / "store").glob("*.sst") if p.stat().st_size > 10_000],
        "store", "damaged", args=ALL, then_build=True)
refused("store-is-file", "store",
        lambda ctx: (shutil.rmtree(ctx.release() / "store"), (ctx.release() / "store").write_text("x")),
        "store", "kg build", args=ASK, then_build=True)


def _hold_lock(ctx: Ctx) -> None:
    import fcntl

    handle = open(ctx.out / ".lock", "a+")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.seek(0)
    handle.truncate()
    handle.write("pid 424242, since 2024-01-01 00:00:00")
    handle.flush()
    ctx.held.append(handle)


refused("store-locked-build", "store", _hold_lock, "build", "another build is running", "424242", "wait")
accepted("store-locked-query", "store", _hold_lock, args=ASK)
refused("store-lock-is-folder", "store",
        lambda ctx: ((ctx.out / ".lock").unlink(missing_ok=True), (ctx.out / ".lock").mkdir()), ".lock", "lock", "remove")
accepted("store-stale-lock-file", "store", lambda ctx: (ctx.out / ".lock").write_text("pid 999999"))
def _leftovers_gone(ctx: Ctx) -> None:
    assert not list((ctx.out / "releases").glob("*.partial")), "a partial release was left behind"
    assert not (ctx.out / ".current-1").is_symlink(), "a temporary link was left behind"


accepted("store-leftover-partial", "store",
         lambda ctx: ((ctx.out / "releases" / "20000101T000000-1-000001.partial" / "store").mkdir(parents=True),
                      (ctx.out / ".current-1").symlink_to("releases/nowhere")), after=_leftovers_gone)


# ==========================================================================================
# Limits


def _long(ctx: Ctx) -> None:
    ctx.write("seeds/long.txt", L("Size Limits", extra=mc.sentences(2000)))


refused("limit-document-bytes-config", "limits", both(edit("kg.toml", "max_document_bytes = 500\n"), _long),
        "long.txt", "500", "max_document_bytes", "kg.toml")
refused("limit-document-bytes-option", "limits", _long, "long.txt", "500", "max_document_bytes",
        args=("build", "--max-document-bytes", "500"))
refused("limit-document-bytes-extract", "limits",
        both(edit("kg.toml", "max_document_bytes = 500\n"), _long),
        "long.txt", "500", "max_document_bytes", args=("extract", "seeds/long.txt"))
refused("limit-documents-config", "limits",
        both(edit("kg.toml", "max_documents = 3\n"), lambda ctx: mc.tiny_files(ctx.seeds / "tiny", 5, b"A note.\n")),
        "seeds", "6", "max_documents", "kg.toml")
refused("limit-documents-option", "limits", lambda ctx: mc.tiny_files(ctx.seeds / "tiny", 5, b"A note.\n"),
        "seeds", "max_documents", args=("build", "--max-documents", "3"))
refused("limit-nesting-config", "limits",
        both(edit("kg.toml", "max_nesting = 50\n"), put("nested.html", lambda: mc.nested_html(100))),
        "nested.html", "50", "max_nesting")
accepted("limit-nesting-raised", "limits",
         both(edit("kg.toml", "max_nesting = 6000\n"), put("nested.html", lambda: mc.nested_html(5000))))
refused("limit-nesting-sparql-config", "limits", edit("kg.toml", "max_nesting = 50\n"), "--sparql", "100", "50",
        "max_nesting", "kg.toml", args=("query", "--sparql", mc.deep_sparql(100)))
refused("limit-nesting-sparql-parser", "limits", edit("kg.toml", "max_nesting = 100000\n"), "--sparql", "nest",
        "parser", args=("query", "--sparql", mc.deep_sparql(3000)), process=True)
refused("limit-documents-validate", "limits", lambda ctx: mc.tiny_files(ctx.seeds / "tiny", 5, b"A note.\n"),
        "seeds", "max_documents", args=("validate", "--max-documents", "3"))
refused("limit-document-bytes-extract-option", "limits", _long, "long.txt", "500", "max_document_bytes",
        args=("extract", "seeds/long.txt", "--max-document-bytes", "500"))


def by_id() -> dict[str, Case]:
    seen: dict[str, Case] = {}
    for c in CASES:
        assert c.id not in seen, f"duplicate case id {c.id}"
        seen[c.id] = c
    return seen
