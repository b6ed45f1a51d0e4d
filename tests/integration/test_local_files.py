import pytest

from motcua.adapters.local_files import LocalFileStore


def test_put_get_delete(tmp_path):
    store = LocalFileStore(tmp_path / "files")
    store.put("dossiers/d1/attachments/a1.jpg", b"\xff\xd8data", content_type="image/jpeg")
    assert store.get("dossiers/d1/attachments/a1.jpg") == b"\xff\xd8data"
    store.delete("dossiers/d1/attachments/a1.jpg")
    assert store.get("dossiers/d1/attachments/a1.jpg") is None
    store.delete("dossiers/d1/attachments/a1.jpg")  # deleting twice is harmless


def test_overwrite_leaves_no_temporary_files(tmp_path):
    store = LocalFileStore(tmp_path)
    store.put("a/b.pdf", b"1", content_type="application/pdf")
    store.put("a/b.pdf", b"2", content_type="application/pdf")
    assert store.get("a/b.pdf") == b"2"
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["b.pdf"]


@pytest.mark.parametrize("key", ["../escape", "a/../../x", "/etc/passwd", "a//b", "", "a/.hidden/../x", "a\\b"])
def test_keys_cannot_escape_the_folder(tmp_path, key):
    store = LocalFileStore(tmp_path / "files")
    with pytest.raises(ValueError):
        store.put(key, b"x", content_type="text/plain")
