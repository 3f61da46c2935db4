"""Rules of social assistance with no ORM, one module per stage: `classes` (the assistance classes
and area types shared by every stage), `applications`, `roll` (reviews and payroll), `relief`
(temporary assistance, zero-employment households, public-welfare posts) and `rules` (the names
of the dated parameters an admin edits). The audit log's names of this app's actions are merged
here (decision 0017)."""

from linli.core.errors import Msg
from linli.welfare.domain.applications import AUDIT_ACTIONS as APPLICATION_ACTIONS
from linli.welfare.domain.relief import AUDIT_ACTIONS as RELIEF_ACTIONS
from linli.welfare.domain.roll import AUDIT_ACTIONS as ROLL_ACTIONS
from linli.welfare.domain.rules import AUDIT_ACTIONS as RULES_ACTIONS

AUDIT_ACTIONS: dict[str, Msg] = {**RULES_ACTIONS, **APPLICATION_ACTIONS, **ROLL_ACTIONS, **RELIEF_ACTIONS}
