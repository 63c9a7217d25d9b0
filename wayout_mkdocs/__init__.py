"""The MkDocs side of the site: what `hooks/wayout_site.py` needs beyond the `wayout` library.

`wayout` is plain Python that knows nothing of MkDocs or Jinja; the hook is a thin adapter
of MkDocs events. What lies between them lives here, installed with the project so that
the hook can import it (MkDocs cannot import modules that sit beside a hook file):

- `render_cache`: reuse rendered Jinja output whose inputs did not change;
- `fragments`: which of Material's partials and which cards are rendered once per build;
- `outline`: a practice page's table of contents, with the template's sections;
- `serve`: what `mkdocs serve` keeps between rebuilds, and the keys that decide reuse;
- `search`: the search plugin's index, as the hook reads and extends it.
"""
