"""lecosite's templates and browser assets.

The folder lives at the top of the repository and ships inside the wheel as
``lecosite.theme``, so that any generator adapter can find it with importlib.resources.
"""
