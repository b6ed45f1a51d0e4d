"""Hostile-upload inspection: type by content, metadata stripping, bombs, unsafe PDFs, safe file names."""

from __future__ import annotations

import io
import struct
import tracemalloc
import unicodedata
import zipfile
import zlib

import pytest
from PIL import ExifTags, Image
from reportlab.pdfgen.canvas import Canvas

from motcua.adapters.upload_inspection import UploadLimits, inspect_upload, safe_filename
from motcua.domain.errors import InvalidInput, PayloadTooLarge, UnsupportedMedia

# --- helpers ----------------------------------------------------------------------------------------------


def jpeg_bytes(image: Image.Image, **save_args: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, **save_args)
    return out.getvalue()


def png_bytes(image: Image.Image, **save_args: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **save_args)
    return out.getvalue()


def noisy(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """An image that does not compress to nothing (so truncation really cuts pixel data)."""
    return Image.frombytes(mode, size, bytes((i * 7919) % 251 for i in range(size[0] * size[1] * len(mode))))


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of width x height, all black: a few tens of KB that would decode to gigabytes."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def reportlab_pdf(**canvas_args: object) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, **canvas_args)
    canvas.drawString(72, 720, "Giay chung sinh")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def handmade_pdf(*objects: bytes) -> bytes:
    """A small PDF from raw object bodies (object 1 is the catalog); xref offsets are not needed for scanning."""
    parts = [b"%PDF-1.7\n"]
    for number, body in enumerate(objects, start=1):
        parts.append(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    parts.append(b"trailer\n<< /Root 1 0 R /Size %d >>\nstartxref\n0\n%%%%EOF\n" % (len(objects) + 1))
    return b"".join(parts)


def object_stream(content: bytes) -> bytes:
    packed = zlib.compress(content)
    return (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
        + packed
        + b"\nendstream"
    )


# --- images -----------------------------------------------------------------------------------------------


def test_jpeg_metadata_is_stripped_and_orientation_applied() -> None:
    # A wide image: red on the left, blue on the right. Orientation 6 means "rotate 90° clockwise to display",
    # so upright it is tall with red on top.
    source = Image.new("RGB", (80, 40), (255, 0, 0))
    source.paste((0, 0, 255), (40, 0, 80, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Camera maker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (10.0, 57.0, 23.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (106.0, 49.0, 5.0),
    }
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    data = jpeg_bytes(source, exif=exif.tobytes(), xmp=xmp, comment=b"secret comment")
    with Image.open(io.BytesIO(data)) as check:  # the test input really carries all of it
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert b"GPS" in data or b"Exif" in data
        assert check.info.get("xmp") and check.info.get("comment")

    result = inspect_upload(data, "IMG_0001.JPG")

    assert result.content_type == "image/jpeg"
    assert result.extension == ".jpg"
    assert result.filename == "IMG_0001.jpg"
    for marker in (b"Exif", b"GPS", b"xmpmeta", b"secret comment", b"Camera maker", b"http://ns.adobe.com/xap"):
        assert marker not in result.data, marker
    with Image.open(io.BytesIO(result.data)) as out:
        assert out.format == "JPEG"
        assert len(out.getexif()) == 0
        assert not {"exif", "xmp", "comment"} & set(out.info)
        assert out.size == (40, 80)  # turned upright
        top, bottom = out.getpixel((20, 10)), out.getpixel((20, 70))
        assert top[0] > 200 and top[2] < 60  # red
        assert bottom[2] > 200 and bottom[0] < 60  # blue


def test_png_text_and_exif_chunks_are_stripped() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Nguyễn Thị Ngọc Ánh")
    info.add_itxt("Comment", "vị trí nhà riêng")
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (10.0, 57.0, 1.0)}
    data = png_bytes(noisy((30, 20)), pnginfo=info, exif=exif.tobytes())
    result = inspect_upload(data, "scan.png")
    with Image.open(io.BytesIO(result.data)) as out:
        assert out.format == "PNG"
        assert len(out.getexif()) == 0
        assert not out.text
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf"):
        assert chunk not in result.data


def test_polyglot_payload_after_the_image_is_dropped() -> None:
    payload = b"<html><script>alert(document.cookie)</script></html>PK\x03\x04"
    data = jpeg_bytes(noisy((32, 32))) + payload
    result = inspect_upload(data, "anh.jpg")
    assert b"<script>" not in result.data and b"PK\x03\x04" not in result.data


def test_png_named_pdf_is_detected_as_png() -> None:
    result = inspect_upload(png_bytes(noisy((10, 10))), "giay-to.pdf")
    assert (result.content_type, result.extension, result.filename) == ("image/png", ".png", "giay-to.png")


def test_jpeg_named_png_is_detected_as_jpeg() -> None:
    result = inspect_upload(jpeg_bytes(noisy((10, 10))), "anh.png")
    assert (result.content_type, result.filename) == ("image/jpeg", "anh.jpg")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "anh.jpg"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "anh.gif"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "giay-to.pdf"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "logo.png"),
        (b"%!PS-Adobe-3.0\n", "tai-lieu.pdf"),
    ],
)
def test_other_types_are_rejected_whatever_the_name(data: bytes, name: str) -> None:
    with pytest.raises(UnsupportedMedia) as caught:
        inspect_upload(data, name)
    assert caught.value.code == "unsupported_file_type"
    assert caught.value.message == "Chỉ chấp nhận ảnh JPEG, PNG hoặc tệp PDF."
    assert caught.value.http_status == 415


