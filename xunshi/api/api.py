"""The REST API (django-ninja): `/api/v1/`, its OpenAPI 3.1 document at
`/api/v1/openapi.json` and the Swagger UI at `/api/v1/docs`, served from ninja's own static
files (no CDN). Every operation needs a personal token (`auth.py`); the document and the docs
page describe the API and hold no data, so they are open."""

from __future__ import annotations

from ninja import NinjaAPI

from .auth import TokenAuth
from .errors import install_handlers
from .inspection_endpoints import router as inspection_router
from .pages import StrictJson, Utf8Json
from .registry_endpoints import router as registry_router

__all__ = ["api"]

api = NinjaAPI(
    title="巡视巡察工作平台接口",
    version="1",
    description=(
        "以个人接口令牌（Authorization: Bearer …）调用；令牌在“接口令牌”页面创建，"
        "可读取的范围与令牌持有人在页面上的相同。出错时答复 "
        '{"code": …, "message": …}，code 为固定的英文代码，message 为中文说明。'
    ),
    auth=TokenAuth(),
    parser=StrictJson(),
    renderer=Utf8Json(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_handlers(api)
api.add_router("", registry_router)
api.add_router("", inspection_router)
