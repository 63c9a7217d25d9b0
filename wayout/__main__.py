"""Allow `python -m wayout`."""

from wayout.cli import main

raise SystemExit(main())
