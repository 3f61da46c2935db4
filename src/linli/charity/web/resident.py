"""Resident pages of charity and micro-funds (phone first, elder mode)."""

from __future__ import annotations

from django.shortcuts import render


def home(request):
    return render(request, "charity/resident/home.html", {})
