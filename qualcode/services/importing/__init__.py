"""Bringing transcripts in: import with duplicate handling and speaker turns, and anonymisation
of names, places, dates and contact details.

Uses: the core, cases, coding (sentences, speaker turns).
"""
