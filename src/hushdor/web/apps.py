from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hushdor.web"
    label = "web"
