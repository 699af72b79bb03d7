"""python -m hfdash.simulator: the same as `hfdash sim`."""

import sys

from .cli import main

sys.exit(main())
