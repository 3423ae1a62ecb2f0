"""`python -m qualcode` runs the command line (and the GUI through `qualcode gui`)."""

from qualcode.cli.main import main

raise SystemExit(main())
