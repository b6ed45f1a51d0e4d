"""DynamoDB requests and capacity units per dossier, counted on the real code paths (the cost estimate in
infra/README.md uses these counts).

One dossier goes through the whole online life the API offers, on the DynamoDB store (moto in server mode, real
HTTP, the DynamoDB wire protocol): the citizen signs in with an SMS code, creates a draft, attaches the documents,
submits; the receiving officer receives and forwards; the leader assigns; the specialist proposes; the leader
previews and signs with a passkey; the officer returns the result online; the citizen downloads it; and the outbox
worker delivers every notification the steps raised. Every DynamoDB call is counted per step, with the capacity
units it would be billed on demand: reads 0.5 RRU per 4 KB (eventually consistent) or 1 (strongly consistent),
writes 1 WRU per KB, both doubled inside transactions; item sizes are those of the items sent, or of the items
returned for reads (moto's own ConsumedCapacity is not trusted). Updates are billed on the larger of the item before
and after: counted here as the item's size after the update, read back.

    python bench/dynamodb_ops.py
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import uuid
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "backend"), str(ROOT / "tests"), str(ROOT)]

from bench.harness import moto_server  # noqa: E402

READS = {"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"}
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


def _size(item: dict) -> int:
    """Approximate DynamoDB item size: attribute names + values as sent on the wire."""
    return len(json.dumps(item, separators=(",", ":"), ensure_ascii=False, default=bytes.hex).encode())


class Meter:
    def __init__(self) -> None:
        self.step = "setup"
        self.calls: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.units: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.client = None

    def record(self, client, operation: str, params: dict, reply: dict) -> None:
        calls, units = self.calls[self.step], self.units[self.step]
        calls[operation] += 1
        if operation in READS:
            items = reply.get("Items") or ([reply["Item"]] if reply.get("Item") else [])
            if operation == "TransactGetItems":
                items = [r["Item"] for r in reply.get("Responses", []) if "Item" in r]
            size = sum(_size(i) for i in items)
            strong = params.get("ConsistentRead") or operation == "TransactGetItems"
            factor = 2 if operation == "TransactGetItems" else 1
            units["RRU"] += factor * max(1, math.ceil(size / 4096)) * (1 if strong else 0.5)
        elif operation == "TransactWriteItems":
            for entry in params["TransactItems"]:
                (kind, body), = entry.items()
                units["WRU"] += 2 * max(1, math.ceil(self._write_size(client, kind, body) / 1024))
            calls["items in transactions"] += len(params["TransactItems"])
        elif operation in WRITES:
            units["WRU"] += max(1, math.ceil(self._write_size(client, operation, params) / 1024))

    def _write_size(self, client, kind: str, body: dict) -> int:
        if "Item" in body:
            return _size(body["Item"])
        if kind in ("Update", "UpdateItem"):
            got = client._motcua_raw_get(TableName=body["TableName"], Key=body["Key"])
            return _size(got.get("Item", {}))
        return 0  # deletes and condition checks: 1 unit for up to 1 KB


def install(meter: Meter) -> None:
    import botocore.client

    original = botocore.client.BaseClient._make_api_call

    def counting(self, operation_name, api_params):
        reply = original(self, operation_name, api_params)
        if self.meta.service_model.service_name == "dynamodb" and not getattr(self, "_motcua_quiet", False):
            if not hasattr(self, "_motcua_raw_get"):
                def raw_get(**kw):
                    self._motcua_quiet = True
                    try:
                        return original(self, "GetItem", kw)
                    finally:
                        self._motcua_quiet = False
                self._motcua_raw_get = raw_get
            meter.record(self, operation_name, api_params, reply)
        return reply

    botocore.client.BaseClient._make_api_call = counting


def main() -> int:
    with moto_server() as endpoint:
        import boto3

        from conftest import ApiClient, OfficialClient  # the API tests' clients: CSRF, SMS codes, passkeys
        from motcua.adapters import dynamodb_schema
        from motcua.adapters.dynamodb_core import DynamoConfig
        from motcua.adapters.dynamodb_store import DynamoUnitOfWorkFactory
        from motcua.api.app import create_app
        from motcua.bootstrap import SystemClock, _compose, _embedded_adapters
        from motcua.config import Settings
        from motcua.seed import seed_officials

        dynamodb_schema.create_tables(boto3.client("dynamodb", endpoint_url=endpoint), "bench-")
        tmp = Path(tempfile.mkdtemp(prefix="motcua-ddb-"))
        settings = Settings.from_env({}, data_dir=tmp, start_worker=False, secret_key=b"bench",
                                     public_base_url="http://127.0.0.1:8080")
        clock = SystemClock()
        adapters = replace(_embedded_adapters(settings, clock), uow=DynamoUnitOfWorkFactory(
            DynamoConfig(table_prefix="bench-", endpoint_url=endpoint)))
        container = _compose(settings, clock, adapters)
        app = create_app(container=container)
        seed_officials(container)
        meter = Meter()
        install(meter)

        from api.helpers import attach_all, drain, new_draft
        from api.test_workflow import LEADER, RECEIVER, SPECIALIST, act, ok, propose

        def step(name):
            meter.step = name

        step("citizen: sign in (OTP request + verify)")
        citizen = ApiClient(app.test_client())
        citizen.sign_in()
        step("citizen: draft + attachments")
        dossier = new_draft(citizen)
        attach_all(citizen, dossier)
        step("citizen: submit (+ receipt)")
        reply = citizen.post(f"/api/v1/dossiers/{dossier['id']}/submit", json={},
                             headers={"Idempotency-Key": uuid.uuid4().hex})
        assert reply.status_code == 200, reply.get_json()
        assert citizen.get(f"/api/v1/dossiers/{dossier['id']}/receipt.pdf").status_code == 200
        step("setup")
        receiver, leader, specialist = (OfficialClient(app.test_client(), container, o)
                                        for o in (RECEIVER, LEADER, SPECIALIST))
        step("officials: receive, forward, assign, propose")
        receiver.get("/api/v1/work/dossiers?unit=phuong-tran-bien")
        propose({RECEIVER: receiver, LEADER: leader, SPECIALIST: specialist}.__getitem__, dossier["id"],
                note="Đủ điều kiện")
        step("leader: preview + sign with passkey")
        preview = leader.get(f"/api/v1/work/dossiers/{dossier['id']}/result-preview.pdf")
        items = [{"dossier_id": dossier["id"], "sha256": preview.headers["X-Content-SHA256"]}]
        options = leader.post("/api/v1/work/signing/options", json={"items": items}).get_json()
        signed = leader.post("/api/v1/work/signing/complete", json={
            "challenge_id": options["challenge_id"], "credential": leader.authenticator.get(options["options"]),
            "items": items})
        assert signed.status_code == 200, signed.get_json()
        step("officer: return result; citizen: track + download")
        ok(act(receiver, dossier["id"], "return_result", method="online"))
        citizen.get(f"/api/v1/dossiers/{dossier['id']}")
        assert citizen.get(f"/api/v1/dossiers/{dossier['id']}/result.pdf").status_code == 200
        step("outbox worker: every notification of the above")
        drain(container)
        step("setup")
        sent = citizen.get("/dev/outbox").get_json()["items"]
        channels: dict[str, int] = defaultdict(int)
        for message in sent:
            channels[message["channel"]] += 1
        log = receiver.get(f"/api/v1/work/dossiers/{dossier['id']}/deliveries").get_json()["items"]
        for delivery in log:
            channels[f"delivery log: {delivery['channel']}"] += 1

    total_calls: dict[str, int] = defaultdict(int)
    total_units: dict[str, float] = defaultdict(float)
    print("\nDynamoDB per dossier (one online dossier, whole life; on-demand units)\n")
    print(f"{'step':52} {'requests':>9} {'RRU':>7} {'WRU':>7}  operations")
    for name in meter.calls:
        if name == "setup":
            continue
        calls, units = meter.calls[name], meter.units[name]
        requests = sum(v for k, v in calls.items() if k != "items in transactions")
        detail = ", ".join(f"{k} {v}" for k, v in sorted(calls.items()))
        print(f"{name:52} {requests:9d} {units['RRU']:7.1f} {units['WRU']:7.1f}  {detail}")
        for k, v in calls.items():
            total_calls[k] += v
        total_units["RRU"] += units["RRU"]
        total_units["WRU"] += units["WRU"]
    requests = sum(v for k, v in total_calls.items() if k != "items in transactions")
    print(f"{'total':52} {requests:9d} {total_units['RRU']:7.1f} {total_units['WRU']:7.1f}")
    print("\nmessages sent for this dossier (SMS and e-mail through the local log; the delivery log per channel): "
          + ", ".join(f"{k} {v}" for k, v in sorted(channels.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
