from django.core.management.base import BaseCommand

from ketenwijs.web.core.translations import compile_translations


class Command(BaseCommand):
    help = "Compile the .po translation catalogues to .mo files (pure Python, no gettext needed)."

    def handle(self, *args: object, **options: object) -> None:
        compiled = compile_translations()
        self.stdout.write(f"compiled: {', '.join(compiled) or 'nothing (all up to date)'}")
