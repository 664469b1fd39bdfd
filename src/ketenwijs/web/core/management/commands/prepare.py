from django.core.management.base import BaseCommand, CommandParser

from ketenwijs.web.core.bootstrap import prepare


class Command(BaseCommand):
    help = (
        "Apply migrations and load content (what `ketenwijs serve` does first); safe to run on "
        "several servers at once. --demo also creates the demo organisation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo",
            action="store_true",
            default=None,
            help="Create the demo organisation even in production.",
        )

    def handle(self, *args: object, **options: object) -> None:
        demo = options["demo"]
        for line in prepare(demo=bool(demo) if demo is not None else None):
            self.stdout.write(line)
