"""No personal data in anything public: sentinel values typed into every free-text place of a month's work
(names, phones, ID numbers, addresses, e-mail, form answers, notes, reasons, comments, rating and feedback
payloads) never appear in any public output."""

from __future__ import annotations

from api.stats_story import BIRTH, HOUSEHOLD_BUSINESS, MARRIAGE_STATUS, NO_FEE_3D, WARD, Texts, play

SENTINEL_TEXT = "Zqxsentinel"
SENTINELS = Texts(
    name=f"{SENTINEL_TEXT} Nguyễn Ánh",
    phone="0987650431",
    counter_phone="0976540321",
    address=f"Số 9 đường {SENTINEL_TEXT}, Phường Trấn Biên",
    id_number="079188004321",
    email="zqxsentinel@example.vn",
    note=f"{SENTINEL_TEXT} ghi chú của chuyên viên",
    reason=f"{SENTINEL_TEXT} lý do của cán bộ",
    comment=f"{SENTINEL_TEXT} ý kiến của người dân",
    extra_form={"text": f"{SENTINEL_TEXT} câu trả lời"},
)
NEEDLES = [SENTINEL_TEXT.lower(), "987650431", "976540321", "079188004321", "zqxsentinel@"]


def public_urls(story) -> list[str]:
    codes = [d["code"] for d in story.dossiers.values()]
    urls = ["/api/v1/openapi.json", "/api/v1/fields", "/api/v1/units", "/api/v1/offices", "/api/v1/procedures",
            "/api/v1/open-data/procedures.csv", "/api/v1/open-data/procedures.json"]
    for code in (BIRTH, MARRIAGE_STATUS, HOUSEHOLD_BUSINESS, NO_FEE_3D):
        urls.append(f"/api/v1/procedures/{code}")
    for query in ("", "from=2026-11&to=2026-12", f"unit={WARD}&group_by=month&from=2026-01&to=2026-12",
                  "group_by=unit&from=2026-11&to=2026-11", "group_by=field&from=2026-11&to=2026-11",
                  f"procedure={BIRTH}&from=2026-11&to=2026-11", "level=commune&from=2026-11&to=2026-11"):
        urls += [f"/api/v1/stats?{query}"]
    for query in ("from=2026-11&to=2026-12", f"unit={WARD}&from=2026-11&to=2026-12"):
        urls += [f"/api/v1/open-data/stats.csv?{query}", f"/api/v1/open-data/stats.json?{query}"]
    # the public tracking miss: a real code with someone else's phone number, and a code that does not exist
    urls += [f"/api/v1/track/{codes[0]}?phone=0911111111", "/api/v1/track/H19.23.01-261102-9999?phone=0911111111"]
    return urls


def test_no_sentinel_reaches_any_public_output(citizen, officials, container, api, clock):
    story = play(citizen, officials, container, api, clock, SENTINELS)
    # The sentinels really are in the dossiers and in the outbox (else the test would prove nothing).
    with container.uow(readonly=True) as uow:
        stored = str([uow.dossiers.get(d["id"]).form for d in story.dossiers.values()]).lower()
    assert SENTINEL_TEXT.lower() in stored and "079188004321" in stored
    assert api.get("/api/v1/stats?from=2026-11&to=2026-11").get_json()["totals"]["received"] == 9
    anonymous = api.client.application.test_client()  # no session at all
    checked = 0
    for url in public_urls(story):
        reply = anonymous.get(url)
        assert reply.status_code in (200, 404), (url, reply.status_code)
        text = reply.data.decode("utf-8", "replace").lower()
        for needle in NEEDLES:
            assert needle not in text, f"{needle!r} leaked in {url}"
        checked += 1
    assert checked == len(public_urls(story)) >= 24
