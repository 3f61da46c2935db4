"""Safe community's tables, one module per stage; every model is re-exported here so that
`linli.mediation.models` is the one import (and Django finds them)."""

from linli.mediation.models.disputes import *  # noqa: F403
from linli.mediation.models.mediators import *  # noqa: F403
from linli.mediation.models.reasoning import *  # noqa: F403
from linli.mediation.models.safety import *  # noqa: F403
from linli.mediation.models.screening import *  # noqa: F403
from linli.mediation.models.support import *  # noqa: F403
