# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Real containers in the test VM, as Podman and LXC start them (sourced by
# selftests/containers_test.sh and demo/containers.sh; root, in the VM):
#
#   . selftests/containers.sh
#   ctr_setup                          once per boot is enough; repeatable
#   ctr_podman NAME [PODMAN-RUN-OPTION...]   a CPU hog in a Podman container
#   ctr_lxc NAME [LXC-CONFIG-LINE...]        a CPU hog in an LXC container
#   ctr_cgroup NAME                    its cgroup directory, under /sys/fs/cgroup
#   ctr_rm NAME                        podman rm -f / lxc-destroy -f
#   ctr_teardown                       remove every container started here
#
# The guest's root is an overlay over the host's read-only 9p root, so
# Podman's storage is a tmpfs with the vfs driver (overlayfs cannot stack
# on it), and the image is a busybox root (Debian's static busybox)
# imported with `podman import`: no registry, no network. Podman runs with
# crun and the cgroupfs manager (no systemd in the guest): its containers'
# cgroups are /sys/fs/cgroup/libpod_parent/libpod-ID. LXC's busybox
# template copies the same busybox; its containers have no network and no
# AppArmor profile (the guest has no apparmor_parser) and live in
# /sys/fs/cgroup/lxc.payload.NAME. The hog is a busybox shell loop.
# Each step says on stderr how long it took ("# containers: ... 1.2 s").

ctr_state=/run/wfqmon-containers
ctr_image=localhost/wfqmon-busybox
ctr_hog='while :; do :; done'
ctr_names=()

ctr_log() { echo "# containers: $*" >&2; }
ctr_now() { date +%s.%N; }
ctr_took() {	# ctr_took START WHAT
	ctr_log "$2: $(awk -v a="$1" -v b="$(ctr_now)" 'BEGIN { printf "%.1f s", b - a }')"
}

# /dev/shm for both; LXC allocates its console from a devpts of its own.
ctr_mounts() {
	mountpoint -q /dev/shm || { mkdir -p /dev/shm && mount -t tmpfs shm /dev/shm; } || return 1
	if ! grep -q ' /dev/pts devpts .*ptmxmode=666' /proc/mounts; then
		mkdir -p /dev/pts
		mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts /dev/pts || return 1
		ln -sf pts/ptmx /dev/ptmx || return 1
	fi
}

# Podman's configuration, storage and the busybox image.
ctr_podman_setup() {
	local root
	mkdir -p "$ctr_state" || return 1
	mountpoint -q "$ctr_state" || mount -t tmpfs wfqmon-containers "$ctr_state" || return 1
	cat >"$ctr_state/storage.conf" <<-EOF || return 1
	[storage]
	driver = "vfs"
	graphroot = "$ctr_state/storage"
	runroot = "$ctr_state/run"
	EOF
	cat >"$ctr_state/containers.conf" <<-EOF || return 1
	[engine]
	cgroup_manager = "cgroupfs"
	events_logger = "none"
	runtime = "crun"
	EOF
	export CONTAINERS_STORAGE_CONF=$ctr_state/storage.conf
	export CONTAINERS_CONF=$ctr_state/containers.conf
	podman image exists "$ctr_image" && return 0
	root=$ctr_state/busybox-root
	mkdir -p "$root/bin" || return 1
	cp "$(command -v busybox)" "$root/bin/busybox" && ln -sf busybox "$root/bin/sh" || return 1
	tar -C "$root" -c . | podman import -q - "$ctr_image" >/dev/null || {
		ctr_log "podman import of $root failed"
		return 1
	}
}

ctr_setup() {
	local t
	t=$(ctr_now)
	ctr_mounts || { ctr_log "cannot mount /dev/shm and devpts"; return 1; }
	ctr_podman_setup || return 1
	ctr_took "$t" "setup (mounts, Podman storage, busybox image)"
}

ctr_podman() {	# ctr_podman NAME [OPTION...]
	local name=$1 t
	shift
	t=$(ctr_now)
	ctr_names+=("podman:$name")
	podman run -d -q --name "$name" --network=none "$@" "$ctr_image" \
		sh -c "$ctr_hog" >/dev/null || { ctr_log "podman run $name failed"; return 1; }
	ctr_took "$t" "podman run $name"
}

ctr_lxc() {	# ctr_lxc NAME [CONFIG-LINE...]
	local name=$1 t conf line
	shift
	t=$(ctr_now)
	ctr_names+=("lxc:$name")
	lxc-create -q -n "$name" -t busybox >/dev/null || { ctr_log "lxc-create $name failed"; return 1; }
	conf=$(lxc-config lxc.lxcpath)/$name/config
	printf '#!/bin/sh\n%s\n' "$ctr_hog" >"${conf%/config}/rootfs/bin/hog" &&
		chmod +x "${conf%/config}/rootfs/bin/hog" || return 1
	{
		echo "lxc.net.0.type = empty"
		echo "lxc.apparmor.profile = unconfined"
		echo "lxc.init.cmd = /bin/hog"
		for line in "$@"; do echo "$line"; done
	} >>"$conf" || return 1
	ctr_took "$t" "lxc-create $name"
	t=$(ctr_now)
	lxc-start -n "$name" -d || { ctr_log "lxc-start $name failed"; return 1; }
	lxc-wait -n "$name" -s RUNNING -t 30 || { ctr_log "$name did not start"; return 1; }
	ctr_took "$t" "lxc-start $name"
}

# The cgroup of the container's first process, from /proc/PID/cgroup.
ctr_cgroup() {	# ctr_cgroup NAME
	local pid kind=
	case " ${ctr_names[*]} " in
	*" podman:$1 "*) kind=podman ;;
	*" lxc:$1 "*) kind=lxc ;;
	*) ctr_log "no container $1 started here"; return 1 ;;
	esac
	if [ "$kind" = podman ]; then
		pid=$(podman inspect --format '{{.State.Pid}}' "$1") || return 1
	else
		pid=$(lxc-info -n "$1" -p -H) || return 1
	fi
	if [ -z "$pid" ] || [ "$pid" = 0 ]; then
		ctr_log "$1 has no process"
		return 1
	fi
	echo "/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$pid/cgroup")"
}

ctr_rm() {	# ctr_rm NAME
	local n kept=()
	for n in "${ctr_names[@]}"; do
		case $n in
		"podman:$1") podman rm -f -t 0 "$1" >/dev/null || return 1 ;;
		"lxc:$1") lxc-destroy -f -n "$1" >/dev/null || return 1 ;;
		*) kept+=("$n") ;;
		esac
	done
	ctr_names=("${kept[@]}")
}

ctr_teardown() {
	local n t status=0
	[ ${#ctr_names[@]} -gt 0 ] || return 0
	t=$(ctr_now)
	for n in "${ctr_names[@]}"; do
		ctr_rm "${n#*:}" || { ctr_log "cannot remove ${n#*:}"; status=1; }
	done
	ctr_took "$t" "teardown"
	return $status
}
