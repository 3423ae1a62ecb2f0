"""REFI-QDA exchange: whole projects (.qdpx) and codebooks (.qdc) in and out, with a report of
every deviation the file had.

Uses: the core, codebook, cases; the file formats live in qualcode.io.refi.
"""
