"""A sample dossier is rendered only when its catalog entry changes (stored through the file port by a hash key)."""

from motcua.adapters.catalog_files import load_catalog
from motcua.adapters.local_files import LocalFileStore
from motcua.domain.catalog import Catalog
from motcua.domain.procedures import Fee
from motcua.services.samples import SampleDossierService

CODE = "1.000894"


class CountingStore:
    """The real file store, counting writes (a write is a render: nothing else stores samples)."""

    def __init__(self, inner: LocalFileStore) -> None:
        self.inner = inner
        self.puts: list[str] = []

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        self.puts.append(key)
        self.inner.put(key, data, content_type=content_type)

    def get(self, key: str) -> bytes | None:
        return self.inner.get(key)

    def delete(self, key: str) -> None:
        self.inner.delete(key)

    def keys(self, prefix: str) -> list[str]:
        return self.inner.keys(prefix)


def with_fee(catalog: Catalog, code: str, label: str) -> Catalog:
    procedures = [p if p.code != code else p.model_copy(update={"fee": Fee(amount_vnd=0, label_vi=label)})
                  for p in catalog.all()]
    return Catalog(catalog.units, catalog.fields_of_work.values(), procedures)


def test_unchanged_entry_is_never_rendered_again_even_by_a_new_process(tmp_path):
    catalog = load_catalog()
    store = CountingStore(LocalFileStore(tmp_path / "files"))
    first = SampleDossierService(catalog, store, "http://127.0.0.1:8080").sample(CODE)
    assert store.puts == [first.key] and first.key.startswith(f"samples/{CODE}/")
    # Another process (a new service over the same files) with the same catalog reads the stored file back.
    again = SampleDossierService(load_catalog(), store, "http://127.0.0.1:8080").sample(CODE)
    assert store.puts == [first.key]
    assert again.data == first.data and again.etag == first.etag


def test_changed_entry_gets_a_new_key_and_a_new_file(tmp_path):
    catalog = load_catalog()
    store = CountingStore(LocalFileStore(tmp_path / "files"))
    before = SampleDossierService(catalog, store, "http://127.0.0.1:8080").sample(CODE)
    changed = with_fee(catalog, CODE, "Lệ phí mới: 25.000 đồng")
    after = SampleDossierService(changed, store, "http://127.0.0.1:8080").sample(CODE)
    assert after.key != before.key and after.etag != before.etag
    assert store.puts == [before.key, after.key]
    assert b"%PDF" in after.data
    # Other procedures' keys do not move when one entry changes.
    other = "1.001193"
    assert (SampleDossierService(catalog, store, "x").key(catalog.get(other))
            == SampleDossierService(changed, store, "x").key(changed.get(other)))


def test_a_new_renderer_gets_new_keys(tmp_path, monkeypatch):
    from motcua.services import samples

    catalog = load_catalog()
    store = LocalFileStore(tmp_path / "files")
    old = SampleDossierService(catalog, store, "x").key(catalog.get(CODE))
    monkeypatch.setattr(samples, "RENDERER_VERSION", "sample-dossier-next")
    bumped = SampleDossierService(catalog, store, "x").key(catalog.get(CODE))
    assert bumped != old
    # A deployment that changes the renderer's code (layout, sample data) gets new keys without a bump.
    monkeypatch.setattr(samples, "_renderer_source_digest", lambda: "another build")
    assert SampleDossierService(catalog, store, "x").key(catalog.get(CODE)) not in (old, bumped)


def test_conditional_request_with_the_current_etag_reads_nothing(tmp_path):
    catalog = load_catalog()
    store = CountingStore(LocalFileStore(tmp_path / "files"))
    service = SampleDossierService(catalog, store, "http://127.0.0.1:8080")
    first = service.sample(CODE)
    store.inner.delete(first.key)  # were the file read, the sample would be rendered again
    unchanged = service.sample(CODE, if_none_match=lambda etag: etag == first.etag)
    assert unchanged.data is None and unchanged.etag == first.etag
    assert store.puts == [first.key]


def test_rendering_is_deterministic_so_concurrent_workers_store_the_same_bytes(tmp_path):
    catalog = load_catalog()
    a = SampleDossierService(catalog, LocalFileStore(tmp_path / "a"), "http://127.0.0.1:8080").sample(CODE)
    b = SampleDossierService(catalog, LocalFileStore(tmp_path / "b"), "http://127.0.0.1:8080").sample(CODE)
    assert a.data == b.data and a.etag == b.etag


def test_a_new_render_deletes_the_renders_of_earlier_versions_of_that_entry_only(tmp_path):
    catalog = load_catalog()
    store = LocalFileStore(tmp_path / "files")
    other = SampleDossierService(catalog, store, "x").sample("1.001193")
    before = SampleDossierService(catalog, store, "x").sample(CODE)
    after = SampleDossierService(with_fee(catalog, CODE, "Lệ phí mới: 25.000 đồng"), store, "x").sample(CODE)
    assert store.keys(f"samples/{CODE}/") == [after.key]
    assert store.get(before.key) is None and store.get(after.key) == after.data
    assert store.get(other.key) == other.data  # another procedure's sample stays


class NoListing(CountingStore):
    def keys(self, prefix: str) -> list[str]:
        raise PermissionError("AccessDenied")  # e.g. a role without s3:ListBucket


def test_a_failed_sweep_still_serves_the_new_sample_and_keeps_the_old_file(tmp_path, caplog):
    catalog = load_catalog()
    store = NoListing(LocalFileStore(tmp_path / "files"))
    before = SampleDossierService(catalog, store, "x").sample(CODE)
    after = SampleDossierService(with_fee(catalog, CODE, "Lệ phí mới: 25.000 đồng"), store, "x").sample(CODE)
    assert after.data.startswith(b"%PDF") and store.get(before.key) is not None
    assert "could not sweep old sample renders of " + CODE in caplog.text
