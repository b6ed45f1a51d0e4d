"""The sweep warns a unit once about each dossier due within one working day, reading only the due-date index."""

import uuid

from api.helpers import ready_to_submit

RECEIVER = "can-bo-tiep-nhan-tran-bien"


def submit(citizen):
    d = ready_to_submit(citizen)
    return citizen.post(f"/api/v1/dossiers/{d['id']}/submit", json={},
                        headers={"Idempotency-Key": uuid.uuid4().hex}).get_json()


def leader_sms(citizen):
    return [m for m in citizen.get("/dev/outbox").get_json()["items"] if m["to"] == "0901000003"]


def test_a_dossier_due_today_is_flagged_once_and_the_leader_is_told(citizen, officials, container):
    officials(RECEIVER)  # seeds the demo officials
    d = submit(citizen)  # a 1-working-day procedure: due 17:00 today
    assert container.sweep.run() == 1
    assert container.sweep.run() == 0  # idempotent
    container.worker.run_once()
    container.worker.run_once()
    texts = [m["body"] for m in leader_sms(citizen)]
    assert len(texts) == 1 and d["code"] in texts[0] and texts[0].isascii()


def test_an_overdue_dossier_is_outside_the_sweep_window(citizen, officials, container, clock):
    officials(RECEIVER)
    submit(citizen)
    clock.advance(days=3)  # now past the due time: overdue, outside the window of the sweep
    assert container.sweep.run() == 0
