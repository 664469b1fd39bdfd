from django.core.management.base import BaseCommand

from ketenwijs.web.accounts.services import ensure_demo_organisation


class Command(BaseCommand):
    help = "Create the demo organisation and its administrator once; print the password only then."

    def handle(self, *args: object, **options: object) -> None:
        user, password = ensure_demo_organisation()
        if password is None:
            self.stdout.write(f"Demo administrator '{user.username}' exists already.")
        else:
            self.stdout.write(
                f"Demo administrator '{user.username}' created. Password (shown once): {password}"
            )
