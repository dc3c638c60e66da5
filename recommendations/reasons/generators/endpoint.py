"""Reasons from any OpenAI-compatible chat completions server (vLLM, Ollama, llama.cpp, ...)."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from typing import Any

from ...conf import app_settings
from ..evidence import Evidence
from .base import GenerationError, ReasonGenerator
from .prompt import clean_reason, reason_messages


class EndpointGenerator(ReasonGenerator):
    """One POST per evidence with the local model's prompt, asking for ``candidates`` choices.

    A server that ignores ``n`` answers one choice, which is then the only candidate. Transport
    failures raise at once, so a dead server costs one timeout, not one per evidence.
    """

    name = "endpoint"

    def __init__(
        self,
        *,
        url: str | None = None,
        model: str | None = None,
        api_key: str | None = None,
        timeout_seconds: float | None = None,
        candidates: int | None = None,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> None:
        reasons = app_settings.REASONS
        options = reasons["OPTIONS"]
        self.url = url or options["url"]
        self.model = model or options.get("model") or "default"
        self.api_key = api_key or options.get("api_key")
        self.timeout_seconds = timeout_seconds or options.get("timeout_seconds") or 20.0
        self.candidates = max(1, candidates or reasons["candidates"])
        self.temperature = reasons["temperature"] if temperature is None else temperature
        self.max_new_tokens = max_new_tokens or reasons["max_new_tokens"]

    def generate(self, items: list[Evidence], *, language: str) -> list[list[str]]:
        out = [self._candidates(evidence, language) for evidence in items]
        if items and not any(out):
            raise GenerationError(f"{self.url} gave no usable sentence")
        return out

    def _candidates(self, evidence: Evidence, language: str) -> list[str]:
        answer = self._post(
            {
                "model": self.model,
                "messages": reason_messages(evidence, language=language),
                "n": self.candidates,
                "temperature": self.temperature,
                "max_tokens": self.max_new_tokens,
            }
        )
        try:
            choices = answer["choices"]
            texts = [
                clean_reason(
                    choice["message"]["content"] or "",
                    finished=choice.get("finish_reason") != "length",
                )
                for choice in choices
            ]
        except (KeyError, TypeError, AttributeError) as error:
            raise GenerationError(f"{self.url} answered no chat completion: {error!r}") from error
        return list(dict.fromkeys(text for text in texts if text))

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(
            self.url, data=json.dumps(body).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                payload = response.read()
        except urllib.error.HTTPError as error:
            raise GenerationError(f"{self.url} answered HTTP {error.code}") from error
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                raise GenerationError(
                    f"{self.url} did not answer within {self.timeout_seconds}s"
                ) from error
            raise GenerationError(f"{self.url} unreachable: {reason}") from error
        try:
            answer = json.loads(payload)
        except ValueError as error:
            raise GenerationError(f"{self.url} answered malformed JSON") from error
        if not isinstance(answer, dict):
            raise GenerationError(f"{self.url} answered JSON that is not an object")
        return answer
