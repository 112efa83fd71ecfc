"""``hushdor run``: the web server and the worker in one process tree; Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Hushdor (web + worker). Ctrl-C stops both cleanly."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("HUSHDOR_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("HUSHDOR_WEB_WORKERS", "2"))
        )
        parser.add_argument("--no-worker", action="store_true", help="serve the web only")
        parser.add_argument("--demo", action="store_true",
                            help="also replay the built-in past earthquakes in accelerated time (hushdor demo)")

    def _demo_environment(self, bind: str) -> None:
        """Point the children at the demo's local delivery peers, unless the operator configured others."""
        from hushdor.apps.dissemination.local_peers import (
            KANNEL_DEMO_PASSWORD,
            KANNEL_DEMO_USER,
            kannel_missing,
        )
        from hushdor.apps.dissemination.management.commands.dissemination import DEMO_SMTP_PORT

        os.environ.setdefault("HUSHDOR_PUBLIC_URL", f"http://{bind}")
        os.environ.setdefault("HUSHDOR_SMTP_HOST", "127.0.0.1")
        os.environ.setdefault("HUSHDOR_SMTP_PORT", str(DEMO_SMTP_PORT))
        os.environ.setdefault("HUSHDOR_DISSEMINATION_ALLOW_PRIVATE_TARGETS", "1")  # the local webhook peer
        if not kannel_missing():
            os.environ.setdefault("HUSHDOR_KANNEL_SENDSMS_URL", "http://127.0.0.1:13013/cgi-bin/sendsms")
            os.environ.setdefault("HUSHDOR_KANNEL_USER", KANNEL_DEMO_USER)
            os.environ.setdefault("HUSHDOR_KANNEL_PASSWORD", KANNEL_DEMO_PASSWORD)

    def handle(self, *args, **options):
        if options["web_workers"] < 1:
            raise CommandError("--web-workers must be at least 1")
        python = sys.executable
        children: dict[str, subprocess.Popen] = {}
        if options["demo"]:
            self._demo_environment(options["bind"])
            children["peers"] = subprocess.Popen([python, "-m", "hushdor.cli", "dissemination", "demo-peers"])
        web = [
            python,
            "-m",
            "gunicorn",
            "hushdor.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["web_workers"]),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
        ]
        children["web"] = subprocess.Popen(web)
        if not options["no_worker"]:
            children["worker"] = subprocess.Popen([python, "-m", "hushdor.cli", "worker"])
        self.stdout.write(f"Hushdor is serving at http://{options['bind']}/ (Ctrl-C to stop)")
        finished_ok: set[str] = set()  # a child whose work is done (the demo replay) may leave quietly
        if options["demo"]:
            time.sleep(2.0)  # let the web server bind first, so the printed URL answers
            children["demo"] = subprocess.Popen([python, "-m", "hushdor.cli", "demo",
                                                 "--url", f"http://{options['bind']}/dashboard/"])
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        while not stopping:
            for name, child in children.items():
                if name == "demo" and child.poll() == 0:
                    finished_ok.add(name)
                    continue
                if child.poll() is not None:
                    self.stderr.write(f"{name} exited with code {child.returncode}; stopping the rest")
                    exit_code = child.returncode or 1
                    stopping = True
            time.sleep(0.2)
        for name, child in children.items():
            if child.poll() is None and name not in finished_ok:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        self.stdout.write("stopped")
        if exit_code:
            raise CommandError(f"a component stopped unexpectedly (exit {exit_code})", returncode=exit_code)
