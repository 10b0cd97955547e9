import sys

from cutclear.cli import main

sys.exit(main())
