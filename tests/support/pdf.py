"""Reading rendered PDFs back in tests: each page's extracted text, its lines, text flattened for wrap-proof
matching, every font a document uses (its pages' and its form XObjects') and the check that all of them are the
bundled Noto Serif faces, embedded; and the QR codes a printed first page shows (poppler + zxing-cpp)."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from pathlib import Path

import pypdf


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def lines_of(text: str) -> list[str]:
    """The extracted lines, NFC and stripped (for text that is drawn unwrapped and must come out exactly)."""
    return [unicodedata.normalize("NFC", line).strip() for line in text.splitlines()]


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


def assert_only_bundled_fonts_embedded(pdf: bytes) -> None:
    """Every font is an embedded TrueType subset of a bundled face, and regular, bold and italic are all used.

    A font that is not embedded (reportlab's Helvetica default, say) has no Vietnamese glyphs on the reader's side.
    """
    from motcua.documents import fonts

    used = set()
    for font in all_fonts(pypdf.PdfReader(io.BytesIO(pdf))):
        assert font["/Subtype"] == "/TrueType"
        base = str(font["/BaseFont"])
        match = re.fullmatch(r"/?[A-Z]{6}\+(.+)", base)
        assert match, f"{base} is not an embedded subset"
        used.add(match.group(1))
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{base} is not embedded"
        assert len(descriptor["/FontFile2"].get_object().get_data()) > 1000, f"{base} is not embedded"
    assert used <= set(fonts.POSTSCRIPT_NAMES.values())
    assert {"NotoSerif-Regular", "NotoSerif-Bold", "NotoSerif-Italic"} <= used


def barcodes_on_printed_first_page(pdf: bytes, tmp_path: Path) -> list[str]:
    """Rasterise page 1 at 150 dpi with poppler's ``pdftoppm`` and read every barcode on it with zxing-cpp.

    The caller skips when ``pdftoppm`` is missing; zxing-cpp is skipped for here.
    """
    import pytest
    from PIL import Image

    zxingcpp = pytest.importorskip("zxingcpp")
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", source, tmp_path / "page"], check=True)
    page = Image.open(next(tmp_path.glob("page*.png")))
    return [r.text for r in zxingcpp.read_barcodes(page)]
