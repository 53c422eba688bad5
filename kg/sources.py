"""Stage 1, sources: read a folder of documents, decode, normalise, hash.

Consumes: a folder of files (plain text, Markdown, HTML, PDF) and optional metadata files
(``NAME.meta.toml`` beside ``NAME.txt``).  Creates: :class:`kg.records.SourceDocument`.

The decoded text is what every offset counts in: UTF-8, Unicode NFC, line ends as ``\\n``,
nothing else changed.  HTML and PDF are reduced to text deterministically.

>>> normalise_text("caf\\u0065\\u0301\\r\\nline")
'café\\nline'
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import tomllib
import unicodedata
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from .errors import InputError
from .records import Metadata, SourceDocument

TEXT_SUFFIXES = {".txt": "text/plain", ".text": "text/plain", ".md": "text/markdown",
                 ".markdown": "text/markdown", ".html": "text/html", ".htm": "text/html",
                 ".xhtml": "text/html", ".pdf": "application/pdf"}
IGNORED_NAMES = re.compile(r"^(readme|license|licence|changelog)(\.[a-z]+)?$", re.I)
NOT_DOCUMENTS = {".json", ".jsonld", ".geojson", ".csv", ".tsv", ".xml", ".rdf", ".ttl", ".xls", ".xlsx", ".ods",
                 ".odt", ".odp", ".ppt", ".pptx", ".epub", ".mobi", ".eml", ".msg", ".js", ".css", ".py", ".sql",
                 ".svg", ".ics", ".vcf", ".yaml", ".yml", ".ini", ".log"}  # text-like, but not documents
LITTER = re.compile(r"^(desktop\.ini|thumbs\.db|ehthumbs\.db|\.ds_store|icon\r)$|^~\$|~$|\.(swp|swo|bak|tmp|part|crdownload)$",
                    re.I)  # what operating systems, editors and browsers leave in a folder
META_SUFFIX = ".meta.toml"
META_KEYS = {"url", "publisher", "date", "type", "title", "author", "about", "notes"}
DOC_TYPES = {"letter", "news", "webpage"}


def normalise_text(text: str) -> str:
    """NFC and ``\\n`` line ends: the only changes made to a decoded text."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def document_key(path: Path) -> str:
    """The stable key of a document: its file name without extension, IRI-safe.

    >>> document_key(Path("Letter (Final) 2021.TXT"))
    'letter-final-2021'
    """
    stem = unicodedata.normalize("NFKD", path.name.split(".")[0]).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-") or "document"


def sniff_media_type(path: Path, data: bytes) -> str:
    """Detect the format by content first, then by extension.

    >>> sniff_media_type(Path("saved"), b"\\xef\\xbb\\xbf<!DOCTYPE html><html><body>x</body></html>")
    'text/html'
    >>> sniff_media_type(Path("statement"), b"# A heading\\n\\nSome text.\\n")
    'text/markdown'
    """
    head = _text_head(data)
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    if head.startswith((b"<!doctype html", b"<html")) or (b"<html" in head and b"<body" in data[:65536].lower()):
        return "text/html"
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        raise InputError(f"{path}: has a .pdf name but is not a PDF", hint="check the file is complete")
    _refuse_unsupported(path, data)
    if _binary_kind(data) or _looks_binary(data):
        kind = _binary_kind(data)
        raise InputError(f"{path}: is binary data{kind}, not a document",
                         hint="remove it from the folder or convert it to text, HTML or PDF")
    if suffix in NOT_DOCUMENTS:
        raise InputError(f"{path}: is a {suffix} file, a format that is not read as a document",
                         hint="convert it to text, HTML or PDF, or move it out of the folder")
    return TEXT_SUFFIXES.get(suffix, "text/markdown" if MARKDOWN.search(data[:8192]) else "text/plain")


MARKDOWN = re.compile(rb"(?m)^#{1,6} \S|^\*\*[^*\n]+\*\*\s*$|^\[[^\]\n]+\]\(https?://")


