"""Governance: versions that follow changes (``lecosite diff``), ownership (CODEOWNERS),
review cadence (``lecosite stale``) and the data of the portal's governance page.

The submodules import lazily what they need, so the rules can use ``review`` and the
loader ``codeowners`` without slowing down every check.
"""
