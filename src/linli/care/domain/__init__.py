"""Rules of care services with no ORM, one module per stage: `entitlements` (the basic
elderly-care list, the capability assessment and who is entitled to what), `orders` (providers,
orders, visits, check-in and ratings), `statements` (family care beds, provider figures and the
monthly statements), `modifications` (适老化改造), `children` and `classes` (幸福教育). The audit
log's names of this app's actions are merged here (decision 0017)."""

from linli.care.domain.children import AUDIT_ACTIONS as CHILDREN_ACTIONS
from linli.care.domain.classes import AUDIT_ACTIONS as CLASSES_ACTIONS
from linli.care.domain.entitlements import AUDIT_ACTIONS as ENTITLEMENTS_ACTIONS
from linli.care.domain.modifications import AUDIT_ACTIONS as MODIFICATIONS_ACTIONS
from linli.care.domain.orders import AUDIT_ACTIONS as ORDERS_ACTIONS
from linli.care.domain.statements import AUDIT_ACTIONS as STATEMENTS_ACTIONS
from linli.core.errors import Msg

AUDIT_ACTIONS: dict[str, Msg] = {
    **ENTITLEMENTS_ACTIONS,
    **ORDERS_ACTIONS,
    **STATEMENTS_ACTIONS,
    **MODIFICATIONS_ACTIONS,
    **CHILDREN_ACTIONS,
    **CLASSES_ACTIONS,
}
