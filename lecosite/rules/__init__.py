"""Validation rules. Importing this package registers every rule."""

from lecosite.rules import checks, content, freshness, governance, loading, paths, references
from lecosite.rules.registry import REGISTRY, Context, Hit, Rule, rule, run

__all__ = ["REGISTRY", "Context", "Hit", "Rule", "checks", "content", "freshness", "governance",
           "loading", "paths", "references", "rule", "run"]
