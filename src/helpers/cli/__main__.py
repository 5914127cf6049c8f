"""`python -m helpers.cli`: the nianbao command."""

import sys

from . import main

sys.exit(main())
