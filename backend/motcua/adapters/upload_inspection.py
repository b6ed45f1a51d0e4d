"""Inspect a citizen's upload before it is stored: decide its real type, refuse what is unsafe, strip metadata.

Only JPEG, PNG and PDF are accepted, and the type is decided by the CONTENT, never by the file name or the
declared MIME type (both are under the uploader's control). Images are decoded and re-encoded: that drops EXIF
(GPS position, camera serial), XMP and comments, applies the EXIF orientation so the officer sees the page
upright, downscales oversized photos, and turns polyglot files (an image that is also HTML or a ZIP) into plain
pixels. PDFs are kept byte for byte (re-writing could break a digital signature on them) but refused when they
carry active content or cannot be inspected.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from motcua.domain.errors import DomainError, InvalidInput, PayloadTooLarge, UnsupportedMedia

if TYPE_CHECKING:
    from PIL import Image

JPEG_QUALITY = 85
MAX_FILENAME_LENGTH = 120
DEFAULT_STEM = "tep-tai-len"


@dataclass(frozen=True)
class UploadLimits:
    """Limits applied by :func:`inspect_upload`."""

    max_bytes: int = 10 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    max_image_side: int = 2560  # larger images are downscaled on the server as a backstop (the PWA downscales first)


@dataclass(frozen=True)
class InspectedFile:
    """What may be stored: sanitised bytes and facts about them."""

    data: bytes  # sanitised bytes to store
    content_type: str  # "image/jpeg" | "image/png" | "application/pdf"
    extension: str  # ".jpg" | ".png" | ".pdf"
    filename: str  # safe display name: NFC, no path, no control chars, no <>"'`, <= 120 chars, real extension
    size: int
    sha256: str


@dataclass(frozen=True)
class _Kind:
    pillow_format: str | None
    content_type: str
    extension: str


_JPEG = _Kind("JPEG", "image/jpeg", ".jpg")
_PNG = _Kind("PNG", "image/png", ".png")
_PDF = _Kind(None, "application/pdf", ".pdf")


def inspect_upload(data: bytes, filename: str, limits: UploadLimits = UploadLimits()) -> InspectedFile:
    """Check ``data`` and return the bytes to store with a safe display name.

    Raises ``InvalidInput`` (empty_file, corrupt_file, image_too_large, unsafe_pdf, encrypted_pdf),
    ``PayloadTooLarge`` (file_too_large) or ``UnsupportedMedia`` (unsupported_file_type).
    Images come back re-encoded (JPEG stays JPEG, PNG stays PNG); PDFs come back unchanged.
    """
    if not data:
        raise _empty()
    if len(data) > limits.max_bytes:
        raise _too_large(limits)

    kind = _detect(data)
    if kind is _PDF:
        _check_pdf(data)
        clean = data
    else:
        clean = _reencode_image(data, kind, limits)

    return InspectedFile(
        data=clean,
        content_type=kind.content_type,
        extension=kind.extension,
        filename=safe_filename(filename, kind.extension),
        size=len(clean),
        sha256=hashlib.sha256(clean).hexdigest(),
    )


# --- type detection ---------------------------------------------------------------------------------------


def _detect(data: bytes) -> _Kind:
    if data.startswith(b"\xff\xd8\xff"):
        return _JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _PNG
    if data.startswith(b"%PDF-"):
        # Readers look for the end-of-file marker in the last 1024 bytes; without it the upload was cut short.
        if b"%%EOF" not in data[-1024:]:
            raise _corrupt()
        return _PDF
    raise _unsupported()


def refusal(code: str, limits: UploadLimits = UploadLimits()) -> DomainError:
    """The error :func:`inspect_upload` raises with ``code`` (for a refusal known only by its code, e.g. a direct
    upload quarantined earlier); an unknown code reads as an unsupported file."""
    builders = {
        "empty_file": _empty, "file_too_large": lambda: _too_large(limits), "unsupported_file_type": _unsupported,
        "corrupt_file": _corrupt, "image_too_large": lambda: _too_many_pixels(limits), "unsafe_pdf": _unsafe_pdf,
        "encrypted_pdf": _encrypted,
    }
    return builders.get(code, _unsupported)()


def _empty() -> InvalidInput:
    return InvalidInput("empty_file", "Tệp tải lên không có nội dung.", message_en="The uploaded file is empty.")


def _too_large(limits: UploadLimits) -> PayloadTooLarge:
    mb = _format_mb(limits.max_bytes)
    return PayloadTooLarge(
        "file_too_large",
        f"Tệp vượt quá dung lượng cho phép (tối đa {mb} MB).",
        message_en=f"The file is larger than the {mb.replace(',', '.')} MB limit.",
    )


def _unsupported() -> UnsupportedMedia:
    return UnsupportedMedia(
        "unsupported_file_type",
        "Chỉ chấp nhận ảnh JPEG, PNG hoặc tệp PDF.",
        message_en="Only JPEG or PNG images and PDF files are accepted.",
    )


def _encrypted() -> InvalidInput:
    return InvalidInput(
        "encrypted_pdf",
        "Tệp PDF đang được đặt mật khẩu hoặc mã hóa. Vui lòng tải lên bản không đặt mật khẩu.",
        message_en="The PDF is password-protected or encrypted. Please upload an unprotected copy.",
    )


def _corrupt() -> InvalidInput:
    return InvalidInput(
        "corrupt_file",
        "Tệp bị hỏng hoặc không đọc được, vui lòng chụp hoặc tải lại.",
        message_en="The file is damaged or unreadable; please take or upload it again.",
    )


def _format_mb(n_bytes: int) -> str:
    mb = n_bytes / (1024 * 1024)
    return str(int(mb)) if mb == int(mb) else f"{mb:.1f}".replace(".", ",")  # Vietnamese decimal comma


# --- images -----------------------------------------------------------------------------------------------


def _reencode_image(data: bytes, kind: _Kind, limits: UploadLimits) -> bytes:
    from PIL import Image  # Pillow loads with the first image upload, not on every cold start

    assert kind.pillow_format is not None
    try:
        # formats=[...]: Pillow must agree with the magic bytes; it never falls back to another decoder.
        image = Image.open(io.BytesIO(data), formats=[kind.pillow_format])
    except Image.DecompressionBombError as exc:  # Pillow's own ceiling (2 x MAX_IMAGE_PIXELS) on the header
        raise _too_many_pixels(limits) from exc
    except Exception as exc:  # any parser failure on hostile input means "not a usable image"
        raise _corrupt() from exc

    with image:
        width, height = image.size
        # Checked from the header, before any pixel is decoded: a small file can declare a huge canvas.
        if width <= 0 or height <= 0:
            raise _corrupt()
        if width * height > limits.max_image_pixels:
            raise _too_many_pixels(limits)
        try:
            if kind is _JPEG and max(width, height) > limits.max_image_side:
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale (never below the target): far less memory and time.
                scale = limits.max_image_side / max(width, height)
                image.draft("RGB", (max(1, round(width * scale)), max(1, round(height * scale))))
            image.load()  # truncated or damaged data fails here
            source_mode = image.mode
            icc_profile = image.info.get("icc_profile")
            has_transparency = "transparency" in image.info
            upright = _apply_orientation(image)
            clean = _normalise_mode(upright, kind, has_transparency)
            if max(clean.size) > limits.max_image_side:
                clean.thumbnail((limits.max_image_side, limits.max_image_side), Image.Resampling.LANCZOS)
        except Image.DecompressionBombError as exc:
            raise _too_many_pixels(limits) from exc
        except Exception as exc:  # decoders raise OSError, SyntaxError, ValueError, zlib errors...
            raise _corrupt() from exc

    # A fresh info dict: nothing from the source (exif, xmp, comment, text chunks, dpi) can ride along.
    clean.info = {}
    save_args: dict[str, object] = {}
    # The colour profile is not personal data and keeps phone photos' colours right (Display P3); it is dropped
    # when the pixels were converted out of CMYK, where it would describe the wrong colour space.
    if icc_profile and source_mode != "CMYK":
        save_args["icc_profile"] = icc_profile
    out = io.BytesIO()
    if kind is _JPEG:
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, **save_args)
    else:
        clean.save(out, "PNG", optimize=True, **save_args)
    return out.getvalue()


def _too_many_pixels(limits: UploadLimits) -> InvalidInput:
    megapixels = limits.max_image_pixels // 1_000_000
    return InvalidInput(
        "image_too_large",
        f"Ảnh có kích thước quá lớn (tối đa {megapixels} triệu điểm ảnh).",
        message_en=f"The image has too many pixels (limit: {megapixels} megapixels).",
    )


def _apply_orientation(image: Image.Image) -> Image.Image:
    """The image turned upright according to its EXIF orientation (a copy; the source is left as is)."""
    from PIL import ImageOps

    try:
        return ImageOps.exif_transpose(image)
    except Exception:
        # A malformed EXIF block must not cost the citizen the upload: the pixels are fine, keep them as stored.
        return image.copy()


def _normalise_mode(image: Image.Image, kind: _Kind, has_transparency: bool) -> Image.Image:
    """Convert to a mode the output format stores well and that resizes with proper filtering."""
    mode = image.mode
    if kind is _JPEG:
        # JPEG decodes to L, RGB or CMYK; CMYK JPEGs (often colour-inverted Adobe files) display badly in browsers.
        return image if mode in ("L", "RGB") else image.convert("RGB")
    if mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # 16-bit greyscale scans: scale to 8 bits (convert("L") would clip everything above 255 to white).
        return image.convert("I").point(lambda v: v / 256).convert("L")
    if mode in ("P", "PA"):
        return image.convert("RGBA" if has_transparency or mode == "PA" else "RGB")
    if mode == "1":
        return image.convert("L")  # so downscaling can filter instead of dropping pixels
    if has_transparency and mode in ("L", "RGB"):
        return image.convert("LA" if mode == "L" else "RGBA")  # keep a tRNS colour key as real alpha
    if mode in ("L", "LA", "RGB", "RGBA"):
        return image
    return image.convert("RGBA")


# --- PDF --------------------------------------------------------------------------------------------------


def _name_regex(*names: str) -> re.Pattern[bytes]:
    """A regex for the PDF names ``/Name``, also when spelled with #xx escapes (``/J#61vaScript``).

    A name ends at whitespace or a delimiter; PDF names are case-sensitive, the hex digits of an escape are not.
    """
    alternatives = []
    for name in sorted(names, key=len, reverse=True):
        alternatives.append("".join(f"(?:{re.escape(ch)}|#(?i:{ord(ch):02x}))" for ch in name))
    return re.compile(("/(?:" + "|".join(alternatives) + r")(?=[\s/\[\]()<>{}%]|$)").encode())


# Active content: scripts, launching programs, embedded files and rich media. (/AA and /OpenAction are only
# triggers; what they would run is one of these.)
_UNSAFE_NAMES = _name_regex("JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia")
_ENCRYPT = _name_regex("Encrypt")
_OBJSTM = _name_regex("ObjStm")
_FILTER = _name_regex("Filter")
_FLATE = _name_regex("FlateDecode")
_FILTER_NAMES = _name_regex(
    "ASCIIHexDecode", "ASCII85Decode", "LZWDecode", "RunLengthDecode", "CCITTFaxDecode", "JBIG2Decode",
    "DCTDecode", "JPXDecode", "Crypt", "AHx", "A85", "LZW", "RL", "CCF", "DCT",
)
_STREAM_START = re.compile(rb"stream(?:\r\n|\n|\r)")
_MAX_INFLATED_BYTES = 64 * 1024 * 1024  # total for all object streams of one file


def _unsafe_pdf() -> InvalidInput:
    return InvalidInput(
        "unsafe_pdf",
        "Tệp PDF chứa mã lệnh hoặc tệp đính kèm không được phép. Vui lòng in hoặc lưu lại thành PDF thông thường.",
        message_en="The PDF contains scripts, actions or attachments that are not allowed. "
        "Please print or save it again as a plain PDF.",
    )


def _check_pdf(data: bytes) -> None:
    """Refuse PDFs with active content, including content hidden in compressed object streams."""
    if _ENCRYPT.search(data):
        # Encrypted object streams cannot be inspected, and officers could not open a password-protected file.
        raise _encrypted()
    if _UNSAFE_NAMES.search(data):
        raise _unsafe_pdf()
    # Since PDF 1.5 dictionaries may live inside Flate-compressed object streams, invisible to the scan above.
    budget = _MAX_INFLATED_BYTES
    for found in _OBJSTM.finditer(data):
        start_kw = _STREAM_START.search(data, found.end())
        if start_kw is None:
            continue
        # The object's dictionary: from its "obj" keyword (looked for in a bounded window) to "stream".
        window_start = max(0, found.start() - 4096)
        obj_start = data.rfind(b"obj", window_start, found.start())
        dictionary = data[max(obj_start, window_start) : start_kw.start()]
        body_start = start_kw.end()
        body_end = data.find(b"endstream", body_start)
        body = data[body_start : body_end if body_end >= 0 else len(data)]
        if not _FILTER.search(dictionary):
            continue  # uncompressed: already covered by the whole-file scan
        if not _FLATE.search(dictionary) or _FILTER_NAMES.search(dictionary):
            raise _unsafe_pdf()  # a filter chain we do not decode: cannot vouch for what is inside
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(body, budget + 1)
        except zlib.error as exc:
            raise _unsafe_pdf() from exc
        budget -= len(inflated)
        if budget < 0:
            raise _unsafe_pdf()  # an object-stream bomb
        if _UNSAFE_NAMES.search(inflated):
            raise _unsafe_pdf()


# --- file names -------------------------------------------------------------------------------------------

# Path and shell/HTML-significant characters, and the ones Windows forbids in file names.
_FORBIDDEN = str.maketrans({ch: None for ch in "<>\"'`\\/:*?|"})
# Unicode categories that must never be shown: controls, format characters (bidi overrides such as U+202E can
# make "gpj.exe" display as "exe.jpg"), surrogates, private use, unassigned, line/paragraph separators.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


def safe_filename(filename: str, extension: str) -> str:
    """A display name derived from the uploader's ``filename``, ending in the detected ``extension``.

    NFC; only the last path component (``/`` and ``\\`` both count, so "C:\\x\\y.pdf" gives "y"); no control,
    format or ``<>"'`` characters; whitespace collapsed; the uploaded extension (if it looks like one) replaced by
    the real one; at most 120 characters; "tep-tai-len" when nothing usable remains. Vietnamese letters are kept.
    """
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(
        " " if unicodedata.category(ch) == "Zs" else ch  # exotic spaces (NBSP, ideographic) become plain ones
        for ch in name
        if unicodedata.category(ch) not in _HIDDEN_CATEGORIES
    )
    name = " ".join(name.translate(_FORBIDDEN).split())
    stem = _EXTENSION.sub("", name)
    # Leading dots would hide the file on Unix, trailing dots and spaces are dropped by Windows, a leading dash
    # reads as an option to command-line tools.
    stem = stem.strip(" .").lstrip("-").strip(" .")
    if stem.upper().split(".")[0] in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    stem = stem[: MAX_FILENAME_LENGTH - len(extension)].rstrip(" .") or DEFAULT_STEM
    return stem + extension
