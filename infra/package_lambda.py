"""`make package`: build the one Lambda artifact (build/motcua-lambda.zip) offline, from manylinux wheels.

The same zip serves the HTTP app (Zappa: ``zappa deploy|update production --zip …``; Zappa's ``handler.py`` and a
generated ``zappa_settings.py`` sit at its root, exactly where ``zappa package`` puts them) and the event functions
of serverless.yml (``package.artifact``; handlers ``functions.<name>.handler``).

Steps, none of which needs AWS credentials:
1. the runtime pins of requirements.txt, less what Lambda already has (boto3, botocore, s3transfer) and what only
   the embedded runtime uses (gunicorn), plus Zappa's handler (``zappa`` and its one non-boto import
   ``durationpy``, pinned in requirements-dev.txt, installed without their deploy-time dependencies);
2. ``pip wheel`` builds wheels for the pure-Python packages published only as sdists (http-ece, py-vapid);
3. ``pip install --target --platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64 --python-version 3.11
   --only-binary=:all:``: Linux x86_64 wheels for CPython 3.11 whatever the build machine;
4. our code (backend/motcua with its fonts and data, functions/), Zappa's handler and settings module;
5. byte-code compiled with ``unchecked-hash`` pycs: /var/task is read-only, so without them every cold start would
   compile every module again (and zip's 2-second timestamps would invalidate timestamp-based pycs);
6. ``PRUNE``: modules we never load (Pillow's AVIF/WebP codecs, fontTools' optional Cython builds, bundled test
   suites), each with its reason;
7. checks: zipped size ≤ 50 MiB (Lambda's limit for a direct upload), no tests or dev tools, the fonts and catalog
   present (``check_artifact``), and no native library needing a newer glibc than 2.26, Amazon Linux 2's, the OS
   of the python3.11 runtime (``glibc_problems``; weak version references such as cbor2's ``statx`` are fine).

Run: ``python infra/package_lambda.py [--out build/motcua-lambda.zip]``; exit status 1 lists what is wrong.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGE = "production"
PYTHON_VERSION = "3.11"  # the Lambda runtime python3.11 (zappa_settings.json, serverless.yml)
PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_28_x86_64")  # first one preferred
MAX_ZIPPED_BYTES = 50 * 1024 * 1024
GLIBC_MAX = (2, 26)  # Amazon Linux 2, the OS of Lambda's python3.11 runtime

# Distributions left out of the artifact, and why.
IN_LAMBDA_RUNTIME = {"boto3", "botocore", "s3transfer"}
EMBEDDED_ONLY = {"gunicorn"}  # the embedded runtime's WSGI server; Lambda calls the app through Zappa's handler
# From requirements-dev.txt: Zappa's request handler and its one import beyond boto3/werkzeug. Installed without
# dependencies: troposphere, kappa, pip, … are deploy-time only.
HANDLER_DISTRIBUTIONS = ("zappa", "durationpy")

# Left out of the installed packages to stay under 50 MB, each with why it is safe. Pillow imports its plugins
# inside try/except ImportError and we decode only JPEG and PNG; fontTools ships Cython builds of modules whose
# .py source sits beside them (the source is used when the .so is absent); bundled test suites are never run.
PRUNE = {
    "PIL/_avif*": "AVIF plugin: unused, and its libavif needs glibc 2.27",
    "pillow.libs/libavif-*": "AVIF codec library (4.9 MB)",
    "PIL/_webp*": "WebP plugin: unused (uploads are JPEG, PNG or PDF)",
    "pillow.libs/libwebp*": "WebP codec libraries",
    "pillow.libs/libsharpyuv-*": "WebP helper; needs glibc 2.27",
    "PIL/_imagingmath*": "ImageMath: unused; needs glibc 2.27",
    "PIL/_imagingtk*": "Tk bindings: no display on Lambda",
    "fontTools/**/*.so": "Cython accelerators (12 MB); the pure-Python modules beside them are used instead",
    "**/tests": "test suites bundled in packages (certifi, py_vapid, pywebpush)",
    "**/*.pyi": "type stubs",
}

# Top-level names that must never ship (tests and development tools).
FORBIDDEN_TOP = {"tests", "pytest", "_pytest", "moto", "playwright", "hypothesis", "pypdf", "ruff", "mypy",
                 "zxing_cpp", "jsonschema", "cfn_lint", "gunicorn", "boto3", "botocore", "s3transfer", "pip",
                 "setuptools", "troposphere", "kappa", "pwa", "bench", "var"}
# Paths (zip entry names or glob-like prefixes) that must be there.
REQUIRED = ("handler.py", "zappa_settings.py", "zappa/handler.py", "motcua/lambda_app.py", "motcua/wsgi.py",
            "motcua/documents/fonts/NotoSerif-Regular.ttf", "motcua/documents/fonts/NotoSerif-Bold.ttf",
            "motcua/data/units.yaml", "motcua/data/calendar.yaml")
REQUIRED_PREFIXES = ("motcua/data/catalog/", "functions/")

_PIN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*==\s*([^\s;#]+)")


def _pins(path: Path) -> dict[str, str]:
    """``name -> full requirement line`` for every ``name==version`` line of a requirements file."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = line.split("#", 1)[0].strip()
    return pins


