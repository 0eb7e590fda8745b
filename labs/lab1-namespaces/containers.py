#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lab 1, in the VM: the experiments behind guest.sh, in one process
(each fork+exec is slow under emulation).

  containers.py PROBE GROUP WORKDIR OUTDIR

PROBE is the static nsprobe, GROUP a wfqmon group for `wfqtool run`,
WORKDIR a scratch directory on a local file system. Writes into OUTDIR:
  views.jsonl      per configuration: the probe inside the container, the
                   probe on the host at the same moment, and the container
                   process seen from the host (/proc/PID/status, ns links)
  escape.json      the chroot escape under chroot and under pivot_root
  overlay.json     writes inside an overlay root; what reached each layer
  transcript.txt   ps, hostname, ip link, id, ipcs, mounts per configuration
"""
import json
import os
import shutil
import stat
import subprocess
import sys

WFQTOOL = os.environ.get("WFQTOOL", "build/tools/wfqtool")
CGROUP_ROOT = os.environ.get("WFQTOOL_CGROUP_ROOT", "/sys/fs/cgroup")
# Root inside the user namespace is uid 100000 outside: an unprivileged id.
UID_MAP = "0:100000:65536"
IPC_KEY = "0x1ab1"
TMPFS_DIR = "/mnt"        # where a container with its own mounts adds a tmpfs
NS_TYPES = ("pid", "mnt", "uts", "ipc", "net", "user")
# name, wfqtool run options, does the container have its own mounts?
CONFIGS = (
    ("pid", ["--ns", "pid"], True),     # pid implies mnt (a new /proc)
    ("mnt", ["--ns", "mnt"], True),
    ("uts", ["--ns", "uts"], False),
    ("ipc", ["--ns", "ipc"], False),
    ("net", ["--ns", "net"], False),
    ("user", ["--ns", "user", "--uid-map", UID_MAP], False),
    ("all", ["--ns", "all", "--hostname", "box", "--uid-map", UID_MAP], True),
)
# What transcript.txt shows of each configuration, as a person would type it
# (SECRET: the root-only file).
SHOW = ("ps -e -o pid,user,comm | tail -n 6", "hostname", "ip -br link", "id",
        "cat /proc/self/uid_map", "cat SECRET", "ipcs -m",
        "grep -c . /proc/self/mountinfo")


def run_in(group, opts, cmd):
    return [WFQTOOL, "run", group, *opts, "--", *cmd]


def host_pid_of(group, comm):
    """The host pid of the group's process named comm (not its init)."""
    with open(os.path.join(CGROUP_ROOT, group, "cgroup.procs")) as f:
        for pid in f.read().split():
            with open(f"/proc/{pid}/comm") as c:
                if c.read().strip() == comm:
                    return int(pid)
    raise RuntimeError(f"containers.py: no {comm} in group {group}")


def outside_view(pid):
    """The container's process as the host sees it."""
    status = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, val = line.partition(":")
            status[key] = val.split()
    ns = {t: int(os.readlink(f"/proc/{pid}/ns/{t}").split("[")[1][:-1])
          for t in NS_TYPES}
    return {"pid": pid, "nspid": [int(x) for x in status["NSpid"]],
            "uid": int(status["Uid"][0]), "ns": ns}


