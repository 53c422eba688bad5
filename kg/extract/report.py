"""An extraction as JSON or text, for ``kg extract`` and for people checking a new document.

The signers a report names are read here too (they are otherwise read when documents are
linked), so that one document shows all it yields.
"""

from __future__ import annotations

import dataclasses
import json

from ..records import Extraction, Span


def _plain(value, text: str):
    if isinstance(value, Span):
        return {"start": value.start, "end": value.end, "exact": text[value.start:value.end]}
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name), text) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v, text) for v in value]
    return value


def extraction_dict(x: Extraction) -> dict:
    text = x.doc.text
    out = {"document": {"key": x.doc.key, "path": x.doc.path, "media_type": x.doc.media_type,
                        "sha256": x.doc.sha256, "characters": len(text), "warnings": list(x.doc.warnings)}}
    for f in dataclasses.fields(x):
        if f.name != "doc":
            out[f.name] = _plain(getattr(x, f.name), text)
    return out


def extraction_json(x: Extraction) -> str:
    return json.dumps(extraction_dict(x), indent=2, ensure_ascii=False)


def extraction_text(x: Extraction) -> str:
    lines = [f"{x.doc.path}: {x.doc_type}",
             f"  title: {x.title.text if x.title else '(none)'}",
             f"  date: {x.date or '(none)'}",
             f"  addressees: {', '.join(a.text for a in x.addressees) or '(none)'}",
             f"  signatures: {len(x.signatures)}"]
    for s in x.signatures:
        affs = "; ".join(", ".join(p for p in (a.role, a.organization) if p) for a in s.affiliations)
        lines.append(f"    {s.position:3}. [{s.kind}] {s.name}" + (f" ({affs})" if affs else ""))
    lines.append(f"  calls to action: {len(x.calls)}")
    for c in x.calls:
        lines.append(f"    {c.position or '-'}. to {', '.join(c.recipients) or '?'}: {c.text[:100]}")
    if x.reported_signers:
        lines.append(f"  reported signers: {', '.join(f'{s.name} [{s.kind}]' for s in x.reported_signers)}")
    for name in ("allegations", "characterizations", "figures", "quotations", "rebuttals"):
        lines.append(f"  {name}: {len(getattr(x, name))}")
    return "\n".join(lines)
