"""Pages of stage decisions (see the brief and `docs/consultation.md`)."""

staff_urls: list = []
resident_urls: list = []
public_urls: list = []
