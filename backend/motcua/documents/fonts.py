"""The bundled Noto Serif family, registered with reportlab once per process.

Every PDF the app produces uses these faces: they cover all Vietnamese letters as precomposed glyphs, they are
1000-unit-per-em (pyHanko signature stamps need that) and they ship inside the package because Lambda has no
system fonts. See ``fonts/README.md``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"

# reportlab names. The embedded PDF /BaseFont is "<subset tag>+<PostScript name>", e.g.
# "AAAAAA+NotoSerif-Regular": the PostScript names are in POSTSCRIPT_NAMES.
REGULAR = "NotoSerif"
BOLD = "NotoSerif-Bold"
ITALIC = "NotoSerif-Italic"
BOLD_ITALIC = "NotoSerif-BoldItalic"
FAMILY = REGULAR

_FILES: dict[str, str] = {
    REGULAR: "NotoSerif-Regular.ttf",
    BOLD: "NotoSerif-Bold.ttf",
    ITALIC: "NotoSerif-Italic.ttf",
    BOLD_ITALIC: "NotoSerif-BoldItalic.ttf",
}
POSTSCRIPT_NAMES: dict[str, str] = {name: file.removesuffix(".ttf") for name, file in _FILES.items()}

_lock = threading.Lock()
_registered = False


def font_path(name: str) -> Path:
    """Path of the TTF file behind a reportlab font name (e.g. for pyHanko's stamp font)."""
    return FONT_DIR / _FILES[name]


def register_fonts() -> None:
    """Register the four faces and the family mapping (so ``<b>``/``<i>`` in paragraphs pick the right face).

    Idempotent and thread-safe; after the first call it costs one boolean check. The first call parses the TTF
    files (about 15 ms), so a web worker may call it at start-up to keep that off the first request.
    """
    global _registered
    if _registered:  # fast path without the lock: the flag only ever goes False -> True
        return
    with _lock:
        if _registered:
            return
        for name, file in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
        # addMapping rather than registerFontFamily: same effect, and it names every (bold, italic) pair.
        addMapping(FAMILY, 0, 0, REGULAR)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, ITALIC)
        addMapping(FAMILY, 1, 1, BOLD_ITALIC)
        _registered = True
