"""The page writers: one module per page family, called by the Pelican plugin
(`families.WRITERS`), plus the maps, open data, JSON-LD, search and the theme's filters.
"""
