"""The ``qicollab`` console script: ``manage.py`` for an installed platform."""

import os
import sys


def main() -> None:
    """Run a Django management command, e.g. ``qicollab migrate`` or ``qicollab seed_demo``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qicollab.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
