"""Leaders sign results on their phones with a passkey; anyone can verify the signed PDF."""

import io

from api.test_workflow import LEADER, RECEIVER, SPECIALIST, act, ok, submitted, to_approval


def preview(leader, dossier_id):
    reply = leader.get(f"/api/v1/work/dossiers/{dossier_id}/result-preview.pdf")
    assert reply.status_code == 200 and reply.mimetype == "application/pdf"
    import hashlib

    assert reply.headers["X-Content-SHA256"] == hashlib.sha256(reply.data).hexdigest()
    return reply.headers["X-Content-SHA256"]


def sign(leader, items, *, tamper=None):
    options = leader.post("/api/v1/work/signing/options", json={"items": items})
    assert options.status_code == 200, options.get_json()
    body = options.get_json()
    credential = leader.authenticator.get(body["options"])
    return leader.post("/api/v1/work/signing/complete",
                       json={"challenge_id": body["challenge_id"], "credential": credential,
                             "items": tamper or items})


def test_sign_then_the_citizen_downloads_a_result_that_verifies(citizen, officials, api):
    d = to_approval(citizen, officials)
    leader = officials(LEADER)
    sha = preview(leader, d["id"])
    reply = sign(leader, [{"dossier_id": d["id"], "sha256": sha}])
    assert reply.status_code == 200, reply.get_json()
    assert reply.get_json()["results"] == [{"dossier_id": d["id"], "code": d["code"], "status": "signed",
                                            "error": None}]
    mine = citizen.get(f"/api/v1/dossiers/{d['id']}").get_json()
    assert mine["status"] == "done" and mine["national_status"] == 9 and mine["result_url"]
    signed = citizen.get(mine["result_url"])
    assert signed.status_code == 200
    verdict = api.post("/api/v1/verify", data={"file": (io.BytesIO(signed.data), "ket-qua.pdf")},
                       content_type="multipart/form-data").get_json()
    assert verdict["valid"] is True and verdict["modified_after_signing"] is False
    assert verdict["signers"][0]["name"] == "Nguyễn Văn Bình"
    assert "Trấn Biên" in (verdict["signers"][0]["unit"] or "")
    by_code = api.get(f"/api/v1/verify/{d['code']}").get_json()
    assert by_code["valid"] is True and by_code["download_url"] is None
    # the dossier now waits at the receiving office to be returned
    assert "return_result" in [a["action"] for a in officials(RECEIVER).get(
        f"/api/v1/work/dossiers/{d['id']}").get_json()["allowed_actions"]]


def test_a_pdf_changed_by_one_byte_is_reported_not_valid(citizen, officials, api):
    d = to_approval(citizen, officials)
    leader = officials(LEADER)
    ok(sign(leader, [{"dossier_id": d["id"], "sha256": preview(leader, d["id"])}]))
    data = bytearray(citizen.get(f"/api/v1/dossiers/{d['id']}/result.pdf").data)
    middle = len(data) // 3
    data[middle] = (data[middle] + 1) % 256
    verdict = api.post("/api/v1/verify", data={"file": (io.BytesIO(bytes(data)), "x.pdf")},
                       content_type="multipart/form-data").get_json()
    assert verdict["valid"] is False and verdict["reason"]


def test_garbage_sent_to_verification_gets_a_plain_answer(api):
    for content in (b"", b"not a pdf", b"%PDF-1.7\n" + b"\x00" * 1000):
        reply = api.post("/api/v1/verify", data={"file": (io.BytesIO(content), "x.pdf")},
                         content_type="multipart/form-data")
        assert reply.status_code == 200 and reply.get_json()["valid"] is False
    assert api.post("/api/v1/verify", data={}, content_type="multipart/form-data").status_code == 422
    assert api.get("/api/v1/verify/H19.99-261126-0001").status_code == 404


def test_several_dossiers_are_signed_with_one_confirmation(citizen, officials):
    first, second = to_approval(citizen, officials), to_approval(citizen, officials)
    leader = officials(LEADER)
    items = [{"dossier_id": d["id"], "sha256": preview(leader, d["id"])} for d in (first, second)]
    results = ok(sign(leader, items))["results"]
    assert [r["status"] for r in results] == ["signed", "signed"]
    for d in (first, second):
        assert citizen.get(f"/api/v1/dossiers/{d['id']}").get_json()["status"] == "done"


def test_the_server_refuses_to_sign_bytes_other_than_those_shown(citizen, officials):
    d = to_approval(citizen, officials)
    leader = officials(LEADER)
    preview(leader, d["id"])
    wrong = leader.post("/api/v1/work/signing/options", json={"items": [{"dossier_id": d["id"], "sha256": "0" * 64}]})
    assert wrong.status_code == 409 and wrong.get_json()["error"]["code"] == "document_changed"


def test_a_confirmation_for_one_set_of_documents_cannot_sign_another(citizen, officials):
    first, second = to_approval(citizen, officials), to_approval(citizen, officials)
    leader = officials(LEADER)
    shown = [{"dossier_id": first["id"], "sha256": preview(leader, first["id"])}]
    other = [{"dossier_id": second["id"], "sha256": preview(leader, second["id"])}]
    reply = sign(leader, shown, tamper=other)
    assert reply.status_code == 403 and reply.get_json()["error"]["code"] == "binding_mismatch"
    assert citizen.get(f"/api/v1/dossiers/{second['id']}").get_json()["status"] == "in_progress"


def test_a_signing_confirmation_cannot_be_replayed(citizen, officials):
    d = to_approval(citizen, officials)
    leader = officials(LEADER)
    items = [{"dossier_id": d["id"], "sha256": preview(leader, d["id"])}]
    options = leader.post("/api/v1/work/signing/options", json={"items": items}).get_json()
    credential = leader.authenticator.get(options["options"])
    body = {"challenge_id": options["challenge_id"], "credential": credential, "items": items}
    assert leader.post("/api/v1/work/signing/complete", json=body).status_code == 200
    again = leader.post("/api/v1/work/signing/complete", json=body)
    assert again.status_code in (401, 409)


def test_only_the_competent_leader_may_sign(citizen, officials):
    d = to_approval(citizen, officials)
    for who in (SPECIALIST, RECEIVER):
        assert officials(who).get(f"/api/v1/work/dossiers/{d['id']}/result-preview.pdf").status_code in (403, 404)
    early = submitted(citizen)
    assert officials(LEADER).get(f"/api/v1/work/dossiers/{early['id']}/result-preview.pdf").status_code == 409


def test_after_a_send_back_the_next_proposal_gets_a_fresh_document(citizen, officials):
    d = to_approval(citizen, officials)
    leader = officials(LEADER)
    first = preview(leader, d["id"])
    ok(act(leader, d["id"], "send_back", comment="Sửa lại"))
    ok(act(officials(SPECIALIST), d["id"], "propose", note="Đã sửa"))
    assert preview(leader, d["id"]) != first
