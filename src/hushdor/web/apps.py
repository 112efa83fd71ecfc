from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hushdor.web"
    label = "web"

    def ready(self) -> None:
        from hushdor.web import health, metrics

        metrics.register("process", health.process_metric_lines)
        metrics.register("worker", health.worker_metric_lines)
