"""io layer of QualCode."""
