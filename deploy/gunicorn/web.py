"""gunicorn's settings for the internal app (deploy/systemd/xunshi-web.service): behind nginx
on the loopback address, one JSON object per access-log line (the path without its query
string, the request id; config/gunicorn_logging.py), none for static files or a passing
health check."""

from config.workers import settle

bind = "127.0.0.1:8000"
workers = 4
threads = 4
timeout = 60
graceful_timeout = 30
# Startup reads the settings once; a HUP (systemctl reload) re-reads the code.
preload_app = False
accesslog = "-"
logger_class = "config.gunicorn_logging.JsonPagesLogger"
errorlog = "-"
loglevel = "warning"
control_socket = "/run/xunshi-web/gunicorn.ctl"
forwarded_allow_ips = "127.0.0.1"


def post_worker_init(worker: object) -> None:
    """Once a worker has loaded the app: load what its first request would (the URLs and the
    views) and move every object alive out of the collector's reach (`config.workers.settle`),
    so that a full collection no longer walks the app's own objects on every request that
    triggers one (bench/gc_freeze.py measures the pauses on a round page)."""
    settle()
