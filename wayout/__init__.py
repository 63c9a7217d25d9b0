"""The WayOut Practice Repository's domain library: plain, typed Python that knows nothing
of MkDocs.

One subpackage per layer, in the direction the data flows; each imports only the layers
below it (tests/test_layers.py checks this):

- `record`: one practice file in, a `Practice` or `Problem`s out;
- `catalogue`: the whole set and what is computed over it (imports `record`);
- `site`: what the public site shows (imports `catalogue` and `record`);
- `contribute`: contributor tooling, from answers to a new file (imports `record`).

At the top: `cli` (the `wayout` command, which uses them all) and `forked` (running work on
two cores, used by `catalogue` and `site`, importing nothing of `wayout`).
"""

__version__ = "0.1.0"
