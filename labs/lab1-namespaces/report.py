#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lab 1 on the host: what a container sees, one namespace at a time.

  report.py [--check] --svg FILE OUTDIR...

OUTDIR is a guest.sh output directory (one per kernel run). Prints the
table "inside the container vs the host" per configuration, the chroot
escape under chroot and pivot_root, and the overlay layers; writes the
SVG and prints "plot: FILE"; --check prints "ok - ..." or "not ok - ..."
per point and exits 1 if one failed.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import labreport  # noqa: E402
import plot  # noqa: E402

NS_TYPES = ("pid", "mnt", "uts", "ipc", "net", "user")
IPC_KEY = "0x00001ab1"      # made on the host by containers.py
DUMMY = "lab1-dummy0"       # the host's extra interface (guest.sh)
GROUP = "container"         # the group's name: the default hostname with uts
INSIDE_UID_OUTSIDE = 100000  # containers.py's uid map 0:100000:65536
# The namespaces each configuration must make new: pid implies mnt.
EXPECTED_NEW = {"pid": {"pid", "mnt"}, "mnt": {"mnt"}, "uts": {"uts"},
                "ipc": {"ipc"}, "net": {"net"}, "user": {"user"},
                "all": set(NS_TYPES)}
# The rows of the "what the probe saw" matrix, as resources() names them.
RESOURCES = ("processes", "mounts", "hostname", "SysV IPC", "network",
             "user ids")


def load_run(outdir):
    def load(name):
        with open(os.path.join(outdir, name), encoding="utf-8") as f:
            return json.load(f)
    return {"dir": outdir, "kernel": load("kernel.json"),
            "views": labreport.load_jsonl(os.path.join(outdir, "views.jsonl")),
            "escape": load("escape.json"), "overlay": load("overlay.json")}


def new_namespaces(v):
    return {t for t in NS_TYPES if v["inside"]["ns"][t] != v["host"]["ns"][t]}


def resources(v):
    """{resource: (isolated, inside, host, cell)}: what the probe saw
    inside, what the host saw at the same moment, and a short form of the
    inside for the plot."""
    i, h, o = v["inside"], v["host"], v["outside"]

    def mnt(x):
        return f"{x['mounts']}, {'' if x.get('tmpfs_mounted') else 'no '}tmpfs on /mnt"

    def keys(x):
        return ",".join(k[-4:] for k in x["shm_keys"]) or "none"
    return {
        "processes": (i["pid1_comm"] != h["pid1_comm"],
                      f"{i['processes']} (pid {i['pid']}, 1={i['pid1_comm']})",
                      f"{h['processes']} (sees it as {o['pid']})",
                      f"{i['processes']}, pid {i['pid']}"),
        "mounts": (i.get("tmpfs_mounted", False) and not h.get("tmpfs_mounted"),
                   mnt(i), mnt(h),
                   f"{i['mounts']}{' +/mnt' if i.get('tmpfs_mounted') else ''}"),
        "hostname": (i["hostname"] != h["hostname"], i["hostname"],
                     h["hostname"], i["hostname"]),
        "SysV IPC": (IPC_KEY in h["shm_keys"] and IPC_KEY not in i["shm_keys"],
                     keys(i), keys(h), keys(i)),
        "network": (set(i["netdevs"]) != set(h["netdevs"]),
                    ",".join(i["netdevs"]), ",".join(h["netdevs"]),
                    ",".join(i["netdevs"])),
        "user ids": (o["uid"] != i["uid"],
                     f"uid {i['uid']}, secret {short(i['secret'])}",
                     f"uid {h['uid']} (sees it as {o['uid']}), secret "
                     f"{short(h['secret'])}",
                     f"{i['uid']} -> {o['uid']}"),
    }


def short(s):
    return "denied" if s == "Permission denied" else s


def print_views(run):
    k = run["kernel"]
    print(f"== {run['dir']}: kernel {k['kernel']}, {k['date']}")
    print("What the probe saw inside the container | what the host saw at "
          "the same moment\n('*' = isolated: inside differs from the host)")
    for v in run["views"]:
        new = ",".join(t for t in NS_TYPES if t in new_namespaces(v))
        print(f"-- wfqtool run {' '.join(v['opts'])}   (new namespaces: {new})")
        for name, (iso, inside, host, _) in resources(v).items():
            print(f"   {'*' if iso else ' '} {name:10} {inside:34} | {host}")


