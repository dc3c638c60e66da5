"""The API's documentation pages load their viewers from this site's static files, never a CDN."""

import re

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_load_their_scripts_and_styles_from_static_files(client, path):
    html = client.get(path).content.decode()

    sources = re.findall(r'<(?:script|link)[^>]* (?:src|href)="([^"]+)"', html)
    assert sources, html
    for source in sources:
        # The Swagger page's own script is its URL with `?script`.
        if source.startswith(path):
            continue
        assert source.startswith("/static/"), f"{source} is not on this site"
        assert finders.find(source.removeprefix("/static/")), f"{source} is not a static file"
    assert "https://" not in html
