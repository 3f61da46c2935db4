"""Deliberation's tables, one module per stage; every model is re-exported here so that
`linli.consultation.models` is the one import (and Django finds them)."""

from linli.consultation.models.board import *  # noqa: F403
from linli.consultation.models.burden import *  # noqa: F403
from linli.consultation.models.consultations import *  # noqa: F403
from linli.consultation.models.decisions import *  # noqa: F403
from linli.consultation.models.topics import *  # noqa: F403
from linli.consultation.models.village import *  # noqa: F403
from linli.consultation.models.voting import *  # noqa: F403
