"""analysis layer of QualCode."""
