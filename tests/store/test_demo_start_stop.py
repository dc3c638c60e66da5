"""Clean start and stop: the demo's children die with it, `embedded_services stop` ends a demo
started elsewhere, and a killed `make` leaves nothing running."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from shop.infra.processes import pid_file_read, pid_file_stop, pid_file_write

ROOT = Path(__file__).resolve().parents[2]
# The live server port of these tests; no other test uses it.
PORT = 8106


def alive(pid: int) -> bool:
    """Running, not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def group_members(group: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def wait_until(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {what}")
        time.sleep(0.2)


def python(source: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(source)], cwd=ROOT, **kwargs)


def sleeper_group() -> subprocess.Popen:
    """A leader with a child of its own, in a new process group: a worker with its pool."""
    return subprocess.Popen(["sh", "-c", "sleep 300 & sleep 300; wait"], start_new_session=True)


pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc")


def test_a_child_leads_its_own_group_and_dies_with_its_parent(tmp_path):
    pids = tmp_path / "child.pid"
    parent = python(
        f"""
        import time
        from shop.infra.processes import child_start
        child = child_start(["sleep", "300"])
        open({str(pids)!r}, "w").write(str(child.pid))
        time.sleep(300)
        """
    )
    wait_until(lambda: pids.exists() and pids.read_text(), timeout=30, what="child started")
    child = int(pids.read_text())
    assert alive(child) and os.getpgid(child) == child != os.getpgid(parent.pid)

    parent.kill()  # SIGKILL: the parent runs no cleanup at all
    parent.wait()

    wait_until(lambda: not alive(child), timeout=10, what="child gone with its parent")


def test_a_pid_file_stops_the_whole_group_and_never_a_stranger(tmp_path):
    group = sleeper_group()
    wait_until(lambda: len(group_members(group.pid)) >= 2, timeout=10, what="group started")
    pid_file = tmp_path / "run" / "worker.pid"
    pid_file_write(pid_file, group.pid)

    assert pid_file_stop(pid_file, group=True, timeout=5)
    group.wait(timeout=5)
    assert group_members(group.pid) == [] and not pid_file.exists()

    stranger = subprocess.Popen(["sleep", "300"])
    try:
        # A file left by a crash, whose pid now belongs to another process.
        pid_file.write_text(f'{{"pid": {stranger.pid}, "started": "1"}}')
        assert pid_file_read(pid_file) is None and not pid_file.exists()
        assert not pid_file_stop(pid_file, group=True) and alive(stranger.pid)
    finally:
        stranger.kill()
        stranger.wait()


def manage(*args: str, data_dir: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "TEST_CELERY_BROKER_URL"}
    }
    env.update(DJANGO_SETTINGS_MODULE="tests.settings", SHOP_DATA_DIR=str(data_dir))
    env.update(DJANGO_DEBUG="1", PYTHONUNBUFFERED="1")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def test_stop_ends_a_demo_started_elsewhere_and_services_only_leaves_it(tmp_path):
    """As `make stop` from another terminal: the web server (told by SIGTERM, it cleans up),
    then whatever is left of the worker group."""
    run = tmp_path / "run"
    web = python("import signal, time\nsignal.signal(signal.SIGTERM, lambda *a: exit(0))\n"
                 "time.sleep(300)")  # fmt: skip
    worker = sleeper_group()
    wait_until(lambda: len(group_members(worker.pid)) >= 2, timeout=10, what="group started")
    pid_file_write(run / "web.pid", web.pid)
    pid_file_write(run / "worker.pid", worker.pid)

    kept = manage("embedded_services", "stop", "--services-only", data_dir=tmp_path)
    assert kept.returncode == 0, kept.stderr
    assert alive(web.pid) and group_members(worker.pid)

    stopped = manage("embedded_services", "stop", data_dir=tmp_path)

    assert stopped.returncode == 0, stopped.stderr
    assert "Stopped the demo's web server." in stopped.stdout
    assert "Stopped the demo's worker and beat." in stopped.stdout
    assert web.wait(timeout=5) == 0 and worker.wait(timeout=5) is not None
    assert group_members(worker.pid) == [] and not any(run.iterdir())


def test_running_names_the_services_and_keep_rejects_others(tmp_path):
    assert manage("embedded_services", "running", data_dir=tmp_path).stdout.strip() == ""
    bad = manage("embedded_services", "stop", "--keep", "mysql", data_dir=tmp_path)
    assert bad.returncode == 1 and "--keep takes postgres and redis; unknown: mysql" in bad.stderr


def port_open() -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", PORT)) == 0


@pytest.mark.slow
def test_a_killed_make_demo_leaves_nothing_running(tmp_path):
    """The demo on a data folder of its own (its own PostgreSQL and Redis), started by a parent
    that is then killed with SIGKILL, as `make` can be: web server, worker, beat, database and
    broker all end."""
    data = tmp_path / "data"
    log = (tmp_path / "rundemo.log").open("w")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "TEST_CELERY_BROKER_URL"}
    }
    env.update(DJANGO_SETTINGS_MODULE="tests.settings", SHOP_DATA_DIR=str(data), DJANGO_DEBUG="1")
    make = subprocess.Popen(
        ["sh", "-c", f"{sys.executable} manage.py rundemo 127.0.0.1:{PORT}; echo finished"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        web_file, worker_file = data / "run" / "web.pid", data / "run" / "worker.pid"
        wait_until(
            lambda: port_open() and worker_file.exists(), timeout=300, what="the demo serving"
        )
        web, worker = pid_file_read(web_file), pid_file_read(worker_file)
        postgres = int((data / "postgres" / "postmaster.pid").read_text().split()[0])
        redis = int((data / "redis" / "redis.pid").read_text().strip())
        assert web and worker and all(map(alive, (web, worker, postgres, redis)))

        make.kill()
        make.wait()

        wait_until(lambda: not alive(web), timeout=60, what="web server gone")
        wait_until(lambda: not group_members(worker), timeout=60, what="worker and beat gone")
        wait_until(lambda: not alive(postgres) and not alive(redis), timeout=30, what="services")
        assert not port_open() and not web_file.exists() and not worker_file.exists()
        assert (
            "Stopped: web server, worker, postgres, redis."
            in (tmp_path / "rundemo.log").read_text()
        )
    finally:
        if make.poll() is None:
            make.kill()
        manage("embedded_services", "stop", data_dir=data)
