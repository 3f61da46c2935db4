"""A photo as a page or the API hands it to a service (the orders' check-out, the modifications'
assessment and acceptance): its file name and bytes, judged by content, never by the name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PhotoUpload:
    filename: str
    data: bytes
