"""Rules of ratings and feedback, without any store: who may rate, what a rating holds, who answers feedback."""

from datetime import UTC, datetime, timedelta

import pytest

from motcua.domain.dossiers import Dossier
from motcua.domain.errors import Conflict, Forbidden, InvalidInput
from motcua.domain.feedback import ANSWERED, Feedback, FeedbackAttachment, can_handle, clean_text
from motcua.domain.lifecycle import DossierStatus
from motcua.domain.officials import Membership, Official, Role
from motcua.domain.ratings import CRITERIA, clean_rating, ensure_rateable

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
UNIT = "phuong-tran-bien"


def official(role: Role, unit: str = UNIT) -> Official:
    return Official(f"{role}-{unit}", "Lê Minh Tuấn", "CHUYÊN VIÊN", memberships=(Membership(unit, role),))


def item() -> Feedback:
    return Feedback(id="f1", subject_kind="office", unit_id=UNIT, citizen_id="c1", sender_phone="0912345678",
                    sender_name="Nguyễn Thị Ngọc Ánh", question="Tôi là Nguyễn Thị Ngọc Ánh, gọi 0912345678.",
                    created_at=NOW, due_at=NOW + timedelta(days=14))


def dossier(status: DossierStatus) -> Dossier:
    return Dossier(id="d1", procedure_code="1.001193", applicant_id="c1", applicant_phone="0912345678",
                   created_at=NOW, updated_at=NOW, status=status, competent_unit_id=UNIT)


def test_only_a_returned_dossier_can_be_rated():
    ensure_rateable(dossier(DossierStatus.RETURNED))
    for status in set(DossierStatus) - {DossierStatus.RETURNED}:
        with pytest.raises(Conflict):
            ensure_rateable(dossier(status))


def test_a_rating_needs_only_the_overall_score_and_fills_every_criterion():
    overall, criteria, comment = clean_rating({"overall": 3})
    assert overall == 3 and set(criteria) == set(CRITERIA) and all(v is None for v in criteria.values())
    assert comment == ""


def test_a_comment_is_nfc_and_loses_control_characters():
    import unicodedata

    _, _, comment = clean_rating({"overall": 5, "comment": unicodedata.normalize("NFD", " Rất tốt\u202e\u0007 ")})
    assert comment == "Rất tốt" and unicodedata.is_normalized("NFC", comment)


@pytest.mark.parametrize("body", [{"overall": None}, {"overall": 3, "criteria": {"time": 0}},
                                  {"overall": 3, "criteria": {"time": False}}, {"overall": 3, "criteria": "x"}])
def test_bad_scores_are_refused(body):
    with pytest.raises(InvalidInput):
        clean_rating(body)


@pytest.mark.parametrize("role", [Role.RECEIVING_OFFICER, Role.SPECIALIST, Role.LEADER])
def test_the_units_officials_answer_its_feedback(role):
    assert can_handle(official(role), item())
    assert not can_handle(official(role, "trung-tam-phuc-vu-hanh-chinh-cong"), item())
    assert not can_handle(official(Role.ADMIN), item())


def test_the_first_answer_publishes_and_only_a_leader_corrects_it():
    f = item()
    assert f.answer_with(official(Role.SPECIALIST), "Đã xử lý.", now=NOW) is None
    assert f.status == ANSWERED and f.answered_at == NOW and f.on_time is True
    with pytest.raises(Forbidden):
        f.answer_with(official(Role.SPECIALIST), "Sửa lại.", now=NOW)
    before = f.answer_with(official(Role.LEADER), "Đính chính.", now=NOW + timedelta(hours=1))
    assert before == {"answer": "Đã xử lý.", "answered_by": f"{Role.SPECIALIST}-{UNIT}"}
    assert f.answer == "Đính chính." and f.answered_at == NOW and f.edited_at == NOW + timedelta(hours=1)


def test_an_answer_after_the_deadline_is_late():
    f = item()
    f.answer_with(official(Role.LEADER), "Trễ.", now=f.due_at + timedelta(seconds=1))
    assert f.on_time is False


def test_an_outsider_cannot_answer():
    with pytest.raises(Forbidden):
        item().answer_with(official(Role.LEADER, "xa-khac"), "Không phải đơn vị tôi.", now=NOW)


def test_the_published_question_has_no_personal_data():
    assert item().published_question() == "Tôi là [họ tên], gọi [số điện thoại]."


def test_at_most_five_files_and_none_after_the_answer():
    f = item()
    files = [FeedbackAttachment(str(n), "a.jpg", "image/jpeg", 1, "0" * 64, f"k{n}", NOW) for n in range(6)]
    for a in files[:5]:
        f.add_attachment(a)
    with pytest.raises(Conflict):
        f.add_attachment(files[5])
    g = item()
    g.answer_with(official(Role.LEADER), "Xong.", now=NOW)
    with pytest.raises(Conflict):
        g.add_attachment(files[0])


def test_text_fields_have_limits_and_are_required_when_asked():
    assert clean_text("  Câu hỏi đủ dài  ", "q", "Câu hỏi", minimum=5, maximum=50) == "Câu hỏi đủ dài"
    assert clean_text(None, "n", "Tên", minimum=1, maximum=5, required=False) == ""
    for bad in (None, "", "abc", "x" * 51, 5, ["x"]):
        with pytest.raises(InvalidInput):
            clean_text(bad, "q", "Câu hỏi", minimum=5, maximum=50)


def test_the_optional_email_is_checked_like_the_dossier_forms():
    from motcua.domain.feedback import clean_email

    assert clean_email(None) is None and clean_email("  ") is None
    assert clean_email(" bao.pham@example.vn ") == "bao.pham@example.vn"
    for bad in ("khong-phai", "a@b", "<script>@x.vn", 5, "x" * 250 + "@a.vn"):
        with pytest.raises(InvalidInput):
            clean_email(bad)
