"""Project wiring: settings, URLs, the NinjaAPI, WSGI and the `linli` command entry."""
