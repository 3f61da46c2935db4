"""Rules of deliberation and self-governance with no ORM, one module per stage: `topics`,
`consultations`, `voting` (rules and the tally), `decisions` (decision, implementation,
evaluation), `village` (四议一审两公开 and the quorums of the Organic Law), `board` (conventions,
the public board) and `burden` (the certificate and task lists). The audit log's names of this
app's actions are merged here (decision 0017)."""

from linli.consultation.domain.board import AUDIT_ACTIONS as BOARD_ACTIONS
from linli.consultation.domain.burden import AUDIT_ACTIONS as BURDEN_ACTIONS
from linli.consultation.domain.consultations import AUDIT_ACTIONS as CONSULTATIONS_ACTIONS
from linli.consultation.domain.decisions import AUDIT_ACTIONS as DECISIONS_ACTIONS
from linli.consultation.domain.topics import AUDIT_ACTIONS as TOPICS_ACTIONS
from linli.consultation.domain.village import AUDIT_ACTIONS as VILLAGE_ACTIONS
from linli.consultation.domain.voting import AUDIT_ACTIONS as VOTING_ACTIONS
from linli.core.errors import Msg

AUDIT_ACTIONS: dict[str, Msg] = {
    **TOPICS_ACTIONS,
    **CONSULTATIONS_ACTIONS,
    **VOTING_ACTIONS,
    **DECISIONS_ACTIONS,
    **VILLAGE_ACTIONS,
    **BOARD_ACTIONS,
    **BURDEN_ACTIONS,
}
