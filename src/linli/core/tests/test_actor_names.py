"""Recorded actor names as a reader sees them: the platform's own runs read "System"."""

from django.template import Context, Template
from django.utils import translation


def render(name: str, language: str) -> str:
    with translation.override(language):
        return Template("{% load actors %}{{ name|actor_name }}").render(Context({"name": name}))


def test_system_runs_read_as_system_in_the_pages_language():
    assert render("system:demo", "zh-hans") == "系统"
    assert render("system:tick", "en") == "System"
    assert render("system", "zh-hans") == "系统"


def test_people_keep_their_names_and_anonymous_is_said_in_words():
    assert render("王小明", "zh-hans") == "王小明"
    assert render("systems_admin", "en") == "systems_admin"  # only the "system:" form is the platform
    assert render("anonymous", "zh-hans") == "未登录访客"
