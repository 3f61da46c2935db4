"""Resident pages of volunteers and activities (phone first, elder mode)."""

from __future__ import annotations

from django.shortcuts import render


def home(request):
    return render(request, "volunteers/resident/home.html", {})
