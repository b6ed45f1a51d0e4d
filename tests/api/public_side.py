"""Helpers of the public-side tests: a dossier driven to RETURNED through the officials' real steps."""

from __future__ import annotations

from api.test_workflow import RECEIVER, act, approve_in_domain, ok, to_approval


def returned(citizen, officials, container) -> dict:
    """A dossier whose result was returned at the counter (approval goes through the domain, as the workflow
    tests do: signing has its own tests)."""
    d = to_approval(citizen, officials)
    approve_in_domain(container, d["id"])
    done = ok(act(officials(RECEIVER), d["id"], "return_result", method="counter"))
    assert done["status"] == "returned"
    return done


GOOD = {"overall": 4, "criteria": {"time": 5, "visits": 4, "attitude": 5, "guidance": 4, "clarity": 3, "cost": None},
        "comment": "Cán bộ nhiệt tình."}
