from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "hushdor.worker"
    label = "worker"
