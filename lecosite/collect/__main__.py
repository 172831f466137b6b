"""``python -m lecosite.collect``: the collect command without the main CLI (benchmarks, tests)."""

from lecosite.collect.cli import collect

if __name__ == "__main__":
    collect(prog_name="python -m lecosite.collect")
