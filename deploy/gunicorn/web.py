"""gunicorn's settings for the internal app (deploy/systemd/xunshi-web.service): behind nginx
on the loopback address, one JSON object per access-log line (the path without its query
string, the request id nginx set), no line for static files or the health check."""

bind = "127.0.0.1:8000"
workers = 4
threads = 4
timeout = 60
graceful_timeout = 30
# Startup reads the settings once; a HUP (systemctl reload) re-reads the code.
preload_app = False
accesslog = "-"
logger_class = "config.gunicorn_logging.PagesOnlyLogger"
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "request_id": "%({x-request-id}i)s", '
    '"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": %(B)s, "ms": %(M)s}'
)
errorlog = "-"
loglevel = "warning"
control_socket = "/run/xunshi-web/gunicorn.ctl"
forwarded_allow_ips = "127.0.0.1"