def runtime_requirements(root: Path = ROOT) -> list[str]:
    """The pins installed with their dependencies: requirements.txt less the runtime's and embedded-only ones."""
    return [line for name, line in _pins(root / "requirements.txt").items()
            if name not in IN_LAMBDA_RUNTIME | EMBEDDED_ONLY]


def handler_requirements(root: Path = ROOT) -> list[str]:
    """Zappa's handler and durationpy, pinned in requirements-dev.txt (installed with --no-deps)."""
    pins = _pins(root / "requirements-dev.txt")
    missing = [name for name in HANDLER_DISTRIBUTIONS if name not in pins]
    if missing:
        raise SystemExit(f"requirements-dev.txt must pin {', '.join(missing)}")
    return [pins[name] for name in HANDLER_DISTRIBUTIONS]


def zappa_settings_module(settings_file: Path = ROOT / "infra" / "zappa_settings.json", stage: str = STAGE) -> str:
    """The ``zappa_settings.py`` that ``zappa package`` would write (Zappa's own generator; no AWS call)."""
    from zappa.cli import ZappaCLI

    cli = ZappaCLI()
    cli.api_stage = stage
    cli.load_settings(str(settings_file))
    return cli.get_zappa_settings_string()


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args],  # noqa: S603
                   check=True)


def _platform_args() -> list[str]:
    args = ["--python-version", PYTHON_VERSION, "--implementation", "cp", "--only-binary=:all:"]
    for platform in PLATFORMS:
        args += ["--platform", platform]
    return args


def install_dependencies(target: Path, work: Path) -> None:
    requirements = work / "requirements.lambda.txt"
    requirements.write_text("\n".join(runtime_requirements()) + "\n", encoding="utf-8")
    pure = work / "pure-wheels"
    # Wheels for this machine; only the pure-Python ones are kept (built from sdists where that is all there is).
    _pip("wheel", "-r", str(requirements), "-w", str(pure))
    for wheel in pure.glob("*.whl"):
        if not wheel.name.endswith("-none-any.whl"):
            wheel.unlink()
    _pip("install", "--target", str(target), "--find-links", str(pure), *_platform_args(), "-r", str(requirements))
    _pip("install", "--target", str(target), "--no-deps", *_platform_args(), *handler_requirements())
    for name in ("bin",):
        shutil.rmtree(target / name, ignore_errors=True)
    prune(target)
    for entry in list(target.iterdir()):  # belt and braces: nothing of boto may come in through a dependency
        base = entry.name.split("-")[0].lower()
        if base in IN_LAMBDA_RUNTIME | EMBEDDED_ONLY:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def prune(target: Path) -> None:
    for pattern in PRUNE:
        for path in sorted(target.glob(pattern), reverse=True):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def copy_code(target: Path, root: Path = ROOT) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache")
    shutil.copytree(root / "backend" / "motcua", target / "motcua", ignore=ignore)
    shutil.copytree(root / "functions", target / "functions", ignore=shutil.ignore_patterns(
        "__pycache__", "*.pyc", "*.md"))
    handler = target / "zappa" / "handler.py"
    # Where `zappa package` puts it; the Lambda handler setting is handler.lambda_handler.
    shutil.copyfile(handler, target / "handler.py")
    (target / "zappa_settings.py").write_text(zappa_settings_module(root / "infra" / "zappa_settings.json"),
                                              encoding="utf-8")


