"""Meta-tests: every route has an access decision and is documented; replies match the OpenAPI document;
bad input never produces a 5xx; security headers are always there; dev pages do not exist in production."""

import io
import uuid

import jsonschema
import pytest

from api.helpers import KHAI_SINH, new_draft, pdf_bytes, ready_to_submit
from motcua.api.app import create_app
from motcua.api.routing import Access
from motcua.bootstrap import bootstrap
from motcua.config import Settings


def test_every_route_has_an_explicit_access_decision(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        assert isinstance(getattr(view, "access", None), Access), f"{rule.rule} has no access decision"


def test_every_api_route_is_in_the_openapi_document(app, api):
    document = api.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/api/", "/dev/")):
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        assert path in document["paths"], path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in document["paths"][path], f"{method} {path}"


class Contract:
    def __init__(self, document):
        self.document = document

    def check(self, method: str, path: str, reply) -> None:
        operation = self.document["paths"][path][method]
        response = operation["responses"].get(str(reply.status_code))
        assert response is not None, f"{method.upper()} {path} answered undocumented {reply.status_code}"
        content = response.get("content", {})
        if "application/json" in content:
            schema = {**content["application/json"]["schema"], "components": self.document["components"]}
            jsonschema.validate(reply.get_json(), schema, cls=jsonschema.Draft202012Validator)


@pytest.fixture
def contract(api):
    return Contract(api.get("/api/v1/openapi.json").get_json())


def test_replies_match_the_published_schemas(citizen, contract):
    c = citizen
    contract.check("get", "/api/v1/auth/session", c.get("/api/v1/auth/session"))
    contract.check("get", "/api/v1/config", c.get("/api/v1/config"))
    contract.check("get", "/api/v1/fields", c.get("/api/v1/fields"))
    contract.check("get", "/api/v1/offices", c.get("/api/v1/offices"))
    contract.check("get", "/api/v1/units", c.get("/api/v1/units?level=commune"))
    contract.check("get", "/api/v1/procedures", c.get("/api/v1/procedures?q=khai+sinh"))
    contract.check("get", "/api/v1/procedures/{code}", c.get(f"/api/v1/procedures/{KHAI_SINH}"))
    contract.check("get", "/api/v1/procedures/{code}", c.get("/api/v1/procedures/9.999999"))
    contract.check("get", "/api/v1/procedures/{code}/due-date",
                   c.get(f"/api/v1/procedures/{KHAI_SINH}/due-date?received_at=2026-11-27T16:00:00%2B07:00"))
    draft = new_draft(c)
    contract.check("get", "/api/v1/dossiers/{dossier_id}", c.get(f"/api/v1/dossiers/{draft['id']}"))
    contract.check("patch", "/api/v1/dossiers/{dossier_id}",
                   c.patch(f"/api/v1/dossiers/{draft['id']}", json={"form": {"applicant_id_number": "x"}}))
    contract.check("post", "/api/v1/dossiers/{dossier_id}/submit",
                   c.post(f"/api/v1/dossiers/{draft['id']}/submit", json={}))
    ready = ready_to_submit(c)
    done = c.post(f"/api/v1/dossiers/{ready['id']}/submit", json={}, headers={"Idempotency-Key": uuid.uuid4().hex})
    contract.check("post", "/api/v1/dossiers/{dossier_id}/submit", done)
    contract.check("get", "/api/v1/dossiers", c.get("/api/v1/dossiers"))
    contract.check("get", "/api/v1/track/{code}", c.get(f"/api/v1/track/{done.get_json()['code']}?phone=0912345678"))
    contract.check("get", "/api/v1/track/{code}", c.get("/api/v1/track/nope?phone=0912345678"))
    contract.check("get", "/dev/outbox", c.get("/dev/outbox"))


HOSTILE_BODIES = [b"", b"null", b"[]", b"\"x\"", b"{", b"\xff\xfe", b'{"phone": {"$gt": ""}}', b"1e999999",
                  b'{"procedure_code": ["x"]}', b'{"form": "x", "procedure_code": "1.001193"}',
                  b'{"form": {"applicant_name": 5}, "procedure_code": "1.001193"}']


def test_hostile_input_gets_a_4xx_never_a_5xx(citizen):
    draft = new_draft(citizen)
    targets = [("post", "/api/v1/auth/otp"), ("post", "/api/v1/auth/verify"), ("post", "/api/v1/dossiers"),
               ("patch", f"/api/v1/dossiers/{draft['id']}"), ("post", f"/api/v1/dossiers/{draft['id']}/submit")]
    for method, url in targets:
        for body in HOSTILE_BODIES:
            reply = getattr(citizen, method)(url, data=body, content_type="application/json")
            assert 200 <= reply.status_code < 500, (url, body, reply.status_code)
            if reply.status_code >= 400:
                assert reply.get_json()["error"]["message"]
    for url in ["/api/v1/procedures?q=" + "a" * 5000, "/api/v1/procedures/%00", "/api/v1/dossiers?page_token=@@@",
                "/api/v1/dossiers/../../etc/passwd", f"/api/v1/dossiers/{'x' * 300}",
                f"/api/v1/procedures/{KHAI_SINH}/due-date?received_at=yesterday",
                f"/api/v1/procedures/{KHAI_SINH}/due-date?received_at=2026-11-26T09:00:00",
                f"/api/v1/procedures/{KHAI_SINH}/due-date?received_at=9999-01-01T00:00:00%2B00:00"]:
        reply = citizen.get(url)
        assert 400 <= reply.status_code < 500, (url, reply.status_code)
    wrong_type = citizen.post(f"/api/v1/dossiers/{draft['id']}/attachments", data=b"x", content_type="text/plain")
    assert wrong_type.status_code == 422
    headers_only = citizen.post(f"/api/v1/dossiers/{draft['id']}/attachments",
                                data={"file": (io.BytesIO(b""), "")}, content_type="multipart/form-data")
    assert 400 <= headers_only.status_code < 500


def test_security_headers_on_api_and_shell(api):
    for url in ("/api/v1/procedures", "/", "/thu-tuc/1.001193"):
        headers = api.get(url).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_production_has_no_dev_pages_and_sends_hsts(tmp_path):
    settings = Settings.from_env({"MOTCUA_ENV": "production"}, data_dir=tmp_path, start_worker=False,
                                 secret_key=b"prod-test")
    app = create_app(container=bootstrap(settings))
    client = app.test_client()
    assert client.get("/dev/outbox").status_code == 404
    assert "/dev/outbox" not in client.get("/api/v1/openapi.json").get_json()["paths"]
    assert client.get("/api/v1/config").get_json()["dev_mode"] is False
    assert "max-age" in client.get("/api/v1/procedures").headers["Strict-Transport-Security"]
    session = client.get("/api/v1/auth/session")
    assert "Secure" in session.headers["Set-Cookie"]


def test_unknown_api_paths_answer_json_404(api):
    reply = api.get("/api/v1/nothing-here")
    assert reply.status_code == 404 and reply.get_json()["error"]["code"] == "not_found"


def test_every_event_topic_has_a_consumer(container):
    """An event nobody consumes is a notification silently lost (the outbox marks it done)."""
    from motcua.domain import events

    topics = {cls.topic for cls in vars(events).values()
              if isinstance(cls, type) and issubclass(cls, events.Event) and cls is not events.Event}
    # dossier.submitted is also raised as dossier.status_changed (action "submit"), which carries the receipt.
    unconsumed = topics - set(container.worker._handlers) - {"dossier.submitted"}
    assert unconsumed == set()


def test_public_side_replies_match_the_published_schemas(citizen, officials, container, contract, app):
    from api.public_side import GOOD, returned
    from conftest import ApiClient

    c = citizen
    d = returned(c, officials, container)
    contract.check("get", "/api/v1/dossiers/{dossier_id}/rating", c.get(f"/api/v1/dossiers/{d['id']}/rating"))
    contract.check("post", "/api/v1/dossiers/{dossier_id}/rating",
                   c.post(f"/api/v1/dossiers/{d['id']}/rating", json=GOOD))
    contract.check("post", "/api/v1/dossiers/{dossier_id}/rating",
                   c.post(f"/api/v1/dossiers/{d['id']}/rating", json=GOOD))
    contract.check("get", "/api/v1/dossiers/{dossier_id}/rating", c.get(f"/api/v1/dossiers/{d['id']}/rating"))
    kiosk = ApiClient(app.test_client())
    contract.check("post", "/api/v1/kiosk/ratings", kiosk.post("/api/v1/kiosk/ratings", json={"code": d["code"],
                                                                                               "overall": 5}))
    contract.check("post", "/api/v1/kiosk/ratings", kiosk.post("/api/v1/kiosk/ratings", json={"code": "x"}))
    sent = c.post("/api/v1/feedback", json={"subject_kind": "dossier", "dossier_id": d["id"], "sender_name": "Ánh",
                                            "question": "Xin hỏi kết quả đã trả đúng hẹn chưa?"})
    contract.check("post", "/api/v1/feedback", sent)
    fb = sent.get_json()
    contract.check("post", "/api/v1/feedback", c.post("/api/v1/feedback", json={"subject_kind": "x"}))
    contract.check("post", "/api/v1/feedback/{feedback_id}/attachments",
                   c.post(f"/api/v1/feedback/{fb['id']}/attachments",
                          data={"file": (io.BytesIO(pdf_bytes()), "don.pdf")}, content_type="multipart/form-data"))
    contract.check("get", "/api/v1/feedback/mine", c.get("/api/v1/feedback/mine"))
    contract.check("get", "/api/v1/feedback/{feedback_id}", c.get(f"/api/v1/feedback/{fb['id']}"))
    leader = officials("lanh-dao-tran-bien")
    contract.check("get", "/api/v1/work/feedback", leader.get("/api/v1/work/feedback?unit=phuong-tran-bien"))
    contract.check("get", "/api/v1/work/feedback", leader.get("/api/v1/work/feedback?unit=phuong-tran-bien"
                                                              "&status=nope"))
    contract.check("get", "/api/v1/work/feedback/{feedback_id}", leader.get(f"/api/v1/work/feedback/{fb['id']}"))
    contract.check("post", "/api/v1/work/feedback/{feedback_id}/answer",
                   leader.post(f"/api/v1/work/feedback/{fb['id']}/answer",
                               json={"answer": "Kết quả đã trả đúng hẹn.", "version": fb["version"] + 1}))
    contract.check("post", "/api/v1/work/feedback/{feedback_id}/answer",
                   leader.post(f"/api/v1/work/feedback/{fb['id']}/answer", json={"answer": "x", "version": 1}))
    contract.check("get", "/api/v1/feedback/public", c.get("/api/v1/feedback/public"))
    contract.check("get", "/api/v1/feedback/public/{feedback_id}", c.get(f"/api/v1/feedback/public/{fb['id']}"))
    contract.check("get", "/api/v1/feedback/public/{feedback_id}", c.get("/api/v1/feedback/public/nope"))
