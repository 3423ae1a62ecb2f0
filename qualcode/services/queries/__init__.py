"""Asking questions of the coded data: text search, coding queries, matrices, co-occurrence,
frequencies, participant characteristics, and the scope (kind, attributes, coder) they share.

Uses: the core, codebook, coding, cases.
"""
