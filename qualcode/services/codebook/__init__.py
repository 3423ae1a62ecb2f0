"""The codebook: codes and themes as nodes (create, rename, move, merge, delete, colours, levels).

Uses: the core (commands, coding removal). Used by coding, themes, queries, teamwork, exchange.
"""
