"""Entry point: `flask --app app run`, `gunicorn app:app`."""
from feedback import create_app

app = create_app()
