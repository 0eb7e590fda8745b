# SPDX-License-Identifier: GPL-2.0
"""What every lab's report.py shares: its command line (labs/lab.sh calls
them all alike) and the "ok - ..." / "not ok - ..." lines CI counts."""

import argparse
import json


def parse_args(doc, tolerance=None):
    """--check, --svg FILE and the out dirs; --tolerance if the lab has one."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="also check the lab's points; exit 1 if one fails")
    if tolerance is not None:
        ap.add_argument("--tolerance", type=float, default=tolerance)
    ap.add_argument("--svg", required=True, help="the plot to write")
    ap.add_argument("outdirs", nargs="+", help="one VM run's results each")
    return ap.parse_args()


def print_checks(results):
    """Print one line per (ok, point[, detail]); return the exit status: 1
    if any failed. A point says what was checked, never the value students
    are asked to predict; the detail (the measured numbers) is printed, as
    a "#" line, only under a point that failed, to debug it."""
    failed = 0
    for ok, point, *detail in results:
        print(f"{'ok' if ok else 'not ok'} - {point}")
        if not ok and detail:
            print(f"#   {detail[0]}")
        failed += not ok
    return 1 if failed else 0


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_jsonl(path):
    """One JSON value per line (wfqtool's --json streams); blank lines skipped."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
