// SPDX-License-Identifier: GPL-2.0
/* Fixed-size attribute readers that refuse a size the contract does not give. */
#include <errno.h>

#include <netlink/attr.h>

#include "wfqnl_priv.h"

static int attr_read(struct nlattr **tb, int type, void *dst, size_t size,
		     uint32_t *present)
{
	if (!tb[type])
		return 0;
	if ((size_t)nla_len(tb[type]) != size)
		return -EPROTO;
	nla_memcpy(dst, tb[type], (int)size);
	*present |= 1u << type;
	return 0;
}

int wfqnl_attr_u32(struct nlattr **tb, int type, uint32_t *dst,
		   uint32_t *present)
{
	return attr_read(tb, type, dst, sizeof(*dst), present);
}

int wfqnl_attr_u64(struct nlattr **tb, int type, uint64_t *dst,
		   uint32_t *present)
{
	return attr_read(tb, type, dst, sizeof(*dst), present);
}
