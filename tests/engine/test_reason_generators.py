"""Reason generators: the prompt, an OpenAI-compatible endpoint (a small server started here), and
the local model (the real one in the slow test)."""

import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from recommendations.reasons.evidence import (
    Constraint,
    Evidence,
    HistoryLink,
    ProductFacts,
    Together,
)
from recommendations.reasons.generators.base import GenerationError
from recommendations.reasons.generators.endpoint import EndpointGenerator
from recommendations.reasons.generators.local import LocalModelGenerator
from recommendations.reasons.generators.prompt import (
    EXAMPLES,
    clean_reason,
    prompt_kind,
    reason_messages,
)
from recommendations.reasons.verifier import verify
from recommendations.reasons.vocabulary import Vocabulary

BACKPACK = ProductFacts(
    id=7, name="Northpeak Summit 40L Backpack", brand="Northpeak", category="Outdoor > Backpacks",
    price="129.00", currency="EUR", in_stock=True,
)  # fmt: skip
TOGETHER = Evidence(
    product=BACKPACK,
    signal="bought_together",
    together=(Together(name="Wildtrail Basecamp 2 Tent", relation="bought_together", shoppers=38),),
)
VIEWED = Evidence(
    product=BACKPACK,
    signal="content",
    history=(
        HistoryLink(name="Altura Ridgeline 55L Backpack", action="viewed", when="yesterday",
                    shared=("backpacks",)),
    ),
)  # fmt: skip


# The prompt.


def test_the_prompt_ends_with_this_evidences_facts_in_its_language():
    english = reason_messages(TOGETHER, language="en")
    chinese = reason_messages(TOGETHER, language="zh-hans")

    assert english[0]["role"] == chinese[0]["role"] == "system"
    assert "English" in english[0]["content"]
    assert "中文" in chinese[0]["content"]
    for messages in (english, chinese):
        assert messages[-1]["role"] == "user"
        assert "Wildtrail Basecamp 2 Tent" in messages[-1]["content"]
        assert "38" in messages[-1]["content"]
        # Examples are earlier turns, answered by the assistant.
        assert [m["role"] for m in messages[1:-1]] == ["user", "assistant"] * (
            len(messages[1:-1]) // 2
        )
    assert chinese[-1]["content"].startswith("事实")


def test_the_prompt_names_only_the_signals_own_facts():
    searched = Evidence(
        product=BACKPACK,
        signal="search",
        constraints=(Constraint(kind="max_price", value="150"),),
        history=VIEWED.history,
    )
    facts = reason_messages(searched, language="en")[-1]["content"]

    assert prompt_kind(searched) == "constraints"
    assert "€150" in facts
    assert "Altura" not in facts and "Northpeak Summit" not in facts
    assert prompt_kind(VIEWED) == "history:viewed"


def test_a_language_without_a_prompt_is_a_generation_error():
    with pytest.raises(GenerationError, match="de"):
        reason_messages(TOGETHER, language="de")


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_example_answer_passes_the_verifier(kind):
    """An example that says more than its facts would teach the model to invent."""
    for evidence, answers in EXAMPLES[kind]:
        for language, answer in answers.items():
            verdict = verify(answer, evidence, language=language, vocabulary=Vocabulary())
            assert verdict.passed, (answer, verdict)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ('Reason: "Pairs with the Summit 40L Backpack." Hope this helps!',
         "Pairs with the Summit 40L Backpack."),
        ("- Costs €24.50, under your €30 limit.\nMore", "Costs €24.50, under your €30 limit."),
        ("理由：最近有230位顾客选择了它。确实如此。", "最近有230位顾客选择了它。"),
        ("Chosen by 230 shoppers recently", "Chosen by 230 shoppers recently."),
        ("Campfire & Co.", ""),
        ("", ""),
    ],
)  # fmt: skip
def test_an_answer_is_cleaned_to_its_first_sentence(answer, reason):
    assert clean_reason(answer) == reason


def test_an_answer_cut_off_by_the_token_limit_is_dropped():
    assert clean_reason("Pairs with the Summit 40L Backpack that", finished=False) == ""


# The endpoint, against a small OpenAI-compatible server.


class Server:
    """Answers every POST with `status` and `body` after `delay` seconds; keeps the requests."""

    def __init__(self) -> None:
        self.status, self.body, self.delay = 200, b"", 0.0
        self.requests: list[tuple[dict, dict]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                server.requests.append((dict(self.headers), json.loads(self.rfile.read(length))))
                time.sleep(server.delay)
                try:
                    self.send_response(server.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(server.body)))
                    self.end_headers()
                    self.wfile.write(server.body)
                except ConnectionError:
                    pass  # The client gave up waiting: the timeout test.

            def log_message(self, *args) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}/v1/chat/completions"

    def answer(self, *contents: str | None, finish_reason: str = "stop") -> None:
        choices = [
            {"index": i, "message": {"role": "assistant", "content": content},
             "finish_reason": finish_reason}
            for i, content in enumerate(contents)
        ]  # fmt: skip
        self.body = json.dumps({"object": "chat.completion", "choices": choices}).encode()


