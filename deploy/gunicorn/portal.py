"""gunicorn's settings for the public portal (deploy/systemd/xunshi-portal.service): behind
nginx on the loopback address, and no access log at all: the portal records no address, agent
or path of anyone (portal/README.md)."""

bind = "127.0.0.1:8001"
workers = 4
threads = 2
timeout = 60
graceful_timeout = 30
accesslog = None
errorlog = "-"
loglevel = "warning"
control_socket = "/run/xunshi-portal/gunicorn.ctl"
forwarded_allow_ips = "127.0.0.1"
