"""Data in: every file the site reads (pro files, categories, announcement, stats,
agenda, articles' metadata, settings), read as located values and checked, every problem
at its file and line. `schema.py` declares the pro format once.
"""
