"""Safe community, stage reasoning: pages (thin: parse, one service or selector, render)."""

staff_urls: list = []
resident_urls: list = []
