"""Pelican plumbing: the plugin that loads and checks the data and runs the page
writers, incremental rebuilds for livereload, Pelican's command line without tracebacks.
"""
