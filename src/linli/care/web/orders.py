"""Care services, stage orders: pages (thin: parse, one service or selector, render). The route
lists at the end are joined in `web/urls.py` (staff, /staff/care/), `web/resident_urls.py`
(/my/care/) and `web/provider_urls.py` (/provider/)."""

from __future__ import annotations

staff_urls: list = []
resident_urls: list = []
provider_urls: list = []
