"""Literature reviews: reference lists become study cases (de-duplicated, reported), full-text
PDFs attach to them with their pages kept, records are screened (title/abstract, full text;
blind double screening with agreement), and the review's outputs are drawn and tabulated:
the PRISMA 2020 flow, the characteristics-of-included-studies table, the categories × studies
matrix, quotes cited "(Author Year, p. 4)" and a bibliography of the included studies.

Uses: the core (cases, documents, commands), qualcode.io.references, qualcode.io.pdf,
qualcode.analysis.reliability (agreement), qualcode.viz.prisma. Independent of other capabilities.
"""
