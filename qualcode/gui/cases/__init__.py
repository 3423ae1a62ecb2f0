"""The case sheet: cases with their kind, documents and typed attributes, edited in the window."""
