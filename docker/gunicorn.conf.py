"""gunicorn settings of the shop's web service (`gunicorn -c docker/gunicorn.conf.py`).

Each worker loads the text encoder and the active sequence model before it takes its first
request: the encoder takes up to a minute to load on a small machine, and no shopper should wait
for either. Requests that arrive meanwhile wait in the listen queue and are then served warm. The
settings come from the environment; options on the command line take precedence.
"""

import os
import threading

wsgi_app = "shop.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# A heartbeat file on disk can stall a worker under I/O load; /dev/shm is memory (in the image).
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None
accesslog = "-"


def post_worker_init(worker) -> None:
    """Warm the models before this worker's first request. The loading runs in a thread while
    this one keeps the heartbeat going, so a load slower than `timeout` is not mistaken for a
    hung worker. A failure is logged and the worker serves anyway, not ready: /health/ready
    answers 503 and the free-text pages fail as they would without the warm-up."""
    from recommendations.warmup import models_warm_up_started

    done = threading.Event()
    models_warm_up_started(done=done.set)
    while not done.wait(1.0):
        worker.notify()
