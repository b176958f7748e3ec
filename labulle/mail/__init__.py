"""The mail side: the association's letters to the pros, the site's mailto links, a
pro's listing as editable `clé : valeur` lines, and the intake of the replies (`intake/`).
"""
