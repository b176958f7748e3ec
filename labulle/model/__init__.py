"""The site's model: what the pages show, derived from the checked data (the published
directory and its groupings, crisis statuses, opening hours, the public agenda).
"""
