"""``python -m trainer`` runs the trainer's command line."""

from trainer.cli import main

raise SystemExit(main())
