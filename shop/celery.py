"""The Celery app of the demo shop; configuration comes from Django settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

app = Celery("shop", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def start_embedded_broker(sender: Celery, **kwargs) -> None:
    from shop.infra.embedded_redis import ensure_configured

    ensure_configured()
