"""Allow ``python -m sync``."""

from sync.cli import main

if __name__ == "__main__":
    main()
