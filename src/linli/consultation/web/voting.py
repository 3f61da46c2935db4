"""Pages of stage voting (see the brief and `docs/consultation.md`)."""

# this stage's lines of the staff menu (see `web/nav.py` for the shape)
NAV_LINKS: list = []
staff_urls: list = []
resident_urls: list = []
public_urls: list = []


def staff_panel(request, consultation) -> dict:
    """This stage's part of the staff consultation page (`consultations` renders
    `consultation/staff/voting/_panel.html` with this under `voting_panel`)."""
    return {}


def resident_panel(request, consultation) -> dict:
    """This stage's part of the resident's consultation page
    (`consultation/resident/voting/_panel.html`, context key `voting_panel`)."""
    return {}
