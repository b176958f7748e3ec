"""The webmaster's commands beyond check and build (members, social post, new pro,
agenda refresh, CI reports) and the guard that keeps every command free of tracebacks.
"""
