from django.apps import AppConfig


class ContentConfig(AppConfig):
    """The shared content machinery (the bottom layer): it imports no app, and its one model holds
    files uploaded in the admin between their preview and their save (`content.models.Upload`)."""

    name = "content"
    verbose_name = "Shared content machinery"