def compile_bytecode(target: Path) -> None:
    ok = compileall.compile_dir(str(target), quiet=2, workers=0, legacy=False,
                                invalidation_mode=compileall.py_compile.PycInvalidationMode.UNCHECKED_HASH)
    if not ok:
        raise SystemExit("byte-compiling the artifact failed")


def write_zip(source: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(path.relative_to(source).as_posix(), date_time=(2020, 1, 1, 0, 0, 0))
                info.external_attr = (0o755 if os.access(path, os.X_OK) else 0o644) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes(), compresslevel=9)
    tmp.replace(out)


def _glibc_needed(path: Path) -> tuple[int, int] | None:
    """Highest non-weak GLIBC version a shared object needs (``readelf -V``), None if it needs none."""
    listing = subprocess.run(["readelf", "-V", "-W", str(path)],  # noqa: S603, S607 - binutils on the build host
                             capture_output=True, text=True, check=False).stdout
    versions = [tuple(int(p) for p in m.group(1).split(".")[:2])
                for m in re.finditer(r"Name: GLIBC_([0-9.]+)\s+Flags: (?!WEAK)\S+", listing)]
    return max(versions) if versions else None  # type: ignore[return-value]


def glibc_problems(tree: Path) -> list[str]:
    problems = []
    for path in sorted(tree.rglob("*.so*")):
        if not path.is_file():
            continue
        needed = _glibc_needed(path)
        if needed is None or needed <= GLIBC_MAX:
            continue
        name = path.relative_to(tree).as_posix()
        problems.append(f"{name} needs GLIBC_{needed[0]}.{needed[1]} (Amazon Linux 2 has 2.26)")
    return problems


def check_entries(names: Iterable[str]) -> list[str]:
    """What is wrong with a list of zip entry names: forbidden top-level names, missing required files."""
    names = list(names)
    problems = []
    present = set(names)
    tops = {name.split("/", 1)[0] for name in names}
    for name in names:
        parts = name.split("/")
        if "tests" in parts[:-1] or parts[-1] in {"conftest.py"}:
            problems.append(f"must not ship test code: {name}")
            break
    for top in sorted(tops):
        base = re.split(r"[-.]", top, maxsplit=1)[0].lower()  # "pytest-9.dist-info" -> "pytest"
        if top in FORBIDDEN_TOP or base in FORBIDDEN_TOP:
            problems.append(f"must not ship: {top}")
    problems += [f"missing: {name}" for name in REQUIRED if name not in present]
    for prefix in REQUIRED_PREFIXES:
        if not any(name.startswith(prefix) and name.endswith((".py", ".yaml", ".yml")) for name in names):
            problems.append(f"missing: {prefix}…")
    return problems


def check_size(size: int, limit: int = MAX_ZIPPED_BYTES) -> list[str]:
    return [] if size <= limit else [f"zipped size {size / 1e6:.1f} MB exceeds the {limit / 1e6:.1f} MB limit"]


def check_artifact(zip_path: Path, limit: int = MAX_ZIPPED_BYTES) -> list[str]:
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
    return check_size(zip_path.stat().st_size, limit) + check_entries(names)


def build(out: Path) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="motcua-lambda-") as tmp:
        work = Path(tmp)
        target = work / "task"
        target.mkdir()
        install_dependencies(target, work)
        copy_code(target)
        problems = glibc_problems(target)
        compile_bytecode(target)
        unzipped = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
        write_zip(target, out)
    problems += check_artifact(out)
    size = out.stat().st_size
    print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: {size / 1024 / 1024:.1f} MiB zipped "
          f"({size / 1e6:.1f} MB; limit {MAX_ZIPPED_BYTES / 1024 / 1024:.0f} MiB), "
          f"{unzipped / 1024 / 1024:.0f} MiB unzipped (limit 250 MiB)")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "motcua-lambda.zip")
    args = parser.parse_args(argv)
    problems = build(args.out.resolve())
    for problem in problems:
        print(f"package: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
