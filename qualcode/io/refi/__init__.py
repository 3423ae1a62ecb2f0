"""REFI-QDA exchange: .qdpx projects and .qdc codebooks (QDA-XML 1.0), read and written.

See `conventions` for how QualCode's own concepts (theme levels, CMO configurations,
memos, journal) travel inside schema-valid QDA-XML.
"""
