"""The full table of officials' steps: every (status, stage) × step × role is allowed or refused, and why."""

from datetime import UTC, datetime

import pytest

from motcua.domain import workflow as wf
from motcua.domain.dossiers import Dossier
from motcua.domain.errors import Conflict, Forbidden
from motcua.domain.lifecycle import DossierStatus
from motcua.domain.officials import Membership, Official, Role

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
OFFICE, UNIT = "phuong-tran-bien", "phuong-tran-bien-ubnd"


def person(role: Role, unit: str, pid: str | None = None) -> Official:
    return Official(pid or f"{role}-{unit}", "Người", "CHỨC VỤ", memberships=(Membership(unit, role),))


RECEIVER = person(Role.RECEIVING_OFFICER, OFFICE)
SPECIALIST = person(Role.SPECIALIST, UNIT, "the-specialist")
OTHER_SPECIALIST = person(Role.SPECIALIST, UNIT, "another-specialist")
LEADER = person(Role.LEADER, UNIT)
STRANGER_LEADER = person(Role.LEADER, "xa-long-thanh")
ADMIN = person(Role.ADMIN, "ubnd-tinh-dong-nai")

# Who may take each step at each point of the lifecycle. Everything not listed must be refused.
EXPECTED: dict[tuple[DossierStatus, str], dict[wf.Step, set[str]]] = {
    (DossierStatus.SUBMITTED, "intake"): {wf.Step.RECEIVE: {"receiver"}, wf.Step.REQUEST_SUPPLEMENT: {"receiver"},
                                          wf.Step.REFUSE: {"receiver"}},
    (DossierStatus.RECEIVED, "intake"): {wf.Step.FORWARD: {"receiver"}, wf.Step.STOP: {"leader"},
                                         wf.Step.APOLOGY: {"leader"}},
    (DossierStatus.IN_PROGRESS, "competent_unit"): {wf.Step.ASSIGN: {"leader"}, wf.Step.STOP: {"leader"},
                                                   wf.Step.APOLOGY: {"leader"}},
    (DossierStatus.IN_PROGRESS, "appraisal"): {wf.Step.ASSIGN: {"leader"}, wf.Step.PROPOSE: {"specialist"},
                                              wf.Step.REQUEST_SUPPLEMENT: {"specialist"}, wf.Step.STOP: {"leader"},
                                              wf.Step.APOLOGY: {"leader"}, wf.Step.REQUEST_FEE: {"specialist"}},
    (DossierStatus.FEE_DUE, "appraisal"): {wf.Step.APOLOGY: {"leader"}},
    (DossierStatus.IN_PROGRESS, "approval"): {wf.Step.APPROVE: {"leader"}, wf.Step.SEND_BACK: {"leader"},
                                             wf.Step.REFUSE: {"leader"}, wf.Step.STOP: {"leader"},
                                             wf.Step.APOLOGY: {"leader"}},
    (DossierStatus.SUPPLEMENT_REQUESTED, "intake"): {wf.Step.APOLOGY: {"leader"}},
    (DossierStatus.SUPPLEMENT_REQUESTED, "appraisal"): {wf.Step.APOLOGY: {"leader"}},
    (DossierStatus.WITHDRAWAL_REQUESTED, "intake"): {wf.Step.STOP: {"leader", "receiver"}},
    (DossierStatus.WITHDRAWAL_REQUESTED, "appraisal"): {wf.Step.STOP: {"leader"}},
    (DossierStatus.DONE, "result"): {wf.Step.RETURN_RESULT: {"receiver"}},
    (DossierStatus.RETURNED, "closed"): {},
    (DossierStatus.REFUSED, "closed"): {},
    (DossierStatus.STOPPED, "closed"): {},
}
PEOPLE = {"receiver": RECEIVER, "specialist": SPECIALIST, "other_specialist": OTHER_SPECIALIST, "leader": LEADER,
          "stranger_leader": STRANGER_LEADER, "admin": ADMIN}


def dossier(status: DossierStatus, stage: str) -> Dossier:
    return Dossier(id="d", procedure_code="1.001193", applicant_id="c", applicant_phone="0912345678",
                   created_at=NOW, updated_at=NOW, status=status, stage=stage, code="H19-261126-0001",
                   receiving_office_id=OFFICE, competent_unit_id=UNIT, assignee_id=SPECIALIST.id, due_at=NOW)


CASES = [(state, step, who) for state in EXPECTED for step in wf.Step for who in PEOPLE]


@pytest.mark.parametrize(("state", "step", "who"), CASES, ids=[f"{s[0]}/{s[1]}-{st}-{w}" for s, st, w in CASES])
def test_transition_table(state, step, who):
    d = dossier(*state)
    allowed_roles = EXPECTED[state].get(step, set())
    official = PEOPLE[who]
    if who in allowed_roles:
        wf.authorize(official, d, step)
        assert step in wf.allowed_steps(official, d)
    elif allowed_roles or any(r.statuses and d.status in r.statuses and d.stage in r.stages for r in wf.RULES[step]):
        with pytest.raises(Forbidden):
            wf.authorize(official, d, step)  # the step fits the state, but not this person
    else:
        with pytest.raises(Conflict):
            wf.authorize(official, d, step)  # the step does not fit the state, whoever asks
    if who not in allowed_roles:
        assert step not in wf.allowed_steps(official, d)


def test_every_state_of_the_table_is_reachable_by_some_rule_or_terminal():
    for (status, stage), steps in EXPECTED.items():
        if not steps:
            assert status in {DossierStatus.RETURNED, DossierStatus.REFUSED, DossierStatus.STOPPED}


def test_officials_see_only_dossiers_of_their_units():
    d = dossier(DossierStatus.SUBMITTED, "intake")
    assert wf.can_see(RECEIVER, d) and wf.can_see(LEADER, d)
    assert not wf.can_see(STRANGER_LEADER, d) and not wf.can_see(ADMIN, d)
