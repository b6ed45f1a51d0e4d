"""Every officials' endpoint × every kind of caller: nobody outside the dossier's units learns or changes anything."""

import re

import pytest

from api.test_workflow import submitted
from conftest import ApiClient
from motcua.api.routing import REGISTRY, Access

OFFICIAL_ROUTES = [(spec.rule, method) for spec in REGISTRY if spec.access is Access.OFFICIAL
                   and spec.rule.startswith("/api/v1/work/") for method in spec.methods]


def url_for(rule: str, dossier: dict) -> str:
    values = {"dossier_id": dossier["id"], "attachment_id": dossier["attachments"][0]["id"], "action": "receive",
              "kind": "supplement"}
    path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: values[m.group(1)], rule)
    return path + ("?unit=phuong-tran-bien" if path.endswith("/work/dossiers") else "")


def body_for(rule: str, dossier: dict) -> dict:
    if rule.endswith("/signing/options") or rule.endswith("/signing/complete"):
        return {"items": [{"dossier_id": dossier["id"], "sha256": "0" * 64}], "challenge_id": "x", "credential": {}}
    return {"version": 2, "reason": "x"}


def test_the_matrix_covers_every_officials_route():
    assert len(OFFICIAL_ROUTES) >= 10


@pytest.mark.parametrize("caller", ["anonymous", "citizen", "other_unit_officer", "admin"])
def test_outsiders_get_nothing_and_change_nothing(app, citizen, officials, caller):
    d = submitted(citizen)
    clients = {"anonymous": ApiClient(app.test_client()), "citizen": citizen,
               "other_unit_officer": officials("can-bo-tiep-nhan-trung-tam"), "admin": officials("quan-tri")}
    client = clients[caller]
    before = citizen.get(f"/api/v1/dossiers/{d['id']}").get_json()
    for rule, method in OFFICIAL_ROUTES:
        url = url_for(rule, d)
        reply = client.get(url) if method == "GET" else client.post(url, json=body_for(rule, d))
        expected = {401} if caller in ("anonymous", "citizen") else {403, 404, 409, 422}
        assert reply.status_code in expected, (caller, method, url, reply.status_code)
        if reply.is_json and reply.status_code >= 400:
            assert set(reply.get_json()) == {"error"}  # an error, not data
    after = citizen.get(f"/api/v1/dossiers/{d['id']}").get_json()
    assert after["updated_at"] == before["updated_at"] and after["history"] == before["history"]


@pytest.mark.parametrize("who", ["can-bo-tiep-nhan-tran-bien", "chuyen-vien-tran-bien", "lanh-dao-tran-bien"])
def test_insiders_see_the_dossier_but_act_only_within_their_role(citizen, officials, who):
    d = submitted(citizen)
    client = officials(who)
    detail = client.get(f"/api/v1/work/dossiers/{d['id']}")
    assert detail.status_code == 200
    version = detail.get_json()["version"]
    reply = client.post(f"/api/v1/work/dossiers/{d['id']}/actions/receive", json={"version": version})
    assert reply.status_code == (200 if who == "can-bo-tiep-nhan-tran-bien" else 403)


def test_only_admins_issue_enrolment_links_and_check_the_audit_trail(citizen, officials, container):
    d = submitted(citizen)
    admin, leader = officials("quan-tri"), officials("lanh-dao-tran-bien")
    link = admin.post("/api/v1/admin/officials/chuyen-vien-tran-bien/enrolment", json={})
    assert link.status_code == 200 and "/can-bo/dang-ky?token=" in link.get_json()["url"]
    assert leader.post("/api/v1/admin/officials/chuyen-vien-tran-bien/enrolment", json={}).status_code == 403
    assert citizen.get("/api/v1/admin/audit").status_code == 401
    trail = admin.get(f"/api/v1/admin/audit/{d['id']}").get_json()
    assert trail["check"]["intact"] and [e["action"] for e in trail["entries"]] == ["create", "submit"]
    if not hasattr(container.uow, "db"):
        pytest.skip("tampers with the SQLite file directly")
    container.uow.db.connection().execute("UPDATE audit_log SET actor = 'x' WHERE subject = ? AND seq = 2",
                                          (f"dossier:{d['id']}",))
    summary = admin.get("/api/v1/admin/audit").get_json()
    assert summary["broken"] == [{"subject": f"dossier:{d['id']}", "entries": 2, "intact": False, "broken_at": 2,
                                  "problem": "content changed after it was written"}]
