"""The DynamoDB tables, as data (ADR 0006): serverless.yml declares the same tables, and a test checks it agrees.

Two tables, both on-demand:

* ``{prefix}records``: every record (single-table design). ``pk``/``sk`` strings; four overloaded GSIs whose key
  attributes are ``gsiNpk``/``gsiNsk`` (strings, projecting ALL); TTL on ``expires_ttl`` (epoch seconds).
* ``{prefix}audit``: the append-only audit trail, ``subject`` (string) + ``seq`` (number).

``create_tables(client, prefix)`` creates them (tests, development against a local endpoint). Deployment creates
them from serverless.yml instead.
"""

from __future__ import annotations

from typing import Any

RECORDS = "records"
AUDIT = "audit"
TTL_ATTRIBUTE = "expires_ttl"
BILLING_MODE = "PAY_PER_REQUEST"

# Index name -> what it serves (documentation only; the adapter builds the keys).
INDEX_PURPOSES: dict[str, str] = {
    "gsi1": "owner lists: dossiers by citizen, payments/deliveries by dossier, passkeys by official, push "
            "subscriptions by user",
    "gsi2": "status + time: dossiers in status since, payments in status created before, deliveries since",
    "gsi3": "queues: the worklist (unit + due date), the outbox's pending messages, the in-app inbox",
    "gsi4": "time sweeps: dossiers due in a window (by UTC day), records to purge (by table + purge time)",
}


def _gsi(number: int) -> dict[str, Any]:
    return {
        "IndexName": f"gsi{number}",
        "KeySchema": [{"AttributeName": f"gsi{number}pk", "KeyType": "HASH"},
                      {"AttributeName": f"gsi{number}sk", "KeyType": "RANGE"}],
        "Projection": {"ProjectionType": "ALL"},
    }


# Logical name -> CreateTable arguments without TableName (the table's name is prefix + logical name).
TABLES: dict[str, dict[str, Any]] = {
    RECORDS: {
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"}
            for name in ("pk", "sk", *(f"gsi{n}{part}" for n in range(1, 5) for part in ("pk", "sk")))
        ],
        "GlobalSecondaryIndexes": [_gsi(n) for n in range(1, 5)],
        "BillingMode": BILLING_MODE,
    },
    AUDIT: {
        "KeySchema": [{"AttributeName": "subject", "KeyType": "HASH"}, {"AttributeName": "seq", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "subject", "AttributeType": "S"},
                                 {"AttributeName": "seq", "AttributeType": "N"}],
        "BillingMode": BILLING_MODE,
    },
}

# Logical name -> TTL attribute (tables without TTL are absent).
TTL: dict[str, str] = {RECORDS: TTL_ATTRIBUTE}

DEFAULT_PREFIX = "motcua-"


def table_name(prefix: str, logical: str) -> str:
    return f"{prefix}{logical}"


def create_tables(client: Any, prefix: str = DEFAULT_PREFIX) -> list[str]:
    """Create every table (waiting until active) and switch TTL on; returns the table names. For tests and dev."""
    names = []
    for logical, spec in TABLES.items():
        name = table_name(prefix, logical)
        client.create_table(TableName=name, **spec)
        client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        if logical in TTL:
            client.update_time_to_live(TableName=name, TimeToLiveSpecification={
                "Enabled": True, "AttributeName": TTL[logical]})
        names.append(name)
    return names


def delete_tables(client: Any, prefix: str = DEFAULT_PREFIX) -> None:
    for logical in TABLES:
        client.delete_table(TableName=table_name(prefix, logical))
