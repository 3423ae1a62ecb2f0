"""nlp layer of QualCode."""