def _text_head(data: bytes) -> bytes:
    """The first bytes of a text, lower-cased, with a byte-order mark, blanks and an XML
    declaration or comments skipped."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return re.sub(rb"^(?:<\?xml[^>]*>|<!--.*?-->|\s)+", b"", head, flags=re.S)


def _refuse_unsupported(path: Path, data: bytes) -> None:
    """Word processor files look like text or binary but are neither."""
    if data.startswith(b"{\\rtf"):
        raise InputError(f"{path}: is an RTF document, which is not read",
                         hint="save it as plain text, HTML or PDF")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{path}: is a Microsoft Office file (.doc), which is not read",
                         hint="save it as plain text, HTML or PDF")


def _binary_kind(data: bytes) -> str:
    for magic, name in ((b"PK\x03\x04", " (a ZIP archive, or a .docx/.odt file)"), (b"\x1f\x8b", " (a gzip archive)"),
                        (b"\x89PNG", " (a PNG image)"), (b"\xff\xd8\xff", " (a JPEG image)"),
                        (b"GIF8", " (a GIF image)"), (b"Rar!", " (a RAR archive)"), (b"7z\xbc\xaf", " (a 7z archive)")):
        if data.startswith(magic):
            return name
    return ""


def _looks_binary(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample:
        return not _utf16_without_bom(sample)
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample) > 0.05


def _utf16_without_bom(sample: bytes) -> bool:
    """Text in UTF-16 without a byte-order mark has a NUL in every other byte."""
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd)


def decode_bytes(data: bytes, where: str, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Decode text bytes; return the text and any warnings about what was assumed.

    A byte-order mark decides; then UTF-8; then the charset the file declares (an HTML
    ``<meta charset>``); then Windows-1252 when the result reads as text.

    >>> decode_bytes("café".encode("cp1252"), "x.txt")
    ('café', ('x.txt: not UTF-8; read as Windows-1252',))
    >>> decode_bytes("Чешская".encode("koi8_r"), "x.html", declared="koi8-r")[0]
    'Чешская'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), ()
        except UnicodeDecodeError as err:
            raise InputError(f"{where}: marked as UTF-8 but has an invalid byte at offset {err.start + 3}",
                             hint="re-save the file as UTF-8") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(data, where), ()
    if b"\x00" in data[:8192] and _utf16_without_bom(data[:8192]):
        codec = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return _decode_utf16(data, where, codec), (f"{where}: read as {codec.upper()} (no byte-order mark)",)
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as err:
        if declared:
            return _decode_declared(data, where, declared), ()
        return _decode_legacy(data, where, err)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes, if Python knows it.

    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')
    'iso8859-1'
    """
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", data[:4096], re.I)
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None


def _decode_declared(data: bytes, where: str, charset: str) -> str:
    try:
        return data.decode(charset)
    except UnicodeDecodeError as err:
        raise InputError(f"{where}: declares charset {charset} but has an invalid byte at offset {err.start}",
                         hint="re-save the page as UTF-8") from None


def _decode_utf16(data: bytes, where: str, codec: str = "utf-16") -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        raise InputError(f"{where}: broken UTF-16 at byte {err.start}", hint="re-save the file as UTF-8") from None


