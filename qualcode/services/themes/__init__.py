"""Attride-Stirling thematic networks: grouping, promoting, splitting and merging themes, the
theme review, theme maps and themes tables with exemplar quotes.

Uses: the core, codebook.
"""
