"""Staff pages of social assistance, one module per stage under `web/`."""

app_name = "welfare"
urlpatterns: list = []