@pytest.fixture
def server():
    server = Server()
    thread = threading.Thread(target=server.http.serve_forever, daemon=True)
    thread.start()
    yield server
    server.http.shutdown()
    server.http.server_close()


def test_the_endpoint_answer_is_the_candidate(server):
    server.answer("Pairs with the Wildtrail Basecamp 2 Tent: 38 shoppers bought both.")
    generator = EndpointGenerator(url=server.url, candidates=1)

    assert generator.generate([TOGETHER], language="en") == [
        ["Pairs with the Wildtrail Basecamp 2 Tent: 38 shoppers bought both."]
    ]
    ((_, body),) = server.requests
    assert body["messages"] == reason_messages(TOGETHER, language="en")
    assert body["n"] == 1
    assert body["max_tokens"] > 0 and 0 <= body["temperature"] <= 1


def test_several_candidates_come_back_best_first_without_repeats(server):
    server.answer(
        "Often bought together with the Wildtrail Basecamp 2 Tent.",
        '"Often bought together with the Wildtrail Basecamp 2 Tent."',
        "38 shoppers bought it with the Wildtrail Basecamp 2 Tent.",
    )
    generator = EndpointGenerator(url=server.url, candidates=3, temperature=0.5)

    result = generator.generate([TOGETHER, VIEWED], language="en")

    assert result[0] == [
        "Often bought together with the Wildtrail Basecamp 2 Tent.",
        "38 shoppers bought it with the Wildtrail Basecamp 2 Tent.",
    ]
    assert len(server.requests) == 2
    assert {body["n"] for _, body in server.requests} == {3}
    assert {body["temperature"] for _, body in server.requests} == {0.5}


def test_no_authorization_header_without_a_key_and_a_bearer_one_with_it(server):
    server.answer("Chosen by 38 shoppers recently, like the tent.")
    EndpointGenerator(url=server.url).generate([TOGETHER], language="en")
    EndpointGenerator(url=server.url, api_key="sk-local").generate([TOGETHER], language="en")

    (without, _), (with_key, _) = server.requests
    assert "Authorization" not in without
    assert with_key["Authorization"] == "Bearer sk-local"


def test_a_server_slower_than_the_timeout_is_a_generation_error(server):
    server.answer("Too late to matter to anyone at all.")
    server.delay = 1.0
    generator = EndpointGenerator(url=server.url, timeout_seconds=0.2)

    started = time.monotonic()
    with pytest.raises(GenerationError, match=r"within 0\.2s"):
        generator.generate([TOGETHER, VIEWED], language="en")
    # The first timeout ends the batch: a dead server costs one wait, not one per reason.
    assert time.monotonic() - started < 0.9


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (500, b'{"error": "overloaded"}', "HTTP 500"),
        (200, b"<html>not json</html>", "malformed JSON"),
        (200, b'["a", "list"]', "not an object"),
        (200, b'{"choices": [{"text": "completion, not chat"}]}', "no chat completion"),
    ],
)
def test_an_error_or_junk_answer_is_a_generation_error(server, status, body, message):
    server.status, server.body = status, body

    with pytest.raises(GenerationError, match=message):
        EndpointGenerator(url=server.url).generate([TOGETHER], language="en")


@pytest.mark.parametrize("contents", [("",), (None,), ("   \n  ",), ("Ok.",)])
def test_empty_or_fragment_content_is_a_generation_error(server, contents):
    server.answer(*contents)

    with pytest.raises(GenerationError, match="no usable sentence"):
        EndpointGenerator(url=server.url).generate([TOGETHER], language="en")


def test_a_choice_cut_off_by_the_token_limit_is_no_candidate(server):
    server.answer("Often bought together with the Wildtrail", finish_reason="length")

    with pytest.raises(GenerationError, match="no usable sentence"):
        EndpointGenerator(url=server.url).generate([TOGETHER], language="en")


def test_an_unreachable_endpoint_is_a_generation_error():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/v1/chat/completions"

    with pytest.raises(GenerationError, match="unreachable"):
        EndpointGenerator(url=url, timeout_seconds=1).generate([TOGETHER], language="en")


# The local model.


def test_a_missing_model_file_is_a_generation_error_naming_it(tmp_path):
    missing = tmp_path / "absent.gguf"

    with pytest.raises(GenerationError, match=re.escape(str(missing))):
        LocalModelGenerator(model_file=missing).generate([TOGETHER], language="en")


@pytest.fixture(scope="module")
def local_generator():
    generator = LocalModelGenerator(candidates=3)
    generator.load()
    return generator


@pytest.mark.slow
def test_the_local_model_writes_one_short_english_sentence_per_evidence(local_generator):
    result = local_generator.generate([TOGETHER, VIEWED], language="en")

    assert len(result) == 2
    for candidates in result:
        assert candidates, result
        for text in candidates:
            assert "\n" not in text
            assert text.endswith((".", "!", "?"))
            assert len(re.findall(r"[.!?](?:\s|$)", text)) == 1, text
            assert 4 <= len(text.split()) <= 25, text
            assert text.isascii() or "€" in text, text
