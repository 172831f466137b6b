"""How long ``lecosite check`` takes on a large site, as a whole process.

    python bench/check_speed.py [--modules 5000] [--paths 200] [--runs 5] [--profile]

The site is generated once by bench/generate.py and cached under bench/out/ (git-ignored).
Each run starts ``lecosite check --project ROOT`` in a fresh process and measures the wall
clock with time.perf_counter, so interpreter start-up and imports count, as they do in CI
and in an author's terminal. A bare ``python -c "import lecosite.cli"`` is timed too, for
reference. Target: at most 1.5 s wall (median) on 2 cores.

With --profile (or when the target is missed and --profile-on-fail is given) it also
profiles one in-process ``check_project`` run with cProfile (top functions by cumulative
and by own time) and the imports of ``lecosite.cli`` with ``python -X importtime``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import GENERATOR_VERSION, generate  # noqa: E402

TARGET_S = 1.5


def site(modules: int, paths: int, seed: int = 0) -> Path:
    """The cached generated site, built on first use (or when the generator changed)."""
    root = HERE / "out" / f"site-{modules}m-{paths}p-s{seed}"
    stamp = root / ".generated"
    want = f"{GENERATOR_VERSION} {modules} {paths} {seed}"
    if not stamp.is_file() or stamp.read_text() != want:
        start = time.perf_counter()
        generate(root, modules=modules, paths=paths, seed=seed)
        stamp.write_text(want)
        print(f"generated {root} in {time.perf_counter() - start:.1f} s")
    return root


def lecosite_command() -> list[str]:
    """The installed console script itself (not a pyenv/asdf shim), else an equivalent."""
    script = Path(sys.executable).parent / "lecosite"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from lecosite.cli import main; sys.exit(main())"]


def timed(cmd: list[str], runs: int) -> tuple[list[float], subprocess.CompletedProcess[str]]:
    times = []
    proc = None
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
    assert proc is not None
    return times, proc


def profile(root: Path, top: int = 25) -> None:
    """cProfile one in-process check_project run; -X importtime the CLI's imports."""
    import cProfile
    import io
    import pstats

    from lecosite.check import check_project

    check_project(root)  # warm: imports, compiled schemas
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.runcall(check_project, root)
    print(f"\n== cProfile: one in-process check_project ({time.perf_counter() - start:.2f} s "
          "with profiler overhead) ==")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats(order).print_stats(top)
        text = out.getvalue()
        print(f"-- by {order} --")
        print(text[text.find("   ncalls"):].rstrip())

    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import lecosite.cli"],
                          capture_output=True, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), int(parts[0].split(":")[1]), parts[2].rstrip()))
    print("\n== python -X importtime -c 'import lecosite.cli' (cumulative us, self us) ==")
    for cum, own, name in sorted(rows, reverse=True)[:top]:
        print(f"{cum:>9} {own:>8}  {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", type=int, default=5000)
    parser.add_argument("--paths", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true",
                        help="also profile one in-process run and the imports")
    parser.add_argument("--profile-on-fail", action="store_true",
                        help="profile only when the target is missed")
    args = parser.parse_args(argv)

    root = site(args.modules, args.paths)
    cmd = [*lecosite_command(), "check", "--project", str(root)]
    print(f"cpus: {os.cpu_count()}  python: {sys.version.split()[0]}")
    print(f"command: {' '.join(cmd)}")

    # one warm-up run (bytecode cache, page cache), not counted
    warm = subprocess.run(cmd, capture_output=True, text=True)
    last_line = (warm.stdout.strip().splitlines() or [""])[-1]
    if warm.returncode != 0:
        print(warm.stdout[-2000:], warm.stderr[-2000:], sep="\n")
        print(f"FAIL: lecosite check exited {warm.returncode}")
        return 2
    match = re.search(r"in (\d+) file", last_line)
    files = int(match.group(1)) if match else args.modules + args.paths
    print(f"output: {last_line}")

    times, _ = timed(cmd, args.runs)
    best, median = min(times), statistics.median(times)
    print(f"check:  min {best:.3f} s  median {median:.3f} s  "
          f"({', '.join(f'{t:.3f}' for t in times)})")
    print(f"        {files / median:,.0f} files/s (median), {files} files")

    imp_cmd = [sys.executable, "-c", "import lecosite.cli"]
    imp, _ = timed(imp_cmd, args.runs)
    print(f"import: min {min(imp):.3f} s  median {statistics.median(imp):.3f} s  "
          f"(python -c 'import lecosite.cli', reference)")

    ok = median <= TARGET_S
    print(f"target: median <= {TARGET_S} s wall on 2 cores -> {'PASS' if ok else 'FAIL'}")
    if args.profile or (args.profile_on_fail and not ok):
        profile(root)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