def print_escape(run):
    e = run["escape"]
    print(f"-- the chroot escape (mkdir x; chroot x; cd ../..; chroot .): "
          f"is {e['marker']} (outside the jail) visible?")
    print(f"   {'HOW':12} {'BEFORE':>7} {'AFTER':>7}  ROOT AFTER THE ESCAPE")
    for way in ("chroot", "pivot_root"):
        r = e[way]
        print(f"   {way:12} {yes(r['before']):>7} {yes(r['after']):>7}  "
              f"/{' /'.join(sorted(r['root_after'])[:8])}"
              f"{' ...' if len(r['root_after']) > 8 else ''}")


def yes(b):
    return "yes" if b else "no"


def layer_text(s):
    if s["kind"] == "file":
        return repr(s["text"].replace("\n", "|"))
    return s["kind"]


def layer_cell(s, below):
    """A layer's entry in a few words; below: the lower layer's, if any."""
    if s["kind"] != "file":
        return s["kind"]
    size = f"{len(s['text'])} bytes"
    if below is None:
        return f"file, {size}"
    return f"copied up, {size}" if below["kind"] == "file" else f"new, {size}"


def print_overlay(run):
    o = run["overlay"]
    print(f"-- overlay root: lower {o['lower_dir']}, upper {o['upper_dir']}")
    i = o["inside"]
    print(f"   inside: hello.txt {yes(i['hello_exists'])}, "
          f"/etc/motd {i['motd']!r}, data/delete-me {yes(i['delete_me_exists'])}")
    print(f"   {'PATH':16} {'LOWER':34} UPPER")
    for p in o["lower"]:
        print(f"   {p:16} {layer_text(o['lower'][p]):34} "
              f"{layer_text(o['upper'][p])}")


def check(run):
    """(ok, point, detail): each namespace hides what it should, and only that."""
    pts = []
    kv = run["kernel"]["kernel"]
    views = {v["config"]: v for v in run["views"]}
    for name, v in views.items():
        new = new_namespaces(v)
        pts.append((new == EXPECTED_NEW[name],
                    f"{kv}: --ns {name}: the namespaces it should make new,"
                    f" and only those",
                    f"new: {','.join(sorted(new)) or 'none'}; want: "
                    f"{','.join(sorted(EXPECTED_NEW[name]))}"))
    for name in ("pid", "all"):
        i, h, o = views[name]["inside"], views[name]["host"], views[name]["outside"]
        pts.append((i["pid1_comm"] == "wfqtool" and i["pid"] <= 2
                    and i["processes"] <= 3 < h["processes"]
                    and o["nspid"][-1] == i["pid"] and len(o["nspid"]) == 2,
                    f"{kv}: --ns {name}: pid 1 inside, the probe's pid inside "
                    f"and on the host, and the processes each side sees",
                    f"pid 1 inside is {i['pid1_comm']}, the probe is pid "
                    f"{i['pid']} (host pid {o['nspid'][0]}), sees "
                    f"{i['processes']} processes, the host {h['processes']}"))
    for name in ("mnt", "pid", "all"):
        v = views[name]
        pts.append((v["inside"]["tmpfs_mounted"] and not v["host"]["tmpfs_mounted"]
                    and not v["host_after"]["tmpfs_mounted"],
                    f"{kv}: --ns {name}: where a tmpfs mounted on /mnt inside "
                    f"is visible"))
    for name, want in (("uts", GROUP), ("all", "box")):
        v = views[name]
        pts.append((v["inside"]["hostname"] == want != v["host"]["hostname"]
                    and v["host_after"]["hostname"] == v["host"]["hostname"],
                    f"{kv}: --ns {name}: a hostname of its own inside, the "
                    f"host's unchanged",
                    f"hostname {v['inside']['hostname']!r} inside, "
                    f"{v['host']['hostname']!r} on the host"))
    for name in ("ipc", "all"):
        v = views[name]
        pts.append((IPC_KEY in v["host"]["shm_keys"] + v["host"]["msg_keys"]
                    and IPC_KEY not in v["inside"]["shm_keys"] + v["inside"]["msg_keys"]
                    and IPC_KEY in views["uts"]["inside"]["shm_keys"],
                    f"{kv}: --ns {name}: which SysV IPC keys are visible "
                    f"inside"))
    for name in ("net", "all"):
        v = views[name]
        pts.append((v["inside"]["netdevs"] == ["lo"]
                    and DUMMY in v["host"]["netdevs"],
                    f"{kv}: --ns {name}: the network devices inside are not "
                    f"the host's",
                    f"inside: {','.join(v['inside']['netdevs'])}; host: "
                    f"{','.join(v['host']['netdevs'])}"))
    for name in ("user", "all"):
        v = views[name]
        i, o = v["inside"], v["outside"]
        pts.append((i["uid"] == 0 and o["uid"] == INSIDE_UID_OUTSIDE
                    and i["secret"] != "readable"
                    and v["host"]["secret"] == "readable",
                    f"{kv}: --ns {name}: root inside is not root on the "
                    f"host: uid mapping and a root-only file",
                    f"uid {i['uid']} inside is uid {o['uid']} outside; a "
                    f"root-only file is {short(i['secret'])} inside, "
                    f"{v['host']['secret']} on the host"))
    e = run["escape"]
    pts.append((not e["chroot"]["before"] and e["chroot"]["after"],
                f"{kv}: chroot: what the escape reaches, before and after"))
    pts.append((not e["pivot_root"]["before"] and not e["pivot_root"]["after"],
                f"{kv}: pivot_root: what the same escape reaches"))
    o = run["overlay"]
    lo, up, ins = o["lower"], o["upper"], o["inside"]
    pts.append((ins["hello_exists"] and up["hello.txt"]["kind"] == "file"
                and lo["hello.txt"]["kind"] == "absent",
                f"{kv}: overlay: where a new file lands"))
    pts.append((lo["etc/motd"].get("text") == "from the lower layer\n"
                and "changed inside" in up["etc/motd"].get("text", "")
                and "changed inside" in ins["motd"],
                f"{kv}: overlay: what a change inside does to each layer"))
    pts.append((not ins["delete_me_exists"]
                and lo["data/delete-me"]["kind"] == "file"
                and up["data/delete-me"]["kind"] == "whiteout",
                f"{kv}: overlay: what a delete inside does to each layer"))
    return pts


