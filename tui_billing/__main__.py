"""Run the command line with python -m tui_billing."""

from tui_billing.entry import main

raise SystemExit(main())
