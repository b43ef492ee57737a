"""`make run` and `make serve` stop everything they started, however and whenever they are stopped.

Each test starts the real target in a session (and so a process group) of its own, as a terminal,
`timeout` or a process supervisor would, with a free port and a temporary var/ directory (a fresh
SQLite database: nothing in the checkout's var/ is touched, no PostgreSQL, no network). It sends
one signal at one moment of the start-up, waits — on a condition, with a generous deadline — until
make has exited, and then checks that at that moment no process that carries the start's marker
in its environment is left (whatever its process group or session) and that the port is free:
whoever waited for make (timeout, a supervisor, a terminal) may start it again at once.

The scripts run their servers in process groups of their own, so a signal sent to make's group
reaches only make and the scripts: stopping the servers is the scripts' traps' job.
"""

from __future__ import annotations

import os
import signal

import pytest

from .running import STOP_DEADLINE, Started, port_is_free, requirements_are_installed, start, wait_for

pytestmark = pytest.mark.processes

# (signal, whom): "group" is make's whole process group, "make" the make process alone.
HOW = {
    "term-group": (signal.SIGTERM, "group"),  # timeout(1), a process supervisor
    "term-make": (signal.SIGTERM, "make"),  # kill <pid of make>
    "int-group": (signal.SIGINT, "group"),  # Ctrl-C in the terminal
    "hup-group": (signal.SIGHUP, "group"),  # the terminal is closed
}
# The word that names each target's web server in its command line.
WEB_SERVER = {"run": "manage.py runserver", "serve": "granian"}
CASES = [
    # Serving: every way of stopping.
    *[(target, "answering", how) for target in ("run", "serve") for how in HOW],
    # During start-up: while the database is migrated, and while the servers start.
    *[
        (target, moment, how)
        for target in ("run", "serve")
        for moment in ("migrating", "starting")
        for how in ("term-group", "term-make")
    ],
]


@pytest.fixture
def make(tmp_path):
    """Start `make TARGET`; whatever happens, nothing it started outlives the test."""
    if not requirements_are_installed():
        pytest.fail("make would install the requirements first (network): run `make test-setup` once")
    starts: list[Started] = []

    def run(target: str, **extra: str) -> Started:
        started = start(target, tmp_path, **extra)
        starts.append(started)
        return started

    yield run
    for started in starts:
        if not started.everything_stopped():
            print(started.report())
        started.kill_everything()


def _send(started: Started, how: str) -> None:
    signum, whom = HOW[how]
    assert started.process.poll() is None, started.report()  # so its process group is still its own
    if whom == "group":
        os.killpg(started.pgid, signum)
    else:
        os.kill(started.process.pid, signum)


@pytest.mark.parametrize(("target", "moment", "how"), CASES, ids=["-".join(case) for case in CASES])
def test_stopping_make_stops_everything_it_started(make, target, moment, how):
    started = make(target)
    if moment == "migrating":
        started.wait_until_running("manage.py migrate")
    elif moment == "starting":
        started.wait_until_running(WEB_SERVER[target])
    else:
        started.wait_until_answering()
        # What has to stop: the web server and the worker, each in a process group of its own.
        assert started.running(WEB_SERVER[target]), started.report()
        assert started.running("manage.py db_worker"), started.report()

    _send(started, how)

    # make ends only once everything it started has ended: whoever waits for it (timeout, a
    # supervisor, a terminal) may start it again on the same port at once.
    wait_for(
        lambda: started.process.poll() is not None,
        STOP_DEADLINE,
        f"make {target} ending after {how} while {moment}",
        describe=started.report,
    )
    assert started.processes() == {}, f"left running when make {target} ended:\n{started.report()}"
    assert port_is_free(started.port), f"port {started.port} still taken when make {target} ended"
