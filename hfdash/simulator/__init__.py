"""A stand-alone simulator of the HeyGen v3 API subset hfdash uses.

Standard library only, importing nothing else from hfdash: it is an independent oracle of the
contract in shared/api, for tests, the demo mode and HeyGen's own CLIs.
"""

from .config import SimConfig
from .server import Simulator
from .state import SimState

__all__ = ["SimConfig", "SimState", "Simulator"]
