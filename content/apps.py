from django.apps import AppConfig


class ContentConfig(AppConfig):
    """The shared content machinery (the bottom layer): it imports no app. Its models (share links,
    moved addresses) serve every kind of content."""

    name = "content"
    verbose_name = "Shared content machinery"
