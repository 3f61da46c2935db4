"""Staff pages of the resident pool (search, households, cards, reveal, care lists, visit plan,
rates). Views are thin: they parse a form, call one service or selector and render."""
