"""Social assistance's tables, one module per stage; every model is re-exported here so that
`linli.welfare.models` is the one import (and Django finds them)."""

from linli.welfare.models.applications import *  # noqa: F403
from linli.welfare.models.determinations import *  # noqa: F403
from linli.welfare.models.relief import *  # noqa: F403
from linli.welfare.models.roll import *  # noqa: F403
from linli.welfare.models.rules import *  # noqa: F403
