"""Resident pages of time bank (phone first, elder mode)."""

from __future__ import annotations

from django.shortcuts import render


def home(request):
    return render(request, "timebank/resident/home.html", {})
