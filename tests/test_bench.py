"""The bench's own parts: its load generator, floor view, target judgements and command line."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.__main__ import parser_build
from bench.latency import FLOOR, OWN_SQL, Latency, own_sql_probe
from bench.load import Target, load_run
from bench.page import PageQueries
from bench.targets import demo_target, latency_targets, page_target, under_load_target
from bench.under_load import UnderLoad


class Handler(BaseHTTPRequestHandler):
    """200 for /ok, 500 for anything else; keep-alive, as gunicorn's threaded workers."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b"{}"
        self.send_response(200 if self.path == "/ok" else 500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def port():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_load_run_counts_requests_and_failures(port):
    result = load_run(port, [Target("/ok"), Target("/fails")], concurrency=2, seconds=0.5)
    assert result.concurrency == 2
    assert result.requests > 10
    # Each thread walks the list from its own offset: one asks only for /ok, one only for /fails.
    assert 0 < result.errors < result.requests
    assert result.per_second == pytest.approx(result.requests / result.seconds, rel=0.01)
    assert 0 < result.p50_ms <= result.p99_ms


def test_load_run_counts_a_refused_connection_as_an_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        unused = probe.getsockname()[1]
    result = load_run(unused, [Target("/ok")], concurrency=1, seconds=0.2)
    assert result.requests == result.errors > 0


@pytest.mark.urls("bench.urls")
def test_floor_view_answers_an_empty_page(client, db):
    response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert response.json() == {"count": 0, "results": []}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--products", "10"], "must be at least 1000, got 10"),
        (["--queries", "many"], "'many' is not a whole number"),
    ],
)
def test_bad_arguments_get_a_message_not_a_traceback(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parser_build().parse_args(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def latency_row(endpoint, layer, *, p50, p99=None, sql=1):
    return Latency(
        endpoint=endpoint,
        layer=layer,
        queries=100,
        p50_ms=p50,
        p95_ms=p99 or p50,
        p99_ms=p99 or p50,
        mean_ms=p50,
        results=10.0,
        sql_queries=sql,
        x_floor=1.0,
    )


def test_latency_targets_judge_each_ratio_against_its_own_maximum():
    latency = [
        latency_row("similar", "HTTP API", p50=4.0),
        latency_row("similar", "bare SQL", p50=2.0),
        latency_row("similar", FLOOR, p50=1.0),
        latency_row("for-you", "HTTP API", p50=6.5),
        latency_row("for-you", "bare SQL", p50=2.0),
        latency_row("for-you", FLOOR, p50=1.5),
    ]
    similar, for_you = latency_targets(latency)
    assert (similar.value, similar.met) == (2.0, True)
    assert (for_you.value, for_you.met) == (3.25, False)
    assert for_you.floor.startswith("p50 1.5 ms")


def test_the_own_sql_ratio_is_reported_beside_the_judged_one():
    latency = [
        latency_row("for-you", "HTTP API", p50=6.0),
        latency_row("for-you", "bare SQL", p50=2.0),
        latency_row("for-you", OWN_SQL, p50=4.0),
        latency_row("for-you", FLOOR, p50=1.0),
    ]
    judged, own = latency_targets(latency)
    assert (judged.value, judged.met) == (3.0, True)
    assert (own.value, own.met, own.target) == (1.5, None, "none set")
    assert "its own reads" in own.metric


def test_the_own_sql_layer_replays_what_one_call_read_and_none_of_its_writes(db):
    calls = []

    def api():
        calls.append(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s", [1])
            cursor.execute("SELECT %s + %s", [2, 3])
        Session.objects.filter(pk="none").update(session_data="")
        return 0.0, 0

    probe = own_sql_probe(api)
    assert probe()[1] == 2
    with CaptureQueriesContext(connection) as replayed:
        assert probe()[1] == 2
    assert calls == [1], "captured once, then replayed"
    assert [q["sql"] for q in replayed] == ["SELECT 1", "SELECT 2 + 3"]


def test_demo_page_and_load_targets_are_judged_at_their_bounds():
    demo = [
        latency_row("for-you, demo", "HTTP API", p50=10.0, p99=24.9),
        latency_row("for-you, demo", FLOOR, p50=1.0, p99=3.0),
    ]
    assert demo_target(demo).met is True
    demo[0] = latency_row("for-you, demo", "HTTP API", p50=10.0, p99=25.0)
    assert demo_target(demo).met is False

    floor = [latency_row("for-you", FLOOR, p50=1.0, sql=1)]
    assert page_target(PageQueries(url="/p/x/", queries=8, writes=1), floor).met is True
    page = page_target(PageQueries(url="/p/x/", queries=9, writes=1), floor)
    assert (page.met, page.floor) == (False, "1 statements")

    def run(endpoint, errors):
        return UnderLoad(endpoint, 8, 100, 20.0, 5.0, 9.0, errors, 500.0)

    # A failing floor says something about the machine, not about the endpoints.
    assert under_load_target([run(FLOOR, 3), run("for-you API", 0)]).met is True
    assert under_load_target([run(FLOOR, 0), run("for-you API", 1)]).met is False
