"""Safe community, stage mediators: pages (thin: parse, one service or selector, render)."""

staff_urls: list = []
resident_urls: list = []
