from django.urls import include, path

from xunshi.api.api import api
from xunshi.web.health import healthz
from xunshi.web.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),  # for a load balancer: no login (deploy/)
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("xunshi.accounts.urls")),
    path("accounts/", include("xunshi.users.urls")),
    path("audit/", include("xunshi.audit.urls")),
    path("registry/imports/", include("xunshi.registry.import_urls")),
    path("registry/", include("xunshi.registry.urls")),
    path("rounds/", include("xunshi.rounds.urls")),
    path("deadlines/", include("xunshi.deadlines.urls")),
    path("doctemplates/", include("xunshi.doctemplates.urls")),
    path("files/", include("xunshi.files.urls")),
    path("inspections/", include("xunshi.lifecycle.urls")),
    path("inspections/", include("xunshi.fieldwork.urls")),
    path("inspections/", include("xunshi.findings.urls")),
    path("rectification/", include("xunshi.rectification.urls")),
    path("intake/", include("xunshi.intake.urls")),  # intake: the public portal (issue 5)
    path("oversight/", include("xunshi.oversight.urls")),  # 上下联动 (issue 10)
    path("dashboards/", include("xunshi.dashboards.urls")),  # 统计分析 (issue 11)
    path("desk/", include("xunshi.desk.urls")),  # 首页与提醒 (issue 11)
    path("decisions/", include("xunshi.decisions.urls")),  # 领导小组 (issue 11)
    path("pdf/", include("xunshi.pdfjobs.urls")),  # documents as PDF (issue 14)
    path("knowledge/", include("xunshi.knowledge.urls")),  # 知识库 (issue 14)
    path("search/", include("xunshi.search.urls")),  # 全文检索 (issue 14)
    path("api/v1/", api.urls),  # the REST API, token-authenticated (issue 14)
    path("api/", include("xunshi.api.urls")),  # 接口令牌: the token page
]

handler403 = "xunshi.web.errors.forbidden"
handler404 = "xunshi.web.errors.not_found"
handler500 = "xunshi.web.errors.server_error"
