"""``python -m monitor`` is the same as ``newsmon``."""

from monitor.cli import main

main()
