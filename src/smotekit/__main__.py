"""``python -m smotekit``: the command line."""

import sys

from smotekit.cli import main

if __name__ == "__main__":
    sys.exit(main())
