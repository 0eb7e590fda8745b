#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lab 7 on the host: a container migrated with CRIU, its group by value.

  report.py [--check] --svg FILE SOURCE-OUT DESTINATION-OUT

The out dirs are guest.sh's, in boot order (labs/lab.sh: 6.1, then
6.12). Prints the dumps' image size and freeze time against the
process's memory, with and without a pre-dump; what came back after the
restore and how each resource was bound; the weak-mobility contrast.
Writes the SVG (image size and frozen time per memory size) and prints
"plot: FILE"; --check prints "ok - ..." or "not ok - ..." per point
(never the measured values unless a point fails) and exits 1 if one
failed.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import labreport  # noqa: E402
import plot  # noqa: E402

MIB = 1024.0


def load(src, dst):
    j = lambda d, f: labreport.load_json(os.path.join(d, f))  # noqa: E731
    return {
        "src_kernel": j(src, "kernel.json")["kernel"],
        "dst_kernel": j(dst, "kernel.json")["kernel"],
        "measure": labreport.load_jsonl(os.path.join(src, "measure.jsonl")),
        "dumped": j(src, "dumped.json"),
        "exported": j(src, "box.json"),
        "restored": j(dst, "restored.json"),
        "weak": j(dst, "weak.json"),
        "group": j(dst, "group.json"),
    }


def dump_table(run):
    print(f"Dumps on {run['src_kernel']} (--leave-running): the process's "
          "memory, the image, CRIU's frozen time")
    print(f"{'alloc MiB':>9}  {'RSS MiB':>7}  {'dump':<9} {'image MiB':>9}  "
          f"{'pre-dump MiB':>12}  {'frozen ms':>9}  {'memdump ms':>10}")
    for m in run["measure"]:
        st = m["stats"]
        pre = f"{m['pre_kib'] / MIB:12.1f}" if "pre_kib" in m else f"{'-':>12}"
        print(f"{m['mib']:9d}  {m['rss_kib'] / MIB:7.1f}  {m['kind']:<9} "
              f"{m['image_kib'] / MIB:9.1f}  {pre}  "
              f"{st['frozen_time'] / 1000:9.1f}  "
              f"{st['memdump_time'] / 1000:10.1f}")


def bindings(run):
    """Each resource: how it is bound to the process, what the lab did,
    and what the run shows about it."""
    d, r, e, g = run["dumped"], run["restored"], run["exported"], run["group"]
    return [
        ("counter (memory)", "by value", "MV: in the image",
         f"{d['count']} at the dump, {r['count_after_2s']} 2 s after"),
        ("log file (open fd)", "by identifier (path)",
         "MV: file copied to the same path, fd restored",
         f"lines go on, {r['log_gaps']} out of sequence"),
        ("listening socket", "by identifier (127.0.0.1:port in its netns)",
         "MV: socket and netns in the image",
         f"answers {r['socket_answer']}"),
        ("pid of the counter", "by identifier",
         "MV: CRIU asks for the same pid (free here)",
         f"{d['pid_in_ns']} before, {r['pid_in_ns']} after"),
        ("hostname (uts ns)", "by value", "CP: in the image", r["hostname"]),
        ("cgroup directory", "by type", "RB: import made one here",
         r["cgroup"]),
        ("weight, cpu.max, memory.max, cpuset", "by value",
         "CP: export/import",
         f"{g['weight']}; {r['cpu_max']}; {r['memory_max']}; "
         f"{r['cpuset_cpus']}"),
        ("WFQ lag (s_min - s_i)", "by value, renormalised",
         "CP: import at this s_min", f"exported {e['lag_ns']} ns/weight"),
        ("counters (runtime, waits)", "history", "kept in the file only",
         f"{e['history']['runtime_ns'] / 1e6:.1f} ms there, "
         f"{g['runtime_ns'] / 1e6:.1f} ms here"),
        ("CPU, PIDs of the host, /dev", "fixed to the machine",
         "RB: whatever the destination has", f"{run['dst_kernel']}"),
    ]


