from django.core.management.base import BaseCommand, CommandError

from hushdor.worker.loop import run_forever
from hushdor.worker.registry import jobs


class Command(BaseCommand):
    help = "Run the worker: feed pollers, expiry and other periodic jobs (Ctrl-C stops it)."

    def add_arguments(self, parser):
        parser.add_argument("--only", action="append", default=[], help="run only this job (repeatable)")
        parser.add_argument("--list", action="store_true", help="list the registered jobs and exit")

    def handle(self, *args, **options):
        registered = jobs()
        if options["list"]:
            for job in registered:
                self.stdout.write(f"{job.name}\tevery {job.interval_s:g} s")
            return
        if options["only"]:
            known = {job.name for job in registered}
            unknown = sorted(set(options["only"]) - known)
            if unknown:
                raise CommandError(f"unknown job(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
            registered = [job for job in registered if job.name in options["only"]]
        run_forever(registered)
