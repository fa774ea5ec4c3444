"""The `secretariat` command: Django's manage.py under the project's own name."""

import os
import sys

from django.core.management import execute_from_command_line

from secretariat.operations.startup import prepare


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    # Our own commands are spelled with dashes on the command line
    # (`load-dataset`), as Python modules they use underscores.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")

    prepare()  # var/ and the stored secret key, before anything reads them

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
