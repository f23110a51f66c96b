"""``python -m intake``: the intake process (same as ``shenbao intake``)."""
import sys

from cli.main import main

sys.exit(main(["intake", *sys.argv[1:]]))