def probe_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def view(probe, group, name, opts, own_mounts, secret):
    """Run the probe in the container and hold it there while the host
    looks: at the container's process and with a probe of its own."""
    see = [probe, "see", "--tmpfs-at", TMPFS_DIR, "--secret", secret]
    inside_cmd = see + (["--mount"] if own_mounts else []) + ["--hold"]
    p = subprocess.Popen(run_in(group, opts, inside_cmd), stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if not line:
        p.wait()
        raise RuntimeError(f"containers.py: {name}: the probe printed nothing "
                           f"(wfqtool run exit {p.returncode})")
    inside = json.loads(line)
    outside = outside_view(host_pid_of(group, os.path.basename(probe)))
    host = probe_json(see)
    p.stdin.close()
    if p.wait() != 0:
        raise RuntimeError(f"containers.py: {name}: wfqtool run exit {p.returncode}")
    # The host again, after the container ended: unchanged by it?
    after = probe_json(see)
    return {"config": name, "opts": opts, "inside": inside, "outside": outside,
            "host": host, "host_after": after}


def make_rootfs(root, probe):
    """A root file system of one static program and two files."""
    for d in ("etc", "data", "proc"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    shutil.copy(probe, os.path.join(root, "nsprobe"))
    with open(os.path.join(root, "etc", "motd"), "w") as f:
        f.write("from the lower layer\n")
    with open(os.path.join(root, "data", "delete-me"), "w") as f:
        f.write("delete me\n")


def escape(probe, group, work):
    """The same escape attempt in a chroot and after pivot_root."""
    jail = os.path.join(work, "jail")
    marker = os.path.join(work, "outside-the-jail")
    make_rootfs(jail, probe)
    open(marker, "w").close()
    ways = {"chroot": ["chroot", jail, "/nsprobe", "escape", marker],
            "pivot_root": run_in(group, ["--root", jail],
                                 ["/nsprobe", "escape", marker])}
    return {"jail": jail, "marker": marker,
            **{k: probe_json(cmd) for k, cmd in ways.items()}}


def file_state(path):
    """What a layer holds at path: absent, a whiteout, or a file's text."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return {"kind": "absent"}
    if stat.S_ISCHR(st.st_mode) and st.st_rdev == 0:
        return {"kind": "whiteout"}
    with open(path) as f:
        return {"kind": "file", "text": f.read()}


def overlay(probe, group, work):
    """Write into an overlay root, then look at both layers."""
    lower = os.path.join(work, "lower")
    layers = os.path.join(work, "overlay")
    make_rootfs(lower, probe)
    inside = probe_json(run_in(group, ["--overlay", lower, "--overlay-dir", layers],
                               ["/nsprobe", "overlay"]))
    upper = os.path.join(layers, "upper")
    paths = ("hello.txt", "etc/motd", "data/delete-me")
    return {"lower_dir": lower, "upper_dir": upper, "inside": inside,
            "lower": {p: file_state(os.path.join(lower, p)) for p in paths},
            "upper": {p: file_state(os.path.join(upper, p)) for p in paths}}


def transcript(group, out, secret):
    """What a person typing the usual commands would see, per configuration."""
    script = "; ".join(f"echo '$ {c}'; {c}" for c in SHOW).replace("SECRET", secret)
    with open(out, "w") as f:
        for name, opts, _ in (("host", None, False),) + CONFIGS:
            f.write(f"===== {name}: "
                    f"{'on the host' if opts is None else 'wfqtool run ' + ' '.join(opts)}\n")
            cmd = ["sh", "-c", script]
            r = subprocess.run(cmd if opts is None else run_in(group, opts, cmd),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
            f.write(r.stdout + "\n")


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__.split("\n\n")[1].strip())
    probe, group, work, outdir = sys.argv[1:]
    secret = os.path.join(work, "root-only")
    with open(secret, "w") as f:
        f.write("only uid 0 of the host may read this\n")
    os.chmod(secret, 0o600)
    subprocess.run([probe, "ipc-make", IPC_KEY], check=True)
    try:
        with open(os.path.join(outdir, "views.jsonl"), "w") as f:
            for name, opts, own_mounts in CONFIGS:
                print(f"lab1: the probe in a container with --ns {name}", flush=True)
                f.write(json.dumps(view(probe, group, name, opts, own_mounts,
                                        secret)) + "\n")
        print("lab1: chroot vs pivot_root", flush=True)
        with open(os.path.join(outdir, "escape.json"), "w") as f:
            json.dump(escape(probe, group, work), f, indent=1)
        print("lab1: an overlay root", flush=True)
        with open(os.path.join(outdir, "overlay.json"), "w") as f:
            json.dump(overlay(probe, group, work), f, indent=1)
        print("lab1: the usual commands in each configuration", flush=True)
        transcript(group, os.path.join(outdir, "transcript.txt"), secret)
    finally:
        subprocess.run([probe, "ipc-remove", IPC_KEY], check=False)


if __name__ == "__main__":
    main()
