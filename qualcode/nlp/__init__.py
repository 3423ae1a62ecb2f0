"""Language work with spaCy, loaded lazily: the pipeline factory, cached sentence spans,
rule-based and NER-based identifier finding for anonymisation."""
