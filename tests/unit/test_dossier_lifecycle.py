"""The dossier state machine and the national status codes."""

from datetime import UTC, datetime, timedelta

import pytest

from motcua.domain.dossiers import MAX_ATTACHMENTS_PER_DOSSIER, Attachment, Dossier
from motcua.domain.errors import Conflict, InvalidInput
from motcua.domain.events import DossierStatusChanged, DossierSubmitted
from motcua.domain.lifecycle import (
    NATIONAL_STATUS,
    STATUS_LABELS,
    TRANSITIONS,
    Action,
    DossierStatus,
    next_status,
)

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def draft(**kw) -> Dossier:
    return Dossier(id="d1", procedure_code="1.001193", applicant_id="c1", applicant_phone="0912345678",
                   created_at=NOW, updated_at=NOW, **kw)


def attachment(n: int) -> Attachment:
    return Attachment(id=f"a{n}", document_id="giay_chung_sinh", filename="x.jpg", content_type="image/jpeg",
                      size=10, sha256="0" * 64, storage_key=f"k{n}", created_at=NOW)


def test_every_status_but_draft_maps_to_one_national_code_from_1_to_10():
    assert sorted(NATIONAL_STATUS.values()) == list(range(1, 11))
    assert DossierStatus.DRAFT not in NATIONAL_STATUS
    assert NATIONAL_STATUS[DossierStatus.SUBMITTED] == 1
    assert NATIONAL_STATUS[DossierStatus.RETURNED] == 10


def test_every_status_has_a_vietnamese_and_an_english_label():
    assert set(STATUS_LABELS) == set(DossierStatus)
    assert STATUS_LABELS[DossierStatus.SUPPLEMENT_REQUESTED][0] == "Yêu cầu bổ sung hồ sơ"


def test_terminal_statuses_allow_no_action():
    for terminal in (DossierStatus.REFUSED, DossierStatus.STOPPED, DossierStatus.RETURNED):
        assert all(next_status(terminal, action) is None for action in Action)


def test_a_draft_can_only_be_submitted():
    allowed = {a for (s, a) in TRANSITIONS if s is DossierStatus.DRAFT}
    assert allowed == {Action.SUBMIT}


def test_submit_gives_code_due_date_first_history_entry_and_events():
    d = draft(receiving_office_id="phuong-tran-bien", competent_unit_id="phuong-tran-bien",
              form={"applicant_email": "a@example.vn"})
    due = NOW + timedelta(days=1)
    d.submit(code="H19.23-261126-0001", due_at=due, fee_vnd=0, procedure_name="Đăng ký khai sinh", now=NOW,
             actor="citizen:c1")
    assert d.status is DossierStatus.SUBMITTED and d.national_status == 1
    assert d.code == "H19.23-261126-0001" and d.due_at == due and d.submitted_at == NOW
    assert [(h.action, h.status) for h in d.history] == [(Action.SUBMIT, DossierStatus.SUBMITTED)]
    kinds = [type(e) for e in d.events]
    assert kinds == [DossierStatusChanged, DossierSubmitted]
    assert d.events[1].payload()["applicant_email"] == "a@example.vn"


def test_dossier_change_payloads_keep_their_outbox_json_keys_in_order():
    # Outbox rows already stored hold these exact JSON objects; consumers and any byte-level comparison rely on it.
    d = draft(receiving_office_id="o", competent_unit_id="u")
    d.submit(code="X1-261126-0001", due_at=NOW, fee_vnd=0, procedure_name="p", now=NOW, actor="citizen:c1")
    d.record(Action.ASSIGN, actor="official:o1", now=NOW)
    changed, _, step = (e.payload() for e in d.events)
    assert list(changed) == ["dossier_id", "code", "status", "previous_status", "action",
                             "unit_id", "procedure_code", "due_at", "at"]
    assert list(step) == ["dossier_id", "code", "status", "action", "unit_id", "procedure_code", "due_at", "at"]
    assert step["unit_id"] == "u" and step["due_at"] == NOW.isoformat() and step["action"] == Action.ASSIGN.value


def test_a_submitted_dossier_cannot_be_edited_or_submitted_again():
    d = draft(receiving_office_id="o", competent_unit_id="u")
    d.submit(code="X1-261126-0001", due_at=NOW, fee_vnd=0, procedure_name="p", now=NOW, actor="citizen:c1")
    with pytest.raises(Conflict) as err:
        d.update_draft(form={"applicant_name": "B"}, now=NOW)
    assert err.value.code == "not_a_draft"
    with pytest.raises(Conflict):
        d.submit(code="X1-261126-0002", due_at=NOW, fee_vnd=0, procedure_name="p", now=NOW, actor="citizen:c1")
    with pytest.raises(Conflict):
        d.add_attachment(attachment(1), now=NOW)


def test_submit_without_a_receiving_office_names_the_field():
    with pytest.raises(InvalidInput) as err:
        draft().submit(code="X1-261126-0001", due_at=NOW, fee_vnd=0, procedure_name="p", now=NOW, actor="c")
    assert "receiving_office_id" in err.value.fields


def test_emptied_answers_are_removed_from_the_draft():
    d = draft(form={"applicant_name": "A", "note": "x"})
    d.update_draft(form={"note": None, "applicant_email": ""}, now=NOW)
    assert d.form == {"applicant_name": "A"}


def test_attachment_count_is_limited():
    d = draft()
    for n in range(MAX_ATTACHMENTS_PER_DOSSIER):
        d.add_attachment(attachment(n), now=NOW)
    with pytest.raises(InvalidInput) as err:
        d.add_attachment(attachment(999), now=NOW)
    assert err.value.code == "too_many_attachments"
