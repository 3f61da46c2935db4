"""The one NinjaAPI, mounted at /api/v1/. Each app contributes a router."""

from ninja import NinjaAPI

from linli.accounts.api import router as accounts_router
from linli.accounts.auth import API_AUTH
from linli.areas.api import router as areas_router
from linli.care.api import router as care_router
from linli.charity.api import router as charity_router
from linli.consultation.api import router as consultation_router
from linli.core.apitools import install_error_handlers
from linli.core.audit_api import router as audit_router
from linli.facilities.api import router as facilities_router
from linli.grid_events.api import router as grid_router
from linli.mediation.api import router as mediation_router
from linli.partners.api import router as partners_router
from linli.residents.api import router as residents_router
from linli.service_desk.api import router as desk_router
from linli.timebank.api import router as timebank_router
from linli.ventures.api import router as ventures_router
from linli.volunteers.api import router as volunteers_router
from linli.welfare.api import router as welfare_router
from linli.workdays.api import legacy_router as workdays_legacy_router
from linli.workdays.api import router as workdays_router

api = NinjaAPI(
    title="Linli API",
    version="1",
    description="Linli (邻里) community service platform. Errors share one shape: "
    '{"error": {"code", "message", "fields": [{"field", "message"}]}}; messages follow Accept-Language.',
    auth=API_AUTH,
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("", areas_router)
api.add_router("", audit_router)
api.add_router("/residents", residents_router)
api.add_router("/desk", desk_router)
api.add_router("/desk", workdays_legacy_router)  # the calendar's old paths, deprecated
api.add_router("/workdays", workdays_router)
api.add_router("/grid", grid_router)
api.add_router("/facilities", facilities_router)
api.add_router("/volunteers", volunteers_router)
api.add_router("/time-bank", timebank_router)
api.add_router("/partners", partners_router)
api.add_router("/ventures", ventures_router)
api.add_router("/charity", charity_router)
api.add_router("/welfare", welfare_router)
api.add_router("/care", care_router)
api.add_router("/mediation", mediation_router)
api.add_router("/consultation", consultation_router)
