"""viz layer of QualCode."""
