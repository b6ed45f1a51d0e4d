"""Helpers of the public-side tests: a dossier driven to RETURNED through the officials' real steps."""

from __future__ import annotations

from api.test_workflow import LEADER, RECEIVER, act, ok, to_approval


def returned(citizen, officials, container) -> dict:
    """A dossier whose result was returned at the counter (approval goes through the domain, as the workflow
    tests do: signing has its own tests)."""
    from motcua.domain import workflow as wf
    from motcua.domain.dossiers import SignedResult

    d = to_approval(citizen, officials)
    with container.uow() as uow:
        dossier = uow.dossiers.get(d["id"])
        leader = uow.officials.get(LEADER)
        now = container.clock.now()
        wf.approve(container.calendar, dossier, leader, now=now, office_name="UBND phường Trấn Biên",
                   result=SignedResult(storage_key="x", sha256="0" * 64, signed_at=now, signer_id=LEADER,
                                       signer_name=leader.name))
        uow.dossiers.save(dossier)
        uow.commit()
    done = ok(act(officials(RECEIVER), d["id"], "return_result", method="counter"))
    assert done["status"] == "returned"
    return done


GOOD = {"overall": 4, "criteria": {"time": 5, "visits": 4, "attitude": 5, "guidance": 4, "clarity": 3, "cost": None},
        "comment": "Cán bộ nhiệt tình."}
