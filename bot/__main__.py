"""``python -m bot``: the bot process (same as ``shenbao bot``)."""
import sys

from cli.main import main

if __name__ == "__main__":
    sys.exit(main(["bot", *sys.argv[1:]]))
