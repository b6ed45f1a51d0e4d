"""Fixtures for the deploy descriptors: serverless.yml (as Serverless would resolve it for stage production) and
infra/zappa_settings.json, plus the helper modules under infra/ (not a package: loaded from their paths)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
STAGE = "production"
# cfn-lint's own check that a stub certificate is well formed; the real one is a deploy parameter.
STUB_CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"


if str(ROOT) not in sys.path:  # functions/ is a top-level package in the artifact (/var/task), as here
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def stub_params() -> dict[str, str]:
    """Deploy parameters without a default in serverless.yml, stubbed for the offline template."""
    return {"certificateArn": STUB_CERTIFICATE}


def infra_module(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "infra" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def cfn() -> ModuleType:
    return infra_module("cfn_template")


@pytest.fixture(scope="session")
def packaging() -> ModuleType:
    return infra_module("package_lambda")


@pytest.fixture(scope="session")
def serverless_raw(cfn) -> dict:
    return cfn.load(ROOT / "serverless.yml")


@pytest.fixture(scope="session")
def serverless(cfn, serverless_raw) -> dict:
    """serverless.yml with its variables resolved (infra/cfn_template.py explains the stubs)."""
    return cfn.Resolver(serverless_raw, STAGE, {"certificateArn": STUB_CERTIFICATE}).resolve(serverless_raw)


@pytest.fixture(scope="session")
def template(cfn, serverless_raw) -> dict:
    return cfn.template(STAGE, {"certificateArn": STUB_CERTIFICATE}, doc=serverless_raw)


@pytest.fixture(scope="session")
def zappa() -> dict:
    return json.loads((ROOT / "infra" / "zappa_settings.json").read_text(encoding="utf-8"))[STAGE]


@pytest.fixture(scope="session")
def resources(template) -> dict:
    return template["Resources"]
