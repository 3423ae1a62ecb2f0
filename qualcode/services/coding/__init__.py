"""Coding text: codings on spans, coding units (sentences, turns), speaker turns, the coded
passages listing (retrieval) and coding counts.

Uses: the core, codebook, cases (speaker turns linked to participants).
"""
