import os

from django.core.wsgi import get_wsgi_application

# Every file the web process creates is the app user's alone (0600/0700), whatever the
# umask of the service manager that started it (issue 12).
os.umask(0o077)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
