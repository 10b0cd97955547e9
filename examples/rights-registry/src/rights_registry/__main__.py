"""`python -m rights_registry` is `cutclear-rights`."""

import sys

from rights_registry.cli import main

sys.exit(main())