def draw(runs, path):
    fig = plot.Figure("Lab 1: what a container sees")
    for run in runs:
        kv = run["kernel"]["kernel"]
        views = run["views"]
        cols = [v["config"] for v in views]
        m = fig.matrix(f"{kv}: new namespaces per wfqtool run --ns ... "
                       "(green: differs from the host's)", NS_TYPES, cols)
        for v in views:
            new = new_namespaces(v)
            for t in NS_TYPES:
                m.cell(t, v["config"], "new" if t in new else "shared",
                       plot.GOOD if t in new else plot.NEUTRAL)
        m = fig.matrix(f"{kv}: what the probe saw inside (green: hidden "
                       "from or different to the host)", RESOURCES, cols)
        for v in views:
            for name, (iso, _, _, cell) in resources(v).items():
                m.cell(name, v["config"], cell,
                       plot.GOOD if iso else plot.NEUTRAL)
        b = fig.bars(f"{kv}: processes visible",
                     "processes (count)",
                     ["host"] + cols, height=180)
        b.series("seen", [views[0]["host"]["processes"]]
                 + [v["inside"]["processes"] for v in views])
        e = run["escape"]
        m = fig.matrix(f"{kv}: the chroot escape: is a file outside the "
                       "jail visible?", ["chroot", "pivot_root"],
                       ["before the escape", "after the escape"])
        for way in ("chroot", "pivot_root"):
            for col, key in (("before the escape", "before"),
                             ("after the escape", "after")):
                seen = e[way][key]
                m.cell(way, col, yes(seen),
                       plot.BAD if seen else plot.GOOD)
        o = run["overlay"]
        m = fig.matrix(f"{kv}: overlay root after create, append, delete",
                       list(o["lower"]), ["lower layer", "upper layer",
                                          "inside (merged)"])
        merged = {"hello.txt": yes(o["inside"]["hello_exists"]),
                  "etc/motd": "appended" if "changed inside"
                  in o["inside"]["motd"] else "original",
                  "data/delete-me": yes(o["inside"]["delete_me_exists"])}
        for p in o["lower"]:
            m.cell(p, "lower layer", layer_cell(o["lower"][p], None))
            m.cell(p, "upper layer", layer_cell(o["upper"][p], o["lower"][p]),
                   plot.GOOD if o["upper"][p]["kind"] != "absent"
                   else plot.NEUTRAL)
            m.cell(p, "inside (merged)", merged[p])
        fig.note(f"{kv}, {run['kernel']['date']}: {run['dir']}")
    fig.save(path)


def main():
    a = labreport.parse_args(__doc__)
    runs = [load_run(d) for d in a.outdirs]
    for run in runs:
        print_views(run)
        print_escape(run)
        print_overlay(run)
    draw(runs, a.svg)
    print(f"plot: {a.svg}")
    if not a.check:
        return 0
    return labreport.print_checks(p for run in runs for p in check(run))


if __name__ == "__main__":
    sys.exit(main())
