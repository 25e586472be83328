"""Build the portal: python build.py [build|serve|new|check] [options]."""

from sitegen.cli import program

raise SystemExit(program())
