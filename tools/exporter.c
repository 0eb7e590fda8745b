// SPDX-License-Identifier: GPL-2.0
/* The exporter's HTTP server and scrape; see exporter.h. */
#include <errno.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "exporter.h"
#include "prom.h"

struct exporter {
	struct MHD_Daemon *daemon;
	const char *cgroup_root;
	/* Say once that the module went away, not at every scrape. */
	atomic_bool module_missing;
};

static const char index_page[] =
	"<!DOCTYPE html>\n<html><head><title>wfqmon exporter</title></head>\n"
	"<body><h1>wfqmon exporter</h1>\n"
	"<p>CPU shares, WFQ virtual time and waits of the wfqmon.ko groups:\n"
	"<a href=\"/metrics\">/metrics</a> (Prometheus text format).\n"
	"See wfqtool(8).</p>\n</body></html>\n";

char *exporter_scrape(const char *cgroup_root, size_t *len, bool *up)
{
	struct prom_scrape s = { 0 };
	struct wfqnl_err err = { 0 };
	struct snapshot snap = { 0 };
	struct wfqnl *nl;
	char *buf = NULL;
	FILE *f;

	nl = wfqnl_open(&err);
	if (nl && !wfqnl_stats_get(nl, &s.stats, &err) &&
	    !snapshot_take(nl, cgroup_root, NULL, false, &snap, &err)) {
		s.up = true;
		s.family_version = wfqnl_family_version(nl);
		s.snap = &snap;
	}
	if (nl)
		wfqnl_close(nl);
	f = open_memstream(&buf, len);
	if (f) {
		prom_write(f, &s);
		if (fclose(f)) {
			free(buf);
			buf = NULL;
		}
	}
	*up = s.up;
	if (s.up)
		snapshot_free(&snap);
	else if (err.errnum != ENOENT)
		fprintf(stderr, "wfqtool exporter: scrape: %s\n", err.msg);
	return buf;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status,
			     const char *type, void *body, size_t len,
			     enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, body, mode);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
					"GET, HEAD");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *conn,
				  unsigned int status, const char *text)
{
	return reply(conn, status, "text/plain; charset=utf-8", (void *)text,
		     strlen(text), MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn,
			      const char *url, const char *method,
			      const char *version, const char *upload_data,
			      size_t *upload_data_size, void **req_cls)
{
	struct exporter *ex = cls;
	size_t len;
	char *body;
	bool up;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)req_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
				  "only GET and HEAD\n");
	if (!strcmp(url, "/"))
		return reply(conn, MHD_HTTP_OK, "text/html; charset=utf-8",
			     (void *)index_page, sizeof(index_page) - 1,
			     MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/metrics"))
		return reply_text(conn, MHD_HTTP_NOT_FOUND,
				  "not found: try /metrics\n");
	body = exporter_scrape(ex->cgroup_root, &len, &up);
	if (!body)
		return reply_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
				  "out of memory\n");
	if (!up) {
		if (!atomic_exchange(&ex->module_missing, true))
			fputs("wfqtool exporter: wfqmon module not loaded: wfqmon_up 0\n",
			      stderr);
	} else {
		atomic_store(&ex->module_missing, false);
	}
	return reply(conn, MHD_HTTP_OK, PROM_CONTENT_TYPE, body, len,
		     MHD_RESPMEM_MUST_FREE);
}

struct exporter *exporter_start(const char *host, uint16_t port,
				const char *cgroup_root,
				struct wfqnl_err *err)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE };
	struct addrinfo *ai;
	struct exporter *ex;
	unsigned int flags;
	char port_str[8];
	int ret;

	snprintf(port_str, sizeof(port_str), "%u", port);
	ret = getaddrinfo(*host ? host : NULL, port_str, &hints, &ai);
	if (ret) {
		wfqnl_err_explain(err, EINVAL, "listen %s:%u: %s", host, port,
				  gai_strerror(ret));
		return NULL;
	}
	ex = calloc(1, sizeof(*ex));
	if (!ex) {
		freeaddrinfo(ai);
		wfqnl_err_set(err, ENOMEM, "exporter");
		return NULL;
	}
	ex->cgroup_root = cgroup_root;
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
		MHD_USE_ERROR_LOG;
	/* No host: both stacks on one socket, as ":9100" does elsewhere. */
	if (!*host)
		flags |= MHD_USE_DUAL_STACK;
	else if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	errno = 0;
	ex->daemon = MHD_start_daemon(flags, port, NULL, NULL, handle, ex,
				      MHD_OPTION_CONNECTION_LIMIT,
				      (unsigned int)EXPORTER_MAX_CONNECTIONS,
				      MHD_OPTION_CONNECTION_TIMEOUT,
				      (unsigned int)EXPORTER_TIMEOUT_S,
				      *host ? MHD_OPTION_SOCK_ADDR :
					      MHD_OPTION_END,
				      ai->ai_addr, MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!ex->daemon) {
		wfqnl_err_set(err, errno ? errno : EADDRINUSE, "listen %s:%u",
			      *host ? host : "*", port);
		free(ex);
		return NULL;
	}
	return ex;
}

void exporter_stop(struct exporter *ex)
{
	MHD_stop_daemon(ex->daemon);
	free(ex);
}
