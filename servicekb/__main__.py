"""`python -m servicekb` runs the command line."""

from servicekb.cli import main

main()
