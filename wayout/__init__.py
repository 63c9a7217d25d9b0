"""The WayOut Practice Repository's domain library.

Plain, typed Python that knows nothing of MkDocs: the practice model, the controlled
vocabularies, the loader that turns practice files into validated records or problems,
the catalogue of the whole set, facets and exports. The site hook and the `wayout`
command are thin users of it.
"""

__version__ = "0.1.0"
