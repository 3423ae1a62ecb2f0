"""Realist evaluation: CMO configurations by concept, their statements, C/M/O tagging of passages
and codings as evidence, checks, the CMOC table and the programme-theory export.

Uses: the core, coding (retrieval of tagged passages). Independent of teamwork and exchange.
"""
