"""Several coders on one study: coder copies, merging projects with a report of every conflict,
inter-coder agreement and the disagreement list.

Uses: the core, codebook. Independent of realist.
"""
