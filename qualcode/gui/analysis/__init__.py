"""Analysis panels: text search, coding query, matrix coding, co-occurrence and frequencies."""
