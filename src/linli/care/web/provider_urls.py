"""Provider and carer pages (`/provider/…`, phone first)."""

from linli.care.web import orders, statements

app_name = "care-provider"
urlpatterns = [*orders.provider_urls, *statements.provider_urls]
