"""The Open311 GeoReport v2 API under /open311/v2/ (views.py), its OpenAPI
description (openapi.py) and its key commands (cli.py)."""
