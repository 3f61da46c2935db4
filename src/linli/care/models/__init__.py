"""Care services' tables, one module per stage; every model is re-exported here so that
`linli.care.models` is the one import (and Django finds them)."""

from linli.care.models.children import *  # noqa: F403
from linli.care.models.classes import *  # noqa: F403
from linli.care.models.entitlements import *  # noqa: F403
from linli.care.models.family import *  # noqa: F403
from linli.care.models.modifications import *  # noqa: F403
from linli.care.models.orders import *  # noqa: F403
from linli.care.models.providers import *  # noqa: F403
from linli.care.models.statements import *  # noqa: F403
