"""Rules of safe community with no ORM, one module per stage: `disputes` (people's mediation),
`mediators` (the pool and the staffing rule), `screening` (monthly dispute screening),
`reasoning` (慧评理), `safety` (four-zero, policing, incidents, drills) and `support` (restricted
support cases). The audit log's names of this app's actions are merged here (decision 0017)."""

from linli.core.errors import Msg
from linli.mediation.domain.disputes import AUDIT_ACTIONS as DISPUTES_ACTIONS
from linli.mediation.domain.mediators import AUDIT_ACTIONS as MEDIATORS_ACTIONS
from linli.mediation.domain.reasoning import AUDIT_ACTIONS as REASONING_ACTIONS
from linli.mediation.domain.safety import AUDIT_ACTIONS as SAFETY_ACTIONS
from linli.mediation.domain.screening import AUDIT_ACTIONS as SCREENING_ACTIONS
from linli.mediation.domain.support import AUDIT_ACTIONS as SUPPORT_ACTIONS

AUDIT_ACTIONS: dict[str, Msg] = {
    **DISPUTES_ACTIONS,
    **MEDIATORS_ACTIONS,
    **SCREENING_ACTIONS,
    **REASONING_ACTIONS,
    **SAFETY_ACTIONS,
    **SUPPORT_ACTIONS,
}
