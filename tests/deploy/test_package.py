"""`make package`: what goes into the Lambda artifact, what must not, and the checks that fail the build.

The fast tests run the builder's own selection and checks on real inputs (requirements files, shared objects of
the installed wheels). One test (marked ``package``) builds the real artifact from manylinux wheels, checks it as
`make package` does, and answers a request from it through Zappa's handler with nothing of this machine's
site-packages on the path.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(next(p for p in sys.path if p.endswith("site-packages")))

GOOD = ["handler.py", "zappa_settings.py", "zappa/handler.py", "motcua/lambda_app.py", "motcua/wsgi.py",
        "motcua/documents/fonts/NotoSerif-Regular.ttf", "motcua/documents/fonts/NotoSerif-Bold.ttf",
        "motcua/data/units.yaml", "motcua/data/calendar.yaml", "motcua/data/catalog/ho_tich.yaml",
        "functions/__init__.py", "functions/queue_consumer.py", "flask/__init__.py", "reportlab/__init__.py"]


def test_runtime_requirements_are_requirements_txt_less_what_lambda_has(packaging):
    lines = packaging.runtime_requirements()
    names = {line.split("==")[0].split("[")[0].lower() for line in lines}
    assert not names & {"boto3", "botocore", "s3transfer", "gunicorn"}
    pinned = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    for line in lines:
        assert line in pinned and "==" in line, line
    assert {"flask", "reportlab", "pyhanko", "pywebpush", "pillow", "cryptography"} <= names
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    handler = packaging.handler_requirements()
    assert [line.split("==")[0] for line in handler] == ["zappa", "durationpy"]
    assert all(line in dev for line in handler)
    # nothing for tests or tools: none of requirements-dev.txt's own pins is installed
    dev_only = {line.split("==")[0].split("[")[0].lower() for line in dev.splitlines()
                if "==" in line and line not in pinned} - {"zappa", "durationpy"}
    assert {"pytest", "moto", "playwright", "hypothesis", "cfn-lint"} <= dev_only
    assert not dev_only & names


def test_a_complete_artifact_passes(packaging):
    assert packaging.check_entries(GOOD) == []


@pytest.mark.parametrize(("extra", "problem"), [
    ("tests/deploy/test_package.py", "tests"),
    ("pytest/__init__.py", "pytest"),
    ("pytest-9.2.0.dist-info/METADATA", "pytest"),
    ("moto/__init__.py", "moto"),
    ("playwright/__init__.py", "playwright"),
    ("botocore/__init__.py", "botocore"),
    ("boto3/__init__.py", "boto3"),
    ("pywebpush/tests/test_webpush.py", "tests"),
])
def test_tests_and_dev_tools_are_refused(packaging, extra, problem):
    problems = packaging.check_entries([*GOOD, extra])
    assert problems and problem in " ".join(problems)


@pytest.mark.parametrize("missing", ["motcua/documents/fonts/NotoSerif-Regular.ttf", "motcua/data/units.yaml",
                                     "handler.py", "zappa_settings.py"])
def test_missing_fonts_data_or_handler_are_refused(packaging, missing):
    problems = packaging.check_entries([n for n in GOOD if n != missing])
    assert problems == [f"missing: {missing}"]


def test_an_artifact_without_the_catalog_is_refused(packaging):
    problems = packaging.check_entries([n for n in GOOD if not n.startswith("motcua/data/catalog/")])
    assert problems == ["missing: motcua/data/catalog/…"]


def test_size_limit_is_lambdas_50_mib_for_a_direct_upload(packaging):
    limit = packaging.MAX_ZIPPED_BYTES
    assert limit == 50 * 1024 * 1024
    assert packaging.check_size(limit) == []
    (problem,) = packaging.check_size(limit + 1)
    assert "exceeds" in problem


def test_check_artifact_reads_the_zip_it_is_given(packaging, tmp_path):
    path = tmp_path / "small.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name in GOOD:
            archive.writestr(name, b"x")
        archive.writestr("tests/conftest.py", b"")
    assert packaging.check_artifact(path) == ["must not ship test code: tests/conftest.py", "must not ship: tests"]
    assert "exceeds" in packaging.check_artifact(path, limit=10)[0]


def _shared_object(package: str, prefix: str) -> Path:
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations)))
    return next(folder.glob(f"{prefix}*.so"))


def test_glibc_check_flags_real_modules_built_for_a_newer_glibc(packaging, tmp_path):
    if shutil.which("readelf") is None:
        pytest.skip("binutils' readelf is not installed")
    # Pillow's ImageMath needs glibc 2.27 (Amazon Linux 2 has 2.26); cbor2 asks for 2.28 only weakly (statx).
    newer = _shared_object("PIL", "_imagingmath")
    weak = _shared_object("cbor2", "_cbor2")
    fine = _shared_object("PIL", "_imaging.")
    assert packaging._glibc_needed(newer) == (2, 27)
    assert packaging._glibc_needed(weak) <= packaging.GLIBC_MAX
    assert packaging._glibc_needed(fine) <= packaging.GLIBC_MAX
    for path in (newer, weak, fine):
        shutil.copy(path, tmp_path / path.name)
    (problem,) = packaging.glibc_problems(tmp_path)
    assert newer.name in problem and "GLIBC_2.27" in problem


def test_pruned_paths_exist_in_the_pinned_wheels_so_the_list_is_not_stale(packaging):
    for pattern in packaging.PRUNE:
        assert any(SITE.glob(pattern)), pattern


@pytest.mark.package
def test_the_real_artifact_builds_fits_and_answers_through_zappas_handler(packaging, tmp_path):
    out = tmp_path / "motcua-lambda.zip"
    problems = packaging.build(out)
    assert problems == []
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
    tops = {name.split("/", 1)[0].split("-")[0].lower() for name in names}
    assert not tops & {"tests", "pytest", "_pytest", "moto", "playwright", "boto3", "botocore", "gunicorn"}
    assert {"motcua/documents/fonts/NotoSerif-Regular.ttf", "handler.py", "zappa_settings.py"} <= set(names)
    assert any(n.startswith("motcua/data/catalog/") and n.endswith(".yaml") for n in names)
    assert out.stat().st_size <= packaging.MAX_ZIPPED_BYTES
    # A cold start from the artifact alone (plus what Lambda's runtime has), as bench/cold_start.py measures it.
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import cold_start
    finally:
        sys.path.remove(str(ROOT / "bench"))
    paths, _ = cold_start.prepare(False, tmp_path / "run", artifact=out)
    reply = cold_start.sample(paths, True, cold_start.api_gateway_event("/api/v1/procedures", {"q": "khai sinh"}))
    assert "Đăng ký khai sinh" in reply["body"]
