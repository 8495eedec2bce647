from django.urls import path

from . import views

urlpatterns = [
    path("tokens/", views.token_list, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="api_token_revoke"),
]
