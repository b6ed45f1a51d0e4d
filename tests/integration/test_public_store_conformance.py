"""The contract of the public side's repositories (ratings, feedback) every store keeps: SQLite and DynamoDB (moto
server). Ports only, so one file checks every store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from motcua.domain.errors import Conflict, InvalidInput
from motcua.domain.feedback import ANSWERED, OPEN, Feedback, FeedbackAttachment
from motcua.domain.ratings import Rating
from support.stores import every_page, run_threads

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def rating(n: int, dossier: str = "d1", channel: str = "online") -> Rating:
    return Rating(id=f"r{n}", dossier_id=dossier, unit_id="phuong-tran-bien", procedure_code="1.001193",
                  channel=channel, overall=4, criteria={"time": 5, "visits": None, "attitude": 4, "guidance": 4,
                                                        "clarity": 3, "cost": 1},
                  comment="Cán bộ hướng dẫn tận tình", created_at=NOW, citizen_id="c1" if channel == "online" else None)


def feedback(n: int, *, unit: str = "phuong-tran-bien", citizen: str = "c1", due_days: int = 10,
             created: datetime = NOW) -> Feedback:
    return Feedback(id=f"f{n:03d}", subject_kind="dossier", unit_id=unit, citizen_id=citizen,
                    sender_phone="0912345678", sender_name="Nguyễn Thị Ngọc Ánh",
                    question="Hồ sơ của tôi đã quá hẹn, đề nghị trả lời.", created_at=created,
                    due_at=created + timedelta(days=due_days), dossier_id="d1", dossier_code="H19.23-261126-0001",
                    procedure_code="1.001193", applicant_name="Nguyễn Thị Ngọc Ánh")


def add(uow_factory, *items: Feedback) -> None:
    with uow_factory() as uow:
        for item in items:
            uow.feedback.add(item)
        uow.commit()


def test_a_rating_round_trips_and_is_found_by_id_and_by_dossier(uow_factory):
    with uow_factory() as uow:
        assert uow.ratings.add(rating(1)) is True
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.ratings.get("r1") == rating(1)
        assert uow.ratings.for_dossier("d1") == rating(1)
        assert uow.ratings.get("nope") is None and uow.ratings.for_dossier("nope") is None


def test_a_second_rating_of_the_same_dossier_is_refused_whatever_the_channel(uow_factory):
    with uow_factory() as uow:
        assert uow.ratings.add(rating(1)) is True
        assert uow.ratings.add(rating(2, channel="kiosk")) is False
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.ratings.for_dossier("d1").id == "r1" and uow.ratings.get("r2") is None


def test_two_kiosks_racing_on_one_dossier_store_exactly_one(uow_factory):
    def go(n: int) -> bool:
        with uow_factory() as uow:
            added = uow.ratings.add(rating(n, channel="kiosk"))
            uow.commit()
        return added

    assert sorted(run_threads(go, 4)) == [False, False, False, True]


def test_a_rating_left_uncommitted_is_not_kept(uow_factory):
    with uow_factory() as uow:
        uow.ratings.add(rating(1))
    with uow_factory(readonly=True) as uow:
        assert uow.ratings.for_dossier("d1") is None


def test_feedback_round_trips_with_attachments_and_vietnamese_text(uow_factory):
    item = feedback(1)
    item.attachments.append(FeedbackAttachment(id="a1", filename="ảnh chụp.jpg", content_type="image/jpeg", size=10,
                                               sha256="0" * 64, storage_key="feedback/f001/a1.jpg", created_at=NOW))
    add(uow_factory, item)
    with uow_factory(readonly=True) as uow:
        loaded = uow.feedback.get("f001")
    assert loaded is not None and loaded.version == 1
    assert loaded.question == item.question and loaded.attachments == item.attachments
    assert loaded.due_at == item.due_at and loaded.status == OPEN and loaded.applicant_name == "Nguyễn Thị Ngọc Ánh"


def test_a_stale_feedback_save_is_refused(uow_factory):
    add(uow_factory, feedback(1))
    with uow_factory() as uow:
        first = uow.feedback.get("f001")
    with uow_factory() as uow:
        second = uow.feedback.get("f001")
    with uow_factory() as uow:
        first.answer = "Trả lời thứ nhất"
        uow.feedback.save(first)
        uow.commit()
    with uow_factory() as uow, pytest.raises(Conflict):
        second.answer = "Trả lời thứ hai"
        uow.feedback.save(second)
    with uow_factory(readonly=True) as uow:
        assert uow.feedback.get("f001").answer == "Trả lời thứ nhất"


def test_the_worklist_holds_one_units_open_feedback_earliest_due_first_in_pages(uow_factory):
    items = [feedback(n, due_days=(n * 7) % 23 + 1) for n in range(25)]
    add(uow_factory, *items, feedback(90, unit="trung-tam-phuc-vu-hanh-chinh-cong"))
    seen = every_page(uow_factory, lambda uow, **paging: uow.feedback.worklist("phuong-tran-bien", OPEN, **paging),
                      limit=10)
    assert [f.id for f in seen] == [f.id for f in sorted(items, key=lambda f: (f.due_at, f.id))]
    with uow_factory(readonly=True) as uow:
        assert uow.feedback.worklist("phuong-tran-bien", ANSWERED, limit=10, page_token=None).items == []


def test_answering_moves_feedback_from_the_open_worklist_to_the_public_list(uow_factory):
    add(uow_factory, feedback(1), feedback(2), feedback(3))
    for n, minutes in ((1, 30), (3, 10), (2, 20)):
        with uow_factory() as uow:
            item = uow.feedback.get(f"f{n:03d}")
            item.status, item.answer, item.answered_at = ANSWERED, "Đã trả lời", NOW + timedelta(minutes=minutes)
            item.public_question, item.public_answer = "Câu hỏi [họ tên]", "Đã trả lời"
            uow.feedback.save(item)
            uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.feedback.worklist("phuong-tran-bien", OPEN, limit=10, page_token=None).items == []
        first = uow.feedback.answered(limit=2, page_token=None)
        rest = uow.feedback.answered(limit=2, page_token=first.next_page_token)
    assert [f.id for f in first.items] == ["f001", "f002"] and [f.id for f in rest.items] == ["f003"]
    assert first.items[0].public_question == "Câu hỏi [họ tên]" and first.items[0].public_answer == "Đã trả lời"
    assert rest.next_page_token is None


def test_a_citizen_lists_only_their_own_feedback_newest_first(uow_factory):
    add(uow_factory, *[feedback(n, created=NOW + timedelta(hours=n)) for n in range(3)],
        feedback(9, citizen="c2"))
    with uow_factory(readonly=True) as uow:
        page = uow.feedback.by_citizen("c1", limit=5, page_token=None)
        assert [f.id for f in page.items] == ["f002", "f001", "f000"] and page.next_page_token is None
        assert [f.id for f in uow.feedback.by_citizen("c2", limit=5, page_token=None).items] == ["f009"]


def test_a_forged_page_token_is_a_clear_error(uow_factory):
    with uow_factory(readonly=True) as uow, pytest.raises(InvalidInput):
        uow.feedback.answered(limit=5, page_token="@@@not-a-token")
