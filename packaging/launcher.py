"""PyInstaller entry script: runs the same main() as `python -m desktop_app`."""

import sys

from desktop_app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
