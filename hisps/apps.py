from django.apps import AppConfig


class HispsConfig(AppConfig):
    name = "hisps"
    verbose_name = "High Impact Service Providers"
