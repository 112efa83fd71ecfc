from django.core.management.base import BaseCommand, CommandError

from hushdor.apps.accounts.roles import ROLES
from hushdor.apps.accounts.services import AccountError, operator_create


class Command(BaseCommand):
    help = "Create an operator account with roles; prints the password once when it is generated."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default=None)
        parser.add_argument(
            "--role",
            action="append",
            choices=ROLES,
            default=[],
            help="role to grant (repeatable); default: editor and approver",
        )
        parser.add_argument("--password", default=None, help="set this password instead of a random one")
        parser.add_argument("--email", default="")
        parser.add_argument("--replace", action="store_true", help="reset the password if the user exists")
        parser.add_argument(
            "--demo", action="store_true", help="create or reset the demo operator 'operator' with every role"
        )

    def handle(self, *args, **options):
        username = options["username"] or ("operator" if options["demo"] else None)
        if not username:
            raise CommandError("give a user name, or --demo", returncode=2)
        roles = list(ROLES) if options["demo"] else (options["role"] or ["editor", "approver"])
        try:
            _, password = operator_create(
                username=username,
                password=options["password"],
                roles=roles,
                email=options["email"],
                replace=options["replace"] or options["demo"],
            )
        except AccountError as error:
            raise CommandError(str(error), returncode=2) from error
        shown = password if not options["password"] else "(as given)"
        self.stdout.write(f"operator: {username}  password: {shown}  roles: {', '.join(roles)}")
