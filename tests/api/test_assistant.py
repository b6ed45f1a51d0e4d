"""The 1022 assistant: answers from the catalog, cites the procedure, says when it is unsure."""

from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from motcua.services.assistant import QUESTIONS_PER_IP

HELD_OUT = yaml.safe_load((Path(__file__).parent.parent / "data" / "assistant_questions.yaml").read_text())["questions"]


def test_the_held_out_set_is_big_and_mixed():
    assert len(HELD_OUT) >= 40
    assert sum(1 for q in HELD_OUT if q.get("unsure")) >= 4
    assert sum(1 for q in HELD_OUT if q["q"].isascii()) >= 10  # typed without diacritics (or in English)


@pytest.mark.parametrize("case", HELD_OUT, ids=lambda c: c["q"][:50])
def test_held_out_question_cites_the_right_procedure_and_aspect(container, case):
    reply = container.assistant.ask(case["q"], client_ip=f"held-out-{case['q']}")
    assert reply.aspect.value == case["aspect"]
    if case.get("unsure"):
        assert reply.unsure and reply.procedure is None
        assert reply.feedback_url.startswith("/phan-anh?question=")
    else:
        assert not reply.unsure, reply.answer
        assert reply.procedure.code == case["code"]


def ask(api, question, **kw):
    return api.post("/api/v1/assistant", json={"question": question}, **kw)


def test_fee_question_without_diacritics_answers_the_fee_and_cites_the_procedure(api):
    reply = ask(api, "phi cap ban sao trich luc bao nhieu")
    assert reply.status_code == 200
    body = reply.get_json()
    assert body["unsure"] is False and body["aspect"] == "fee" and body["aspect_label_vi"] == "Phí, lệ phí"
    assert body["procedure"] == {
        "code": "2.000635", "name": "Cấp bản sao Giấy khai sinh, bản sao trích lục hộ tịch",
        "name_en": body["procedure"]["name_en"], "url": "/thu-tuc/2.000635",
        "sample_url": "/api/v1/procedures/2.000635/sample-dossier.pdf"}
    assert "8.000 đồng/bản sao" in body["answer"]
    assert "(mã 2.000635)" in body["answer"]
    assert reply.headers["Cache-Control"] == "no-store"


def test_documents_question_lists_the_required_papers(api):
    body = ask(api, "làm giấy khai sinh cho con cần gì").get_json()
    assert body["procedure"]["code"] == "1.001193" and body["aspect"] == "documents"
    assert "- Giấy chứng sinh (bản chính, 01 bản)" in body["answer"]
    assert "Tùy trường hợp: Biên bản xác nhận việc trẻ bị bỏ rơi" in body["answer"]


def test_time_and_where_answers(api):
    time = ask(api, "đăng ký kết hôn mất mấy ngày").get_json()
    assert time["procedure"]["code"] == "1.000894" and "Thời hạn giải quyết: 01 ngày làm việc" in time["answer"]
    where = ask(api, "nop ho so xin giay phep xay dung o dau").get_json()
    assert where["procedure"]["code"] == "1.013225"
    assert "Cơ quan giải quyết: Ủy ban nhân dân cấp xã, phường" in where["answer"]
    assert "/thu-tuc/1.013225" in where["answer"]


def test_example_fee_is_not_stated_as_fact(api):
    body = ask(api, "giấy phép xây dựng công trình cấp II lệ phí bao nhiêu").get_json()
    assert body["procedure"]["code"] == "1.013236"
    assert "Ví dụ" in body["answer"] and "chưa được xác nhận" in body["answer"]


def test_unsure_offers_candidates_and_the_hotline(api):
    body = ask(api, "thủ tục ly hôn cần giấy tờ gì").get_json()
    assert body["unsure"] is True and body["procedure"] is None
    assert "chưa chắc" in body["answer"] or "chưa tìm thấy" in body["answer"]
    assert len(body["candidates"]) <= 3
    assert body["feedback_url"] == "/phan-anh?question=" + quote("thủ tục ly hôn cần giấy tờ gì", safe="")
    nothing = ask(api, "hôm nay trời có mưa không").get_json()
    assert nothing["unsure"] is True and nothing["feedback_url"]


@pytest.mark.parametrize("body", [
    {"question": "x" * 501},
    {"question": ""},
    {"question": "   "},
    {"question": 42},
    {"question": ["khai sinh"]},
    {"question": None},
    {"question": {"$ne": 1}},
    {},
    {"question": "khai sinh", "extra": 1},
    {"question": "<script>alert(1)</script> khai sinh"},
    {"question": "khai sinh <img src=x onerror=alert(1)>"},
    {"question": "khai\u202esinh"},
])
def test_hostile_questions_are_4xx_and_never_echo_markup(api, body):
    reply = api.post("/api/v1/assistant", json=body)
    assert reply.status_code == 422
    text = reply.get_data(as_text=True)
    assert "<script" not in text and "<img" not in text
    assert reply.get_json()["error"]["fields"]


def test_wrong_content_and_huge_bodies_are_4xx(api):
    assert api.post("/api/v1/assistant", data="question=khai sinh",
                    content_type="application/x-www-form-urlencoded").status_code == 422
    assert api.post("/api/v1/assistant", data="{not json", content_type="application/json").status_code == 422
    assert api.post("/api/v1/assistant", json=["khai sinh"]).status_code == 422
    for size in (100 * 1024, 12 * 1024 * 1024):
        huge = api.post("/api/v1/assistant", data='{"question": "' + "a" * size + '"}',
                        content_type="application/json")
        assert huge.status_code == 413


def test_questions_are_rate_limited_per_address(api):
    for _ in range(QUESTIONS_PER_IP):
        assert ask(api, "khai sinh").status_code == 200
    limited = ask(api, "khai sinh")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    other = api.post("/api/v1/assistant", json={"question": "khai sinh"},
                     environ_overrides={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


def test_cross_site_posts_are_refused(app):
    reply = app.test_client().post("/api/v1/assistant", json={"question": "khai sinh"})
    assert reply.status_code == 403


def test_replies_match_the_published_schemas(api):
    from api.test_contract import Contract

    contract = Contract(api.get("/api/v1/openapi.json").get_json())
    for question in ("đăng ký kết hôn mất mấy ngày", "hôm nay trời có mưa không", "khai sinh"):
        contract.check("post", "/api/v1/assistant", ask(api, question))
    contract.check("post", "/api/v1/assistant", api.post("/api/v1/assistant", json={"question": 1}))
    sample = "/api/v1/procedures/{code}/sample-dossier.pdf"
    first = api.get("/api/v1/procedures/1.001193/sample-dossier.pdf")
    contract.check("get", sample, first)
    contract.check("get", sample, api.get("/api/v1/procedures/1.001193/sample-dossier.pdf",
                                          headers={"If-None-Match": first.headers["ETag"]}))
    contract.check("get", sample, api.get("/api/v1/procedures/9.999999/sample-dossier.pdf"))
    contract.check("get", sample, api.get("/api/v1/procedures/x/sample-dossier.pdf"))
