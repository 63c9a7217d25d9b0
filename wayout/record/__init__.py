"""The record: one practice file in, a `Practice` or `Problem`s out.

What a practice file is and how it is checked: the Pydantic model (`model`), the controlled
vocabularies (`vocabulary`), rules across fields (`rules`), the body's sections
(`sections`), the strict YAML loader with line marks (`loader`), problems and their output
formats (`problems`), the JSON Schema (`schema`) and the field reference (`fields`).

The lowest layer: it imports nothing else of `wayout`.
"""
