"""Routes of disputes (opened by the createDispute test cards)."""

from __future__ import annotations

from typing import Any

from .._flows.payments import disputes
from .._modelled import Modelled
from .._params import ANY, BOOL, METADATA, STR, Obj, Str
from .._router import Route
from .._state import State

EVIDENCE = Obj({**dict.fromkeys(disputes.EVIDENCE_FIELDS, STR), "enhanced_evidence": ANY})


UPDATE = Obj(
    {
        "evidence": EVIDENCE,
        "metadata": METADATA,
        "submit": BOOL,
        "intended_submission_method": Str(
            "manual", "prefer_manual", "prefer_smart_disputes", "smart_disputes"
        ),
    }
)


def close(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return disputes.close_dispute(state, DISPUTES.find(state, id))


DISPUTES = Modelled(
    "dispute",
    update_params=UPDATE,
    replace_update=disputes.update_dispute,
    filters={"charge": STR, "payment_intent": STR},
)
ROUTES = [*DISPUTES.routes(), Route("POST", "/v1/disputes/{id}/close", close)]
