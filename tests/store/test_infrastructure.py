"""The ground everything stands on: migrations, embedded services, checks and a real worker."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command

from shop.infra import embedded_redis
from shop.store.models import PendingConfirmation
from shop.store.tasks import send_order_confirmation
from tests.factories import OrderFactory, OrderLineFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_migrations_are_complete():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_vector_extension_is_installed(django_db_blocker):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        (version,) = cursor.fetchone()
    assert tuple(int(p) for p in version.split(".")[:2]) >= (0, 8)


START_SERVER = """
import json, sys
from pathlib import Path
from shop.infra.embedded_postgres import ensure_database
address = ensure_database(Path(sys.argv[1]), "race")
print(json.dumps({"host": address.host, "port": address.port}))
"""


@pytest.mark.slow
def test_two_processes_starting_the_embedded_server_at_once_share_it(tmp_path):
    data_dir = tmp_path / "pg"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", START_SERVER, str(data_dir)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        outputs = [proc.communicate(timeout=120) for proc in procs]
        assert all(proc.returncode == 0 for proc in procs), outputs
        addresses = {out.strip().splitlines()[-1] for out, _ in outputs}
        assert len(addresses) == 1
        address = json.loads(addresses.pop())
        with psycopg.connect(**address, user="postgres", dbname="race", autocommit=True) as conn:
            conn.execute("CREATE TABLE kept (v int); INSERT INTO kept VALUES (7)")
        from shop.infra.embedded_postgres import server_address, stop_server

        assert stop_server(data_dir)
        address = server_address(data_dir).__dict__
        with psycopg.connect(**address, user="postgres", dbname="race") as conn:
            assert conn.execute("SELECT v FROM kept").fetchone() == (7,)
    finally:
        from shop.infra.embedded_postgres import stop_server

        stop_server(data_dir)


THREADS_START_SERVER = """
import json, sys, threading
from pathlib import Path
from shop.infra.embedded_postgres import server_address
barrier, found = threading.Barrier(8), []
def connect():
    barrier.wait()
    found.append(server_address(Path(sys.argv[1])).__dict__)
threads = [threading.Thread(target=connect) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(found))
"""


@pytest.mark.slow
def test_threads_of_one_process_starting_the_embedded_server_at_once_share_it(tmp_path):
    """A threaded web worker's first requests all connect at once (a bench run under load once
    got a 500 here)."""
    data_dir = tmp_path / "pg"
    try:
        done = subprocess.run(
            [sys.executable, "-c", THREADS_START_SERVER, str(data_dir)],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        found = json.loads(done.stdout.strip().splitlines()[-1])
        assert len(found) == 8 and len({json.dumps(a, sort_keys=True) for a in found}) == 1
    finally:
        from shop.infra.embedded_postgres import stop_server

        stop_server(data_dir)


@pytest.mark.slow
def test_embedded_redis_starts_once_and_stops(tmp_path):
    import redis

    first = embedded_redis.ensure_server(tmp_path)
    try:
        assert embedded_redis.ensure_server(tmp_path) == first
        client = redis.Redis(unix_socket_path=str(first))
        assert client.ping()
    finally:
        assert embedded_redis.stop_server(tmp_path)
    assert not embedded_redis.is_running(tmp_path)


@pytest.mark.slow
def test_embedded_redis_starts_when_the_settings_use_it(tmp_path, settings):
    settings.EMBEDDED_REDIS_DIR = tmp_path
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    embedded_redis.ensure_configured()
    assert not embedded_redis.is_running(tmp_path)

    settings.CELERY_BROKER_URL = embedded_redis.broker_url(tmp_path, db=3)
    try:
        embedded_redis.ensure_configured()
        assert embedded_redis.is_running(tmp_path)
    finally:
        embedded_redis.stop_server(tmp_path)


def _system_postgres_url() -> str | None:
    url = "postgres://postgres@127.0.0.1:5432/postgres"
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            has_vector = conn.execute(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'"
            ).fetchone()
    except psycopg.Error:
        return None
    return None if has_vector else url


@pytest.mark.slow
def test_check_names_a_missing_vector_extension_and_starts_nothing_embedded(tmp_path):
    url = _system_postgres_url()
    if url is None:
        pytest.skip("no PostgreSQL without pgvector on 127.0.0.1:5432 to check against")
    env = dict(os.environ, DATABASE_URL=url, SHOP_DATA_DIR=str(tmp_path / "data"))
    env["DJANGO_SETTINGS_MODULE"] = "shop.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if "recommendations.E003" in line]
    assert lines == [
        "?: (recommendations.E003) Database 'default' lacks the pgvector 'vector' extension."
    ]
    assert not (tmp_path / "data" / "postgres").exists()


@pytest.mark.slow
def test_database_url_must_be_postgresql(tmp_path):
    env = dict(os.environ, DATABASE_URL="sqlite:///x.db", DJANGO_SETTINGS_MODULE="shop.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert (
        result.stderr
        == "Configuration error: DATABASE_URL must point at PostgreSQL (postgres://...)\n"
    )


@pytest.mark.slow
def test_tuned_weights_from_the_environment_are_checked():
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="shop.settings")
    env["RECOMMENDATIONS_HYBRID_WEIGHTS"] = "{not json"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2 and "must be JSON" in result.stderr
    assert "Traceback" not in result.stderr
    env["RECOMMENDATIONS_HYBRID_WEIGHTS"] = '{"neighbours": -1}'
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "recommendations.E007" in result.stderr


@pytest.mark.slow
def test_real_worker_consumes_a_task_through_the_real_broker(celery_worker_process):
    order = OrderFactory(email="ada@example.com")
    OrderLineFactory(order=order, quantity=2)
    PendingConfirmation.objects.create(order=order)  # the outbox row checkout writes

    send_order_confirmation.delay(order.pk)

    def confirmed() -> bool:
        order.refresh_from_db()
        return order.confirmation_sent_at is not None

    celery_worker_process.wait_for(confirmed)
    mails = list((celery_worker_process.tmp_path / "mail").iterdir())
    assert len(mails) == 1
    assert f"Your order #{order.pk}" in mails[0].read_text()
    assert "shop.store.tasks.send_order_confirmation" in celery_worker_process.log()

    send_order_confirmation.delay(order.pk)
    celery_worker_process.wait_for(
        lambda: (
            "succeeded" in celery_worker_process.log()
            and celery_worker_process.log().count("succeeded") >= 2
        )
    )
    assert len(list((celery_worker_process.tmp_path / "mail").iterdir())) == 1
