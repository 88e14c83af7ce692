"""Run every benchmark in bench/ (scripts named bench_*.py) and print their figures.

Each benchmark is a plain script, run in a process of its own: it sets Django up itself
if it needs to and prints its own figures (medians and ratios, saying what was measured).
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    sys.path.insert(0, str(HERE.parent))
    scripts = sorted(HERE.glob("bench_*.py"))
    failed = False
    if not scripts:
        print("No benchmarks yet: add bench/bench_<name>.py.")
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        result = subprocess.run([sys.executable, str(script)], check=False)
        failed = failed or result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
