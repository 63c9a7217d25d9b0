"""The catalogue: the whole set of practices and what is computed over it.

Loading every file of `practices/` with the checks across files (`catalogue`), the facets
and their values (`facets`), and the maintainers' reports: practices due for review
(`review`), counts (`stats`) and the changes of a pull request (`changes`).

Imports `wayout.record` (and the two-process helper `wayout.forked`), nothing above it.
"""
