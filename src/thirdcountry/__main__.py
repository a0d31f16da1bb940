"""`python -m thirdcountry` is the same as the `thirdcountry` command."""

import sys

from thirdcountry.cli import main

sys.exit(main())
