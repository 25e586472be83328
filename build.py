"""Build the portal: python build.py [build|serve|new|check] [options]."""

from sitegen.cli import main

raise SystemExit(main())