def print_migration(run):
    d, r, w = run["dumped"], run["restored"], run["weak"]
    print()
    print(f"Migration {run['src_kernel']} -> {run['dst_kernel']}: dump "
          f"{d['dump_ms']} ms (frozen {d['stats']['frozen_time'] / 1000:.0f}"
          f" ms), image {d['image_kib'] / MIB:.1f} MiB, restore "
          f"{r['restore_ms']} ms")
    print(f"  strong mobility (restored): count {d['count']} at the dump, "
          f"{r['count_after_2s']} 2 s after the restore")
    print(f"  weak mobility (restarted):  count {w['count_after_2s']} 2 s "
          "after the start")
    print()
    print(f"{'resource':<36} {'binding':<44} {'what the lab did':<46} seen")
    for res, binding, action, seen in bindings(run):
        print(f"{res:<36} {binding:<44} {action:<46} {seen}")


def draw(run, path):
    sizes = sorted({m["mib"] for m in run["measure"]})
    groups = [f"{s} MiB" for s in sizes]
    by = {(m["mib"], m["kind"]): m for m in run["measure"]}
    fig = plot.Figure(f"Lab 7: CRIU dumps on {run['src_kernel']}")
    b = fig.bars("Image size against the process's memory", "size (MiB)",
                 groups)
    b.series("RSS", [by[(s, "full")]["rss_kib"] / MIB for s in sizes],
             color="#bbbbbb")
    b.series("image, whole dump",
             [by[(s, "full")]["image_kib"] / MIB for s in sizes])
    b.series("image, after a pre-dump",
             [by[(s, "pre-dump")]["image_kib"] / MIB for s in sizes])
    f = fig.bars("Time the tasks were frozen (downtime of the dump)",
                 "frozen time (ms)", groups)
    f.series("whole dump", [by[(s, "full")]["stats"]["frozen_time"] / 1000
                            for s in sizes])
    f.series("after a pre-dump",
             [by[(s, "pre-dump")]["stats"]["frozen_time"] / 1000
              for s in sizes])
    fig.save(path)
    print(f"plot: {path}")


def checks(run):
    d, r, w, e, g = (run["dumped"], run["restored"], run["weak"],
                     run["exported"], run["group"])
    cg = e["cgroup"]
    big = max(m["mib"] for m in run["measure"])
    by = {(m["mib"], m["kind"]): m for m in run["measure"]}
    return [
        (r["count_after_2s"] > d["count"] and r["log_gaps"] == 0,
         "the restored counter continues from where it was dumped",
         f"dump {d['count']}, after {r['count_after_2s']}, "
         f"{r['log_gaps']} log lines out of sequence"),
        (r["socket_answer"] >= d["count"],
         "the restored listening socket answers with the continued count",
         f"answer {r['socket_answer']}"),
        (w["first_count"] == 1 and w["count_after_2s"] < r["count_after_2s"],
         "the program restarted from its code counts from zero",
         f"weak first {w['first_count']}, then {w['count_after_2s']}"),
        (g["weight"] == e["weight"] and r["cpu_weight"] == str(cg["cpu.weight"])
         and r["cpu_max"] == cg["cpu.max"] and r["memory_max"] == cg["memory.max"]
         and r["cpuset_cpus"] == cg["cpuset.cpus"],
         "the group's weight and limits arrive by value",
         f"{g['weight']} {r}"),
        (r["cgroup"].endswith("/box") and g["runtime_ns"] > 0,
         "the restored process runs in the imported group, charged to it",
         f"{r['cgroup']} runtime {g['runtime_ns']}"),
        (run["src_kernel"] != run["dst_kernel"],
         "source and destination are different kernels",
         f"{run['src_kernel']} {run['dst_kernel']}"),
        (by[(big, "pre-dump")]["image_kib"] < by[(big, "full")]["image_kib"],
         "after a pre-dump the final dump writes a smaller image",
         f"{by[(big, 'pre-dump')]['image_kib']} vs "
         f"{by[(big, 'full')]['image_kib']} KiB"),
    ]


def main():
    args = labreport.parse_args(__doc__)
    if len(args.outdirs) != 2:
        sys.exit("report.py: give the source's and the destination's out "
                 "dirs (labs/lab.sh 7 runs both)")
    run = load(*args.outdirs)
    if args.check:
        draw(run, args.svg)
        return labreport.print_checks(checks(run))
    dump_table(run)
    print_migration(run)
    draw(run, args.svg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
