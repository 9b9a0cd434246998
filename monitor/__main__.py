"""``python -m monitor`` is the same as ``newsmon``."""

from monitor.cli import main

if __name__ == "__main__":
    main()
