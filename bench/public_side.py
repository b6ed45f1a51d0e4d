"""The public side, in-process (Flask test client, real SQLite): what redaction costs per question, and whether the
public answers list and the officials' feedback worklist stay as cheap on a deep page as on the first (keyset
paging), as ratios to GET /api/v1/config measured in the same run. Not part of `make test`."""

from __future__ import annotations

import sys
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "backend"), str(ROOT / "tests"), str(ROOT)]

from bench.harness import median_ms  # noqa: E402

from motcua.api.app import create_app  # noqa: E402
from motcua.bootstrap import bootstrap  # noqa: E402
from motcua.config import Settings  # noqa: E402
from motcua.domain.feedback import Feedback  # noqa: E402
from motcua.domain.officials import Membership, Official, Role  # noqa: E402
from motcua.domain.redaction import redact  # noqa: E402

ITEMS = 5000
QUESTION = ("Tôi là Nguyễn Thị Ngọc Ánh, số điện thoại 0912 345 678, email ngocanh@example.vn, CCCD 075190001234. "
            "Hồ sơ H19.23-261126-0002 nộp ngày 26/11/2026 đã quá hẹn mà chưa có kết quả, đề nghị cơ quan kiểm tra "
            "và trả lời sớm. Tôi đã đến bộ phận một cửa hai lần nhưng chưa được hướng dẫn rõ ràng. ") * 3


def main() -> int:
    settings = Settings.from_env({}, data_dir=Path(tempfile.mkdtemp(prefix="motcua-bench-public-")),
                                 start_worker=False, secret_key=b"bench")
    container = bootstrap(settings)
    app = create_app(container=container)
    client = app.test_client()
    now = container.clock.now()
    leader = Official("bench-leader", "Lãnh đạo", "CHỦ TỊCH",
                      memberships=(Membership("phuong-tran-bien", Role.LEADER),))
    with container.uow() as uow:
        for n in range(ITEMS):
            f = Feedback(id=uuid.uuid4().hex, subject_kind="office", unit_id="phuong-tran-bien", citizen_id="c",
                         sender_phone="0912345678", sender_name="Nguyễn Thị Ngọc Ánh", question=QUESTION,
                         created_at=now, due_at=now + timedelta(days=14, minutes=n))
            if n % 2:  # answered as officials answer: the published texts are redacted once, here
                f.answer_with(leader, "Kính gửi bà Nguyễn Thị Ngọc Ánh: cơ quan đã tiếp thu.",
                              now=now + timedelta(minutes=n))
            uow.feedback.add(f)
        uow.commit()

    per_question = median_ms(lambda: redact(QUESTION, names=["Nguyễn Thị Ngọc Ánh"]), 2000)
    baseline = median_ms(lambda: client.get("/api/v1/config"), 300)
    first = client.get("/api/v1/feedback/public").get_json()
    token, deep = first["next_page_token"], None
    for _ in range(100):  # walk to page ~100
        deep = token
        token = client.get(f"/api/v1/feedback/public?page_token={token}").get_json()["next_page_token"]
    page1 = median_ms(lambda: client.get("/api/v1/feedback/public"), 200)
    page100 = median_ms(lambda: client.get(f"/api/v1/feedback/public?page_token={deep}"), 200)
    with container.uow(readonly=True) as uow:
        work1 = median_ms(lambda: uow.feedback.worklist("phuong-tran-bien", "open", limit=20, page_token=None), 200)
    print(f"redaction of a {len(QUESTION)}-character question: {per_question * 1e3:.0f} µs (median of 2000)")
    print(f"GET /api/v1/config (baseline): {baseline:.2f} ms")
    print(f"GET /api/v1/feedback/public, page 1 of {ITEMS // 2} answered (20 items, redacted when answered): "
          f"{page1:.2f} ms = {page1 / baseline:.1f}× baseline")
    print(f"same, page 100: {page100:.2f} ms = {page100 / page1:.2f}× page 1 (keyset: no growth expected)")
    print(f"worklist query, first 20 of {ITEMS // 2} open: {work1:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
