import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.config.settings")
application = get_wsgi_application()

# Only a web server imports this module (granian, or runserver), never pytest or a management
# command. Each worker loads the category router as it starts, on a background thread: the first
# report would otherwise wait ~6 s for it (docs/benchmarks.md, first-report).
from linli.core.server import warm_in_background  # noqa: E402  (after Django is set up)
from linli.facilities.selectors import road_lines_warm  # noqa: E402
from linli.grid_events.selectors import router_warm  # noqa: E402
from linli.service_desk.selectors import catalogue_warm  # noqa: E402

warm_in_background(router_warm)
warm_in_background(catalogue_warm)  # jieba's dictionary and the catalogue's search index
warm_in_background(road_lines_warm)  # the streets every map draws (~2.5 s for the demo city)
