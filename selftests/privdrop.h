/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a test's child gives up its standing, the ways a daemon or a
 * container does: a plain unprivileged uid, or root of its own user
 * namespace (every capability, none of them in the initial namespace).
 */
#ifndef WFQ_PRIVDROP_H
#define WFQ_PRIVDROP_H

#define PRIVDROP_NOBODY		65534

/* uid and gid 65534, no supplementary groups; 0 or -errno. */
int privdrop_to_nobody(void);

/*
 * unshare(CLONE_NEWUSER | @flags) and map uid and gid 0 to our own 0, as
 * a container runtime would; @flags adds namespaces (CLONE_NEWNET) owned
 * by the new user namespace. 0 or -errno.
 */
int privdrop_to_userns_root(int flags);

#endif
