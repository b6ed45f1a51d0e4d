"""JSON shapes of the officials' side (worklist items, the working view of a dossier, session users)."""

from __future__ import annotations

from typing import Any

from motcua.api.presenters import apologies_out, dossier_out, iso, supplement_out, unit_ref
from motcua.domain import workflow as wf
from motcua.domain.catalog import Catalog
from motcua.domain.dossiers import Dossier
from motcua.domain.lifecycle import label_vi
from motcua.domain.officials import ROLE_LABELS, Official
from motcua.services.workflow import OfficialActor, WorkflowService


def official_user(catalog: Catalog, official: Official) -> dict[str, Any]:
    return {
        "id": official.id, "kind": "official", "name": official.name,
        "memberships": [
            {"unit_id": m.unit_id, "unit_name": (catalog.units.find(m.unit_id) or _Missing).name,
             "role": m.role.value, "role_label_vi": ROLE_LABELS[m.role][0]}
            for m in official.memberships
        ],
    }


class _Missing:
    name = ""


def _stage(d: Dossier) -> tuple[str | None, str | None]:
    if d.stage is None:
        return None, None
    stage = wf.Stage(d.stage)
    return stage.value, wf.STAGE_LABELS[stage][0]


def work_item(catalog: Catalog, service: WorkflowService, d: Dossier) -> dict[str, Any]:
    procedure = catalog.get(d.procedure_code)
    stage, stage_label = _stage(d)
    assignee = service.official_name(d.assignee_id)
    return {
        "id": d.id, "code": d.code, "procedure": {"code": procedure.code, "name": procedure.name},
        "applicant_name": str(d.form.get("applicant_name", "")), "status": d.status.value,
        "status_label_vi": label_vi(d.status), "stage": stage, "stage_label_vi": stage_label,
        "due_at": iso(d.due_at), "badge": service.badge(d),
        "receiving_office": unit_ref(catalog, d.receiving_office_id),
        "competent_unit": unit_ref(catalog, d.competent_unit_id),
        "assignee": {"id": d.assignee_id, "name": assignee} if d.assignee_id and assignee else None,
    }


NEEDS = {
    wf.Step.REQUEST_SUPPLEMENT: ["missing"], wf.Step.REFUSE: ["reason"], wf.Step.ASSIGN: ["assignee"],
    wf.Step.PROPOSE: ["note"], wf.Step.SEND_BACK: ["reason"], wf.Step.RETURN_RESULT: ["method"],
    wf.Step.STOP: ["reason"], wf.Step.APOLOGY: ["reason", "date"], wf.Step.REQUEST_FEE: ["amount", "reason"],
}


def work_dossier(catalog: Catalog, service: WorkflowService, actor: OfficialActor, d: Dossier) -> dict[str, Any]:
    out = dossier_out(catalog, d, problems={})
    stage, stage_label = _stage(d)
    assignee = service.official_name(d.assignee_id)
    base = f"/api/v1/work/dossiers/{d.id}"
    units = catalog.units
    steps = wf.allowed_steps(actor.official, d)
    out.update({
        "stage": stage, "stage_label_vi": stage_label, "version": d.version,
        "assignee": {"id": d.assignee_id, "name": assignee} if d.assignee_id and assignee else None,
        "badge": service.badge(d),
        "handovers": [
            {"at": iso(h.at), "from_unit": (units.find(h.from_unit_id) or _Missing).name, "from_person": h.from_person,
             "to_unit": (units.find(h.to_unit_id) or _Missing).name, "to_person": h.to_person,
             "step_label_vi": wf.STAGE_LABELS[wf.Stage(h.step)][0], "outcome": h.outcome,
             "outcome_label_vi": wf.OUTCOME_LABELS.get(h.outcome or "", ""), "note": h.note}
            for h in d.handovers
        ],
        "allowed_actions": [
            {"action": s.value, "label_vi": wf.STEP_LABELS[s], "needs": NEEDS.get(s, [])}
            for s in steps if s is not wf.Step.APPROVE
        ],
        "can_sign": wf.Step.APPROVE in steps,
        "candidates": [{"id": o.id, "name": o.name} for o in service.candidates(d)] if wf.Step.ASSIGN in steps else [],
        "result": None if d.stage not in (wf.Stage.APPROVAL, wf.Stage.RESULT, wf.Stage.CLOSED) else {
            "preview_url": f"{base}/result-preview.pdf", "signed": d.result is not None,
            "signed_url": f"{base}/result.pdf" if d.result else None},
        "control_sheet_url": f"{base}/control-sheet.pdf",
    })
    out["supplement_request"] = supplement_out(d, base)
    out["apologies"] = apologies_out(d, base)
    return out
