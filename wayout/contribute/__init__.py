"""Contributor tooling: from a contributor's answers to a new practice file.

The skeleton of a new file (`scaffold`), the questions asked of a contributor
(`questions`), `wayout new` and its interview (`new_practice`, `interview`), and the GitHub
issue form with its import by `wayout from-issue` (`issue_form`).

Imports `wayout.record` only.
"""
