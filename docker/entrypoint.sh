#!/bin/sh
# Entry point of the shop image: `release` applies what a new version needs once per deploy (compose
# runs it as the one-shot `migrate` service, before web, worker and beat start); anything else is
# executed as given, e.g. the default gunicorn command or `celery -A shop worker`.
set -eu

if [ "${1:-}" = "release" ]; then
    python manage.py migrate --noinput
    # Refreshes the shared static volume: a volume keeps the files of the image it was created from.
    python manage.py collectstatic --noinput --verbosity 0
    exit 0
fi

exec "$@"
