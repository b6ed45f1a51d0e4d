"""serverless.yml → a plain CloudFormation template, for cfn-lint and for the descriptor tests.

Serverless resolves its own variables at deploy time; offline they are replaced like this (and nothing else):

===============================  =========================================================================
``${self:a.b}``                  the value at that path of serverless.yml (resolved in turn)
``${sls:stage}``, ``${opt:stage…}``  the stage (default ``production``)
``${aws:region}``                ``provider.region``
``${aws:accountId}``             ``123456789012`` (a stub account id)
``${param:name, 'default'}``     the value given in ``params``, else the default after the comma
``${ssm:/path}``                 ``ssm-resolved-at-deploy:/path`` (never the secret: there is none offline)
===============================  =========================================================================

Besides ``resources`` (Conditions, Resources, Outputs), the template holds what Serverless would generate for
``functions``, so that the references in our resources resolve and the functions' settings are linted too: one
``AWS::Lambda::Function`` per function (logical id ``<Name>LambdaFunction``, Serverless' naming), an
``AWS::Lambda::EventSourceMapping`` per ``sqs`` event and an ``AWS::Events::Rule`` per ``schedule`` event.

    python infra/cfn_template.py [--stage production] > /tmp/motcua.template.json && cfn-lint /tmp/motcua.template.json
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
STUB_ACCOUNT_ID = "123456789012"
_VARIABLE = re.compile(r"\$\{([^${}]+)\}")  # innermost first: no '$' or braces inside


def load(path: Path = ROOT / "serverless.yml") -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _default(expression: str) -> str | None:
    if "," not in expression:
        return None
    return expression.split(",", 1)[1].strip().strip("'\"")


class Resolver:
    def __init__(self, doc: dict[str, Any], stage: str = "production", params: dict[str, str] | None = None) -> None:
        self.doc, self.stage, self.params = doc, stage, params or {}

    def _lookup(self, source: str, address: str, expression: str) -> Any:
        if source == "self":
            node: Any = self.doc
            for part in address.split(",")[0].strip().split("."):
                node = node[part]
            return self.resolve(node)
        if source == "sls" and address == "stage":
            return self.stage
        if source == "opt" and address.split(",")[0].strip() == "stage":
            return self.stage
        if source == "aws" and address == "region":
            return self.doc["provider"]["region"]
        if source == "aws" and address == "accountId":
            return STUB_ACCOUNT_ID
        if source == "param":
            name = address.split(",")[0].strip()
            if name in self.params:
                return self.params[name]
            default = _default(expression)
            if default is None:
                raise KeyError(f"${{{expression}}} has no default and no value was given")
            return default
        if source == "ssm":
            return f"ssm-resolved-at-deploy:{address.strip()}"
        raise KeyError(f"unknown Serverless variable ${{{expression}}}")

    def resolve_string(self, text: str) -> Any:
        while True:
            match = _VARIABLE.search(text)
            if match is None:
                return text
            expression = match.group(1)
            source, _, address = expression.partition(":")
            value = self._lookup(source.strip(), address, expression)
            if match.span() == (0, len(text)) and not isinstance(value, str):
                return value  # a whole-value reference to a non-string (a map, a number)
            text = text[:match.start()] + str(value) + text[match.end():]

    def resolve(self, node: Any) -> Any:
        if isinstance(node, str):
            return self.resolve_string(node)
        if isinstance(node, list):
            return [self.resolve(item) for item in node]
        if isinstance(node, dict):
            return {self.resolve(key): self.resolve(value) for key, value in node.items()}
        return node


def logical_id(function_name: str) -> str:
    """Serverless' logical id of a function (``uploadCheck`` → ``UploadCheckLambdaFunction``)."""
    normal = function_name.replace("-", "Dash").replace("_", "Underscore")
    return normal[0].upper() + normal[1:] + "LambdaFunction"


def function_resources(doc: dict[str, Any]) -> dict[str, Any]:
    provider = doc["provider"]
    out: dict[str, Any] = {}
    for name, fn in doc.get("functions", {}).items():
        fid = logical_id(name)
        out[fid] = {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "FunctionName": f"{doc['service']}-{provider['stage']}-{name}",
                "Handler": fn["handler"],
                "Runtime": fn.get("runtime", provider["runtime"]),
                "Architectures": [provider.get("architecture", "x86_64")],
                "MemorySize": fn.get("memorySize", provider.get("memorySize", 1024)),
                "Timeout": fn.get("timeout", provider.get("timeout", 6)),
                "Role": {"Fn::GetAtt": [fn["role"], "Arn"]},
                "Code": {"S3Bucket": "serverless-deployment-bucket", "S3Key": Path(doc["package"]["artifact"]).name},
                "Environment": {"Variables": {**provider.get("environment", {}), **fn.get("environment", {})}},
            },
        }
        for index, event in enumerate(fn.get("events", []), start=1):
            if "sqs" in event:
                sqs = event["sqs"]
                mapping: dict[str, Any] = {"EventSourceArn": sqs["arn"], "FunctionName": {"Fn::GetAtt": [fid, "Arn"]},
                                           "BatchSize": sqs.get("batchSize", 10), "Enabled": True}
                if "maximumBatchingWindow" in sqs:
                    mapping["MaximumBatchingWindowInSeconds"] = sqs["maximumBatchingWindow"]
                if "functionResponseType" in sqs:
                    mapping["FunctionResponseTypes"] = [sqs["functionResponseType"]]
                out[f"{fid[:-len('LambdaFunction')]}EventSourceMappingSQS{index}"] = {
                    "Type": "AWS::Lambda::EventSourceMapping", "Properties": mapping}
            elif "schedule" in event:
                schedule = event["schedule"]
                rate = schedule if isinstance(schedule, str) else schedule["rate"]
                out[f"{fid[:-len('LambdaFunction')]}EventsRuleSchedule{index}"] = {
                    "Type": "AWS::Events::Rule",
                    "Properties": {"ScheduleExpression": rate, "State": "ENABLED",
                                   "Targets": [{"Id": f"{name}Schedule", "Arn": {"Fn::GetAtt": [fid, "Arn"]}}]}}
            else:
                raise ValueError(f"function {name}: event {sorted(event)} is not modelled here")
    return out


def template(stage: str = "production", params: dict[str, str] | None = None,
             doc: dict[str, Any] | None = None) -> dict[str, Any]:
    """The resolved CloudFormation template (see the module docstring)."""
    raw = copy.deepcopy(doc if doc is not None else load())
    resolved = Resolver(raw, stage, params).resolve(raw)
    resources = resolved.get("resources", {})
    body: dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09",
                            "Description": f"{resolved['service']} {stage} (from serverless.yml)"}
    if "Conditions" in resources:
        body["Conditions"] = resources["Conditions"]
    body["Resources"] = {**function_resources(resolved), **resources["Resources"]}
    if "Outputs" in resources:
        body["Outputs"] = resources["Outputs"]
    return body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="serverless.yml → CloudFormation JSON on stdout")
    parser.add_argument("--stage", default="production")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    params = dict(item.split("=", 1) for item in args.param)
    json.dump(template(args.stage, params), sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