def test_zip_is_rejected() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("giay-to.jpg", jpeg_bytes(noisy((8, 8))))
    with pytest.raises(UnsupportedMedia):
        inspect_upload(buffer.getvalue(), "ho-so.jpg")


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9])
def test_truncated_jpeg_is_corrupt(fraction: float) -> None:
    data = jpeg_bytes(noisy((200, 200)))
    with pytest.raises(InvalidInput) as caught:
        inspect_upload(data[: int(len(data) * fraction)], "anh.jpg")
    assert caught.value.code == "corrupt_file"


def test_truncated_png_is_corrupt() -> None:
    data = png_bytes(noisy((200, 200)))
    with pytest.raises(InvalidInput) as caught:
        inspect_upload(data[: len(data) // 2], "anh.png")
    assert caught.value.code == "corrupt_file"


def test_png_with_only_a_valid_header_is_corrupt() -> None:
    with pytest.raises(InvalidInput) as caught:
        inspect_upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "anh.png")
    assert caught.value.code == "corrupt_file"


def test_png_bomb_is_rejected_without_decoding() -> None:
    bomb = png_bomb(20000, 20000)  # 400 megapixels
    assert len(bomb) < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(InvalidInput) as caught:
            inspect_upload(bomb, "bomb.png")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.code == "image_too_large"
    assert "40 triệu điểm ảnh" in caught.value.message
    assert peak < 5 * 1024 * 1024  # decoding would need 50 MB even at one bit per pixel


def test_image_over_our_pixel_limit_but_under_pillows_is_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        inspect_upload(png_bomb(8000, 6000), "scan.png")  # 48 MP: Pillow would decode it
    assert caught.value.code == "image_too_large"


def test_large_jpeg_is_downscaled() -> None:
    data = jpeg_bytes(Image.new("RGB", (4000, 3000), (10, 120, 200)))
    result = inspect_upload(data, "anh.jpg")
    with Image.open(io.BytesIO(result.data)) as out:
        assert out.size == (2560, 1920)


def test_large_png_is_downscaled_with_its_aspect_ratio() -> None:
    result = inspect_upload(png_bytes(Image.new("L", (1000, 3000), 200)), "scan.png", UploadLimits(max_image_side=600))
    with Image.open(io.BytesIO(result.data)) as out:
        assert out.size == (200, 600)


def test_cmyk_jpeg_becomes_rgb() -> None:
    result = inspect_upload(jpeg_bytes(Image.new("CMYK", (20, 20), (0, 255, 255, 0))), "in.jpg")
    with Image.open(io.BytesIO(result.data)) as out:
        assert out.mode == "RGB"


def test_palette_png_keeps_transparency() -> None:
    source = Image.new("P", (10, 10), 0)
    source.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
    source.putpixel((5, 5), 1)
    result = inspect_upload(png_bytes(source, transparency=0), "chu-ky.png")
    with Image.open(io.BytesIO(result.data)) as out:
        rgba = out.convert("RGBA")
        assert rgba.getpixel((0, 0))[3] == 0
        assert rgba.getpixel((5, 5)) == (200, 0, 0, 255)


def test_sixteen_bit_greyscale_png_is_scaled_not_clipped() -> None:
    source = Image.new("I;16", (4, 4), 32768)  # mid grey in 16 bits
    result = inspect_upload(png_bytes(source), "scan.png")
    with Image.open(io.BytesIO(result.data)) as out:
        assert out.mode == "L"
        assert 120 <= out.getpixel((0, 0)) <= 136


def test_size_and_hash_describe_the_stored_bytes() -> None:
    import hashlib

    result = inspect_upload(jpeg_bytes(noisy((16, 16))), "a.jpg")
    assert result.size == len(result.data)
    assert result.sha256 == hashlib.sha256(result.data).hexdigest()


# --- size limits ------------------------------------------------------------------------------------------


def test_empty_file_is_invalid() -> None:
    with pytest.raises(InvalidInput) as caught:
        inspect_upload(b"", "a.jpg")
    assert caught.value.code == "empty_file"


def test_too_large_file_names_the_limit_in_mb() -> None:
    with pytest.raises(PayloadTooLarge) as caught:
        inspect_upload(b"%PDF-" + b"0" * (10 * 1024 * 1024), "a.pdf")
    assert caught.value.code == "file_too_large"
    assert "10 MB" in caught.value.message
    assert caught.value.http_status == 413
    with pytest.raises(PayloadTooLarge) as caught:
        inspect_upload(b"x" * 3_000_000, "a.pdf", UploadLimits(max_bytes=int(2.5 * 1024 * 1024)))
    assert "2,5 MB" in caught.value.message


# --- PDF --------------------------------------------------------------------------------------------------


def test_plain_pdf_is_kept_byte_for_byte() -> None:
    data = reportlab_pdf()
    result = inspect_upload(data, "Giấy khai sinh.pdf")
    assert result.data == data
    assert (result.content_type, result.extension, result.filename) == (
        "application/pdf",
        ".pdf",
        "Giấy khai sinh.pdf",
    )


def test_pdf_with_incremental_update_and_trailing_newlines_is_accepted() -> None:
    data = reportlab_pdf() + b"\r\n\r\n"
    assert inspect_upload(data, "a.pdf").data == data


def test_pdf_without_end_marker_is_corrupt() -> None:
    data = reportlab_pdf()
    with pytest.raises(InvalidInput) as caught:
        inspect_upload(data[: data.rindex(b"%%EOF")], "a.pdf")
    assert caught.value.code == "corrupt_file"


@pytest.mark.parametrize(
    "action",
    [
        b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>",
        b"<< /S/JavaScript/JS(app.alert(1))>>",
        b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",  # the same names spelled with #xx escapes
        b"<< /S /Launch /F (cmd.exe) >>",
        b"<< /Type /EmbeddedFile /Length 0 >>",
        b"<< /Names << /EmbeddedFiles 5 0 R >> >>",
    ],
)
def test_pdf_with_active_content_is_rejected(action: bytes) -> None:
    data = handmade_pdf(b"<< /Type /Catalog /OpenAction 2 0 R >>", action)
    with pytest.raises(InvalidInput) as caught:
        inspect_upload(data, "a.pdf")
    assert caught.value.code == "unsafe_pdf"


def test_javascript_hidden_in_a_compressed_object_stream_is_rejected() -> None:
    hidden = b"3 0 << /S /JavaScript /JS (app.alert(1)) >>"
    data = handmade_pdf(b"<< /Type /Catalog /OpenAction 3 0 R >>", object_stream(hidden))
    assert b"JavaScript" not in data
    with pytest.raises(InvalidInput) as caught:
        inspect_upload(data, "a.pdf")
    assert caught.value.code == "unsafe_pdf"


def test_harmless_object_stream_is_accepted() -> None:
    pages = object_stream(b"3 0 << /Type /Pages /Kids [] /Count 0 >>")
    data = handmade_pdf(b"<< /Type /Catalog /Pages 3 0 R >>", pages)
    assert inspect_upload(data, "a.pdf").data == data


def test_object_stream_with_an_unexpected_filter_is_rejected() -> None:
    body = b"<< /Type /ObjStm /N 1 /First 4 /Filter /ASCIIHexDecode /Length 4 >>\nstream\n3C3C>\nendstream"
    with pytest.raises(InvalidInput) as caught:
        inspect_upload(handmade_pdf(b"<< /Type /Catalog >>", body), "a.pdf")
    assert caught.value.code == "unsafe_pdf"


def test_words_that_merely_start_like_unsafe_names_are_fine() -> None:
    data = handmade_pdf(b"<< /Type /Catalog /JSON 1 /Launcher 2 /JavaScripts 3 >>")
    assert inspect_upload(data, "a.pdf").data == data


def test_encrypted_pdf_is_rejected() -> None:
    data = reportlab_pdf(encrypt="mat-khau")
    with pytest.raises(InvalidInput) as caught:
        inspect_upload(data, "a.pdf")
    assert caught.value.code == "encrypted_pdf"


# --- file names -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd.jpg"),
        ("C:\\x\\y.pdf", "y.jpg"),
        ("<script>alert(1)</script>.jpg", "script.jpg"),
        ("", "tep-tai-len.jpg"),
        ("   ", "tep-tai-len.jpg"),
        (".jpg", "tep-tai-len.jpg"),
        ("../", "tep-tai-len.jpg"),
        ("Giấy chứng sinh.jpg", "Giấy chứng sinh.jpg"),
        (unicodedata.normalize("NFD", "Giấy chứng sinh của bé Đặng Ánh.JPEG"), "Giấy chứng sinh của bé Đặng Ánh.jpg"),
        ("ảnh 'đẹp' \"x\" `y`.png", "ảnh đẹp x y.jpg"),
        ("photo\x00\x1b[31m\r\n.jpg", "photo[31m.jpg"),
        ("hoa-don\u202egpj.exe", "hoa-dongpj.jpg"),  # right-to-left override would display as "exe.jpg"
        ("CON.jpg", "_CON.jpg"),
        (".htaccess", "htaccess.jpg"),
        ("-rf.jpg", "rf.jpg"),
        ("a\u00a0\u3000b.jpg", "a b.jpg"),
        ("bản scan.v2.final", "bản scan.v2.jpg"),
    ],
)
def test_safe_filename(given: str, expected: str) -> None:
    assert safe_filename(given, ".jpg") == expected


def test_long_filename_is_cut_to_120_characters_keeping_the_extension() -> None:
    name = safe_filename("Đơn đề nghị " * 40 + ".pdf", ".pdf")
    assert len(name) <= 120 and name.endswith(".pdf")
    assert name.startswith("Đơn đề nghị Đơn")
    assert unicodedata.is_normalized("NFC", name)


def test_filename_from_inspect_upload_is_safe() -> None:
    result = inspect_upload(jpeg_bytes(noisy((8, 8))), "../<img src=x onerror=alert(1)>/Giấy tờ.PDF")
    assert result.filename == "Giấy tờ.jpg"
