"""``python -m terjman_desktop`` starts the desktop app."""

from terjman_desktop.app import main

if __name__ == "__main__":
    raise SystemExit(main())
