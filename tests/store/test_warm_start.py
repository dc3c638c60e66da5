"""No cold starts: a web worker loads the text encoder (and the active sequence model, see
`tests/engine/test_sequential.py`) before its first request, and the health check says ready
only then."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from recommendations import warmup

ROOT = Path(__file__).resolve().parents[2]
PORT = 8113


@pytest.fixture
def cold(db):
    """This process as a fresh web worker: no model loaded, nothing warmed (the warm-up reads
    which model version is active)."""
    with override_settings(
        RECOMMENDATIONS={"ENCODER": "recommendations.embeddings.fake.FakeEncoder"}
    ):
        yield


def test_ready_answers_503_until_the_encoder_is_warm_then_200(client, cold):
    assert client.get("/health/live").status_code == 200
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json()["status"] == "warming up"

    warmup.models_warm_up()

    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"
    assert response.json()["encoder"] == "fake-384"
    # No version trained yet: nothing more to load.
    assert response.json()["model_version"] is None


def test_warming_twice_loads_once(cold):
    first = warmup.models_warm_up()
    assert warmup.models_warm_up() == first
    assert warmup.models_warm_state()["seconds"] == first


class Gunicorn:
    """The production config (docker/gunicorn.conf.py) against this run's test database."""

    def __init__(self, tmp_path: Path, **env: str) -> None:
        self.log = tmp_path / "gunicorn.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "TEST_WORKER_DB_NAME": connection.settings_dict["NAME"],
            "TEST_CELERY_BROKER_URL": f"redis+socket://{tmp_path}/no-broker.sock",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "docker/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{PORT}", "--workers", "1", "--threads", "2"],
            cwd=ROOT, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def first_answer(self, path: str, *, timeout: float) -> tuple[int, str]:
        """Asks until the server answers at all (it refuses connections until it binds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.text()
            try:
                url = f"http://127.0.0.1:{PORT}{path}"
                with urllib.request.urlopen(url, timeout=timeout) as response:
                    return response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                return error.code, error.read().decode()
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"no answer from {path} in {timeout} s:\n{self.text()}")


def _line_of(log: str, needle: str) -> int:
    lines = log.splitlines()
    return next(i for i, line in enumerate(lines) if needle in line)


def _log_with(server: Gunicorn, needle: str, *, timeout: float = 10) -> str:
    """The log once it holds `needle`: gunicorn writes a request's access line after answering."""
    deadline = time.monotonic() + timeout
    while needle not in (log := server.text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return log


def _assert_served_warm(server: Gunicorn, encoder: str, *, timeout: float) -> None:
    # The very first answer is already "ready": the worker took no request before the warm-up.
    status, body = server.first_answer("/health/ready", timeout=timeout)
    assert status == 200, server.text()
    assert json.loads(body)["encoder"] == encoder
    status, _ = server.first_answer("/recommendations/ask/?q=waterproof+jacket", timeout=60)
    assert status == 200, server.text()
    log = _log_with(server, "GET /recommendations/ask/")
    warm = _line_of(log, f"encoder {encoder} warm in")
    assert warm < _line_of(log, "GET /health/ready"), log
    assert "WORKER TIMEOUT" not in log


@pytest.mark.django_db(transaction=True)
def test_gunicorn_warms_before_its_first_request_even_past_its_timeout(tmp_path):
    """The fake encoder takes 5 s per call here, longer than the 3 s worker timeout: the
    heartbeat goes on while the encoder loads, so the worker is not killed as hung."""
    with Gunicorn(tmp_path, TEST_ENCODER_DELAY="5", GUNICORN_TIMEOUT="3") as server:
        _assert_served_warm(server, "fake-384", timeout=60)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_gunicorn_loads_the_real_model_once_before_the_first_free_text_request(tmp_path):
    with Gunicorn(tmp_path, TEST_REAL_ENCODER="1") as server:
        _assert_served_warm(server, "all-MiniLM-L6-v2", timeout=300)
        log = _log_with(server, "GET /recommendations/ask/")
        assert log.count("loaded all-MiniLM-L6-v2 in") == 1, log
        assert _line_of(log, "loaded all-MiniLM-L6-v2 in") < _line_of(
            log, "GET /recommendations/ask/"
        )
