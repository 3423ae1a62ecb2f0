"""Cases (participants, sites, studies) with typed attributes, linked to documents; case sheets
read from CSV/XLSX.

Uses: the core only.
"""
