# SPDX-License-Identifier: GPL-2.0
# The wfqnl client library, for any Makefile that links it.
# Set WFQNL_BUILD (where objects go) and ROOT (project root) before
# including; then depend on $(WFQNL_LIB) and add $(WFQNL_CFLAGS) and
# $(WFQNL_LDLIBS).

WFQNL_DIR := $(dir $(lastword $(MAKEFILE_LIST)))
WFQNL_SRCS := $(addprefix $(WFQNL_DIR),wfqnl_attr.c wfqnl_err.c \
	wfqnl_events.c wfqnl_group.c wfqnl_group_parse.c wfqnl_sock.c \
	wfqnl_stats.c)
WFQNL_OBJS := $(patsubst $(WFQNL_DIR)%.c,$(WFQNL_BUILD)/%.o,$(WFQNL_SRCS))
WFQNL_LIB := $(WFQNL_BUILD)/libwfqnl.a

# libnl's headers need _GNU_SOURCE (struct addrinfo, clock_gettime).
WFQNL_CFLAGS := -D_GNU_SOURCE -I$(WFQNL_DIR) -I$(ROOT)/uapi \
	$(shell pkg-config --cflags libnl-genl-3.0)
WFQNL_LDLIBS := $(shell pkg-config --libs libnl-genl-3.0)

$(WFQNL_BUILD)/%.o: $(WFQNL_DIR)%.c $(WFQNL_DIR)wfqnl.h \
		$(WFQNL_DIR)wfqnl_priv.h $(ROOT)/uapi/linux/wfqmon.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WFQNL_CFLAGS) -c -o $@ $<

$(WFQNL_LIB): $(WFQNL_OBJS)
	$(AR) rcs $@ $^
