"""The webmaster's command line: `labulle …` (cli, with cli_data, cli_mail, cli_site and their
French face cli_base), the commands' own modules (members, social post, new pro, agenda refresh,
CI reports) and the guard that keeps every command free of tracebacks.
"""