def _decode_legacy(data: bytes, where: str, err: UnicodeDecodeError) -> tuple[str, tuple[str, ...]]:
    """Bytes that are not UTF-8: accept Windows-1252 when the result is plausible text."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(f"{where}: not UTF-8 (invalid byte at offset {err.start})",
                         hint="re-save the file as UTF-8") from None
    letters = sum(ch.isalpha() or ch.isspace() for ch in text)
    if letters < 0.7 * len(text):
        raise InputError(f"{where}: not UTF-8 (invalid byte at offset {err.start})",
                         hint="re-save the file as UTF-8")
    return text, (f"{where}: not UTF-8; read as Windows-1252",)


def read_document(path: Path, *, root: Path, max_bytes: int, max_nesting: int = 1000) -> SourceDocument:
    """Read one document file into a :class:`SourceDocument`."""
    rel = _relative(path, root)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"{rel}: {size} bytes, over the limit max_document_bytes = {max_bytes}",
                             hint="raise max_document_bytes in kg.toml or --max-document-bytes")
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{rel}: cannot be read: {err.strerror or err}",
                         hint="check the file's permissions, or move it out of the folder") from None
    media_type = sniff_media_type(Path(rel), data)
    text, warnings = _extract_text(data, media_type, rel, max_nesting)
    text = normalise_text(text)
    if not text.strip():
        raise InputError(f"{rel}: has no text", hint="remove the empty file or add its text")
    return SourceDocument(key=document_key(path), path=rel, media_type=media_type,
                          sha256=hashlib.sha256(data).hexdigest(), text=text,
                          metadata=read_metadata(path, root=root), warnings=warnings)


def _extract_text(data: bytes, media_type: str, where: str, max_nesting: int) -> tuple[str, tuple[str, ...]]:
    if media_type == "application/pdf":
        from .readers import read_pdf
        return read_pdf(data, where)
    declared = declared_charset(data) if media_type == "text/html" else None
    text, warnings = decode_bytes(data, where, declared)
    if "\x00" in text:
        raise InputError(f"{where}: contains NUL characters", hint="this is not a text file")
    if media_type == "text/html":
        from .readers import html_text
        return html_text(text, where, max_nesting=max_nesting), warnings
    return text, warnings


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def read_metadata(path: Path, *, root: Path) -> Metadata:
    """Read ``NAME.meta.toml`` beside a document, if there is one."""
    meta_path = path.with_name(path.name.split(".")[0] + META_SUFFIX)
    if not os.path.lexists(meta_path):
        return Metadata()
    rel = _relative(meta_path, root)
    _check_link(meta_path, root, rel)
    if meta_path.is_dir():
        raise InputError(f"{rel}: is a folder, not a metadata file", hint="remove the folder or rename it")
    try:
        data = tomllib.loads(meta_path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"{rel}: not valid TOML: {err}", hint="fix the syntax") from None
    except UnicodeDecodeError:
        raise InputError(f"{rel}: not UTF-8", hint="re-save the metadata file as UTF-8") from None
    except RecursionError:
        raise InputError(f"{rel}: not valid TOML: nested too deeply to be read",
                         hint='metadata is flat: key = "value" lines') from None
    return _metadata_from(data, rel)


def _metadata_from(data: dict, rel: str) -> Metadata:
    unknown = sorted(set(data) - META_KEYS)
    if unknown:
        raise InputError(f"{rel}: unknown key {unknown[0]!r}", hint=f"known keys: {', '.join(sorted(META_KEYS))}")
    for key, value in sorted(data.items()):
        if key != "date" and not isinstance(value, str):
            raise InputError(f"{rel}: {key} must be a string, not {type(value).__name__}",
                             hint=f'write it in quotes: {key} = "..."')
    when = data.get("date")
    if when is not None:
        when = _metadata_date(when, rel)
    kind = data.get("type")
    if kind is not None and kind not in DOC_TYPES:
        raise InputError(f"{rel}: type {kind!r} is not one of {', '.join(sorted(DOC_TYPES))}",
                         hint="use letter, news or webpage, or leave type out")
    url = data.get("url")
    if url is not None and not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url):
        raise InputError(f"{rel}: url {url!r} is not an http(s) URL",
                         hint='give the full http(s) address; percent-encode spaces and <>"{}|\\^`')
    return Metadata(url=url, publisher=data.get("publisher"), date=when, doc_type=kind,
                    title=data.get("title"), author=data.get("author"), about=data.get("about"),
                    notes=data.get("notes"))


def _metadata_date(value, rel: str) -> str:
    if isinstance(value, datetime):
        raise InputError(f"{rel}: date {value.isoformat()} has a time of day", hint="write the day only, as YYYY-MM-DD")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise InputError(f"{rel}: date {value!r} is not a real date", hint="write it as YYYY-MM-DD")


def list_documents(folder: Path, skipped: list[str] | None = None) -> list[Path]:
    """The document files of a folder, sorted by name; metadata, READMEs and hidden files left
    out, and files that operating systems and editors leave behind (``desktop.ini``,
    ``Thumbs.db``, ``x.txt~``) added to ``skipped``.  What cannot be a document is refused:
    a FIFO or device, a link to nothing, a link that loops or leads out of the folder, a
    name that is not UTF-8."""
    if not folder.exists():
        raise InputError(f"{folder}: no such folder", hint="give the folder that holds the documents")
    if not folder.is_dir():
        raise InputError(f"{folder}: is not a folder", hint="give the folder that holds the documents")
    found = []
    for path in sorted(folder.rglob("*")):
        rel_parts = path.relative_to(folder).parts
        if any(part.startswith(".") for part in rel_parts):
            continue
        if path.name.endswith(META_SUFFIX) or IGNORED_NAMES.match(path.name) or path.is_dir():
            continue
        rel = str(path.relative_to(folder))
        _check_name(rel)
        if LITTER.search(path.name):
            if skipped is not None:
                skipped.append(rel)
            continue
        _check_link(path, folder, rel)
        _check_regular(path, rel)
        found.append(path)
    return found


def _check_name(rel: str) -> None:
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
        raise InputError(f"{shown}: the file name is not UTF-8, so it cannot name the document in the graph",
                         hint="rename the file") from None


def _check_link(path: Path, folder: Path, rel: str) -> None:
    """A link is followed only to a file inside the folder."""
    if not path.is_symlink():
        return
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        raise InputError(f"{rel}: is a link to nothing (its target is not there)",
                         hint="remove the link or restore its target") from None
    except (RuntimeError, OSError):
        raise InputError(f"{rel}: is a link that loops", hint="remove the link") from None
    if not target.is_relative_to(folder.resolve()):
        raise InputError(f"{rel}: is a link that points outside the folder",
                         hint="copy the file into the folder instead")


def _check_regular(path: Path, rel: str) -> None:
    """A FIFO would block the read for ever; a device or socket is no document either."""
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        raise InputError(f"{rel}: is not a regular file but {kind}", hint="remove it from the folder")


def read_folder(folder: Path, *, max_bytes: int = 50_000_000, max_documents: int = 200_000,
                max_nesting: int = 1000) -> list[SourceDocument]:
    """Read every document of a folder; refuse the whole folder on the first bad file.

    What is skipped (operating-system litter) and files with the same bytes as another are
    said in warnings: a skipped file's on the first document, a duplicate's on the duplicate."""
    skipped: list[str] = []
    paths = list_documents(folder, skipped)
    if not paths:
        raise InputError(f"{folder}: holds no documents", hint="add .txt, .md, .html or .pdf files")
    if len(paths) > max_documents:
        raise InputError(f"{folder}: holds {len(paths)} documents, over the limit max_documents = {max_documents}",
                         hint="raise max_documents in kg.toml or --max-documents")
    _check_orphan_metadata(folder, paths)
    docs = [read_document(p, root=folder, max_bytes=max_bytes, max_nesting=max_nesting) for p in paths]
    _check_unique_keys(docs)
    docs = _warn_duplicates(docs)
    if skipped:
        notes = tuple(f"{rel}: skipped, not a document (a file an operating system or editor leaves)" for rel in skipped)
        docs[0] = replace(docs[0], warnings=notes + docs[0].warnings)
    return docs


def _warn_duplicates(docs: list[SourceDocument]) -> list[SourceDocument]:
    first: dict[str, str] = {}
    out = []
    for doc in docs:
        if doc.sha256 in first:
            note = f"{doc.path}: has the same content as {first[doc.sha256]} (both are kept)"
            doc = replace(doc, warnings=doc.warnings + (note,))
        first.setdefault(doc.sha256, doc.path)
        out.append(doc)
    return out


def _check_orphan_metadata(folder: Path, paths: list[Path]) -> None:
    stems = {(p.parent, p.name.split(".")[0]) for p in paths}
    for meta in sorted(folder.rglob("*" + META_SUFFIX)):
        if (meta.parent, meta.name[: -len(META_SUFFIX)]) not in stems:
            raise InputError(f"{meta}: metadata for a document that is not there",
                             hint="remove it or add the document")


def _check_unique_keys(docs: list[SourceDocument]) -> None:
    seen: dict[str, str] = {}
    for doc in docs:
        if doc.key in seen:
            raise InputError(f"{doc.path}: has the same key {doc.key!r} as {seen[doc.key]}",
                             hint="rename one of them")
        seen[doc.key] = doc.path
