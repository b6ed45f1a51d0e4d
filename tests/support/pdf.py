"""Reading rendered PDFs back in tests: each page's extracted text, text flattened for wrap-proof matching, and
every font a document uses (its pages' and its form XObjects')."""

from __future__ import annotations

import io
import unicodedata

import pypdf


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """NFC, no-break spaces as spaces, every whitespace run (line wraps included) as one space."""
    return " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())


def all_fonts(reader: pypdf.PdfReader) -> list[pypdf.generic.DictionaryObject]:
    found = []

    def walk(resources: pypdf.generic.DictionaryObject) -> None:
        for font in resources.get("/Font", {}).values():
            found.append(font.get_object())
        for xobject in resources.get("/XObject", {}).values():
            xobject = xobject.get_object()
            if "/Resources" in xobject:
                walk(xobject["/Resources"].get_object())

    for page in reader.pages:
        walk(page["/Resources"].get_object())
    return found
