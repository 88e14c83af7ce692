"""Run every benchmark in bench/ (scripts named bench_*.py) and print their figures.

Each benchmark is a plain script: it sets Django up itself if it needs to and prints
its own figures (medians and ratios, saying what was measured and how).
"""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    sys.path.insert(0, str(HERE.parent))
    scripts = sorted(HERE.glob("bench_*.py"))
    if not scripts:
        print("No benchmarks yet: add bench/bench_<name>.py.")
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        runpy.run_path(str(script), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
