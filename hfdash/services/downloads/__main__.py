"""`python -m hfdash.services.downloads render ID`: the same as `hfdash download render ID`."""

import sys

from hfdash.services.downloads.cli import main

sys.exit(main(sys.argv[1:]))
