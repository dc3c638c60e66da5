"""PostgreSQL backend that starts the embedded server on demand.

Selected by settings only when no DATABASE_URL is given; with one, Django's own backend is used and
nothing embedded starts.
"""

from pathlib import Path

from django.db.backends.postgresql import base

from shop.infra.embedded_postgres import ensure_database


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        data_dir = Path(self.settings_dict["OPTIONS"].get("embedded_data_dir", ""))
        name = self.settings_dict["NAME"] or "postgres"
        address = ensure_database(data_dir, name)
        self.settings_dict["HOST"] = address.host
        self.settings_dict["PORT"] = str(address.port)
        params = super().get_connection_params()
        params.pop("embedded_data_dir", None)
        return params
