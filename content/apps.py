from django.apps import AppConfig


class ContentConfig(AppConfig):
    """The shared content machinery (the bottom layer): it has no models, and imports no app."""

    name = "content"
    verbose_name = "Shared content machinery"
