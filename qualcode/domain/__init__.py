"""Pure domain rules of QualCode: ids, spans, levels, text rules. No SQLAlchemy, no Qt."""
