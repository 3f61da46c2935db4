"""Pages of stage burden (see the brief and `docs/consultation.md`)."""

# this stage's lines of the staff menu (see `web/nav.py` for the shape)
NAV_LINKS: list = []
staff_urls: list = []
resident_urls: list = []
public_urls: list = []
