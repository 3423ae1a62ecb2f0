"""Literature reviews in the window: the References panel (search, sort, screening status,
include/exclude with the team's reasons, blind screening, attach PDF), the page markers of a
PDF's text in the viewer, and the Review menu's exports (PRISMA diagram, study tables,
quotes with page citations, bibliography).

Uses: the workbench core (contributions), qualcode.services.reviews. Independent of other capabilities.
"""
