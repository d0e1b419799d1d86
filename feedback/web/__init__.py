"""Public web pages: home, the submission form, tracking, health."""
from .views import bp

__all__ = ["bp"]
