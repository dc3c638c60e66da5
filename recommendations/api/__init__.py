"""The REST API of the recommendations app: include ``recommendations.api.urls`` in a project."""
