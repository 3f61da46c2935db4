"""Social assistance over JSON, one router per stage added below. Parse → actor → one service or
selector → schema."""

from ninja import Router

router = Router(tags=["welfare"])

# rules: parameters, the city's changes, the trial calculator
from linli.welfare.api.rules import router as rules_router  # noqa: E402

router.add_router("/rules", rules_router)

# relief: temporary assistance, zero-employment households, job needs, figures
from linli.welfare.api.relief import router as relief_router  # noqa: E402

router.add_router("/relief", relief_router)

# applications: from the desk to the county's decision
from linli.welfare.api.applications import router as applications_router  # noqa: E402

router.add_router("", applications_router)

# roll: the roll, its reviews and the monthly payroll
from linli.welfare.api.roll import router as roll_router  # noqa: E402

router.add_router("/roll", roll_router)
