"""Several coders on one study: coder copies, merging projects with a report of every conflict,
inter-coder agreement and the disagreement list, and team projects on a PostgreSQL server
(set up, members and roles, checkout and merge back, live changes from others).

Uses: the core, codebook. Independent of realist.
"""
