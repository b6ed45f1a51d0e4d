"""One contract for both file stores: the local folder (embedded) and S3 over HTTP (moto). Same tests, same keys."""

from __future__ import annotations

import os

import pytest

from motcua.adapters.local_files import LocalFileStore
from motcua.adapters.s3_files import S3FileStore


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalFileStore(tmp_path / "files")
    aws = request.getfixturevalue("aws")
    return S3FileStore(aws, request.getfixturevalue("bucket"))


def test_what_is_put_comes_back_byte_for_byte(store):
    data = os.urandom(300_000) + b"\x00\xff"
    store.put("dossiers/d1/attachments/a1.jpg", data, content_type="image/jpeg")
    assert store.get("dossiers/d1/attachments/a1.jpg") == data


def test_a_key_never_written_reads_as_none(store):
    assert store.get("dossiers/nobody/result.pdf") is None


def test_a_second_put_replaces_the_first(store):
    store.put("results/d1/result.pdf", b"%PDF-1 draft", content_type="application/pdf")
    store.put("results/d1/result.pdf", b"%PDF-1 signed", content_type="application/pdf")
    assert store.get("results/d1/result.pdf") == b"%PDF-1 signed"


def test_deleted_files_are_gone_and_deleting_twice_is_harmless(store):
    store.put("a/b.png", b"\x89PNG", content_type="image/png")
    assert store.exists("a/b.png") and not store.exists("a/b.pn") and not store.exists("a")
    store.delete("a/b.png")
    assert store.get("a/b.png") is None and not store.exists("a/b.png")
    store.delete("a/b.png")


def test_an_empty_file_is_a_file(store):
    store.put("a/empty.txt", b"", content_type="text/plain")
    assert store.get("a/empty.txt") == b""


@pytest.mark.parametrize("key", ["../escape", "a/../../x", "/etc/passwd", "a//b", "", "a/.hidden/../x", "a\\b",
                                 "a/b c", "hồ-sơ/1", "a/" + "x" * 600])
def test_malformed_keys_are_refused_by_every_operation(store, key):
    with pytest.raises(ValueError):
        store.put(key, b"x", content_type="text/plain")
    with pytest.raises(ValueError):
        store.get(key)
    with pytest.raises(ValueError):
        store.delete(key)
    with pytest.raises(ValueError):
        store.exists(key)


def test_keys_lists_one_folder_sorted_and_nothing_beside_it(store):
    for key in ("samples/1.000894/b.pdf", "samples/1.000894/a.pdf", "samples/1.0008940/x.pdf", "samples/2/c.pdf"):
        store.put(key, b"%PDF", content_type="application/pdf")
    assert store.keys("samples/1.000894/") == ["samples/1.000894/a.pdf", "samples/1.000894/b.pdf"]
    assert store.keys("samples/") == ["samples/1.000894/a.pdf", "samples/1.000894/b.pdf",
                                      "samples/1.0008940/x.pdf", "samples/2/c.pdf"]
    store.delete("samples/1.000894/a.pdf")
    assert store.keys("samples/1.000894/") == ["samples/1.000894/b.pdf"]
    assert store.keys("nothing/here/") == []


@pytest.mark.parametrize("prefix", ["samples", "../", "/etc/", "a//", "", "a/../b/", 7])
def test_keys_refuses_anything_but_a_folder_prefix(store, prefix):
    with pytest.raises(ValueError):
        store.keys(prefix)
