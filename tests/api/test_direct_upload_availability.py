"""The embedded runtime has no object storage to upload to: GET /config says so and the PWA keeps posting files to
the API; the direct-upload routes answer a clear 404 (the aws runtime's flow is in tests/aws/test_direct_uploads.py)."""

from __future__ import annotations

from api.helpers import new_draft


def test_config_says_direct_uploads_are_off_and_the_routes_say_why(citizen):
    assert citizen.get("/api/v1/config").get_json()["direct_uploads"] is False
    dossier = new_draft(citizen)
    for route, body in (("upload-form", {"document_id": "to_khai", "filename": "a.jpg", "content_type": "image/jpeg",
                                         "size": 10}),
                        ("complete", {"key": "incoming/dossiers/x/y/z"})):
        reply = citizen.post(f"/api/v1/dossiers/{dossier['id']}/attachments/{route}", json=body)
        assert reply.status_code == 404
        error = reply.get_json()["error"]
        assert error["code"] == "direct_upload_unavailable" and error["message"].startswith("Máy chủ này")


def test_the_routes_refuse_strangers_before_anything_else(api):
    for route in ("upload-form", "complete"):
        reply = api.post(f"/api/v1/dossiers/abc/attachments/{route}", json={})
        assert reply.status_code == 401 and reply.get_json()["error"]["code"] == "unauthenticated"
