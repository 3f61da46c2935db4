"""`{{ name|actor_name }}`: a recorded actor's name as a reader sees it. Records keep the account
name that acted; the platform's own runs are written as "system:<job>" (Actor.system), which
means nothing to a reader, so they read "System" in the page's language."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def actor_name(name: str) -> str:
    if name == "system" or (name or "").startswith("system:"):
        return _("System")
    if name == "anonymous":
        return _("Not signed in")
    return name
