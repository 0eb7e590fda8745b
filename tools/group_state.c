// SPDX-License-Identifier: GPL-2.0
/* A group's state for export: from the kernel's reply, to JSON. */
#include <string.h>

#include "group_state.h"
#include "json.h"

void group_state_from_group(struct group_state *s, const struct wfqnl_group *g,
			    uint64_t vtime_min)
{
	snprintf(s->name, sizeof(s->name), "%s", g->name);
	s->weight = g->weight;
	s->vtime = g->vtime;
	s->vtime_min = vtime_min;
	/* A module without LAG: the same difference, from this side. */
	s->lag_ns = wfqnl_group_has(g, WFQMON_A_GROUP_LAG) ? g->lag :
		    (int64_t)(vtime_min - g->vtime);
	s->active = g->active;
	s->history = (struct group_state_history){
		.runtime_ns = g->runtime_ns,
		.quanta = g->quanta,
		.wait_ns = g->wait_ns,
		.active_ns = g->active_ns,
		.activations = g->activations,
		.catchups = g->catchups,
		.catchup_vtime = g->catchup_vtime,
		.forks = g->forks,
		.exits = g->exits,
	};
}

void group_state_write(FILE *f, const struct group_state *s)
{
	const struct group_state_history *h = &s->history;
	const struct group_state_cgroup *c = &s->cgroup;
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_u64(&j, "schema_version", GROUP_STATE_SCHEMA_VERSION);
	json_str(&j, "kind", GROUP_STATE_KIND);
	json_u64(&j, "time_ns", s->time_ns);
	json_str(&j, "kernel", s->kernel);
	json_str(&j, "name", s->name);
	json_u64(&j, "weight", s->weight);
	json_i64(&j, "lag_ns", s->lag_ns);
	json_u64(&j, "vtime", s->vtime);
	json_u64(&j, "vtime_min", s->vtime_min);
	json_bool(&j, "active", s->active);
	json_obj_begin(&j, "history");
	json_u64(&j, "runtime_ns", h->runtime_ns);
	json_u64(&j, "quanta", h->quanta);
	json_u64(&j, "wait_ns", h->wait_ns);
	json_u64(&j, "active_ns", h->active_ns);
	json_u64(&j, "activations", h->activations);
	json_u64(&j, "catchups", h->catchups);
	json_u64(&j, "catchup_vtime", h->catchup_vtime);
	json_u64(&j, "forks", h->forks);
	json_u64(&j, "exits", h->exits);
	json_end(&j, '}');
	json_obj_begin(&j, "cgroup");
	json_str(&j, "path", c->path);
	json_u64(&j, "cpu.weight", c->cpu_weight);
	json_str(&j, "cpu.max", c->cpu_max);
	json_str(&j, "cpuset.cpus", c->cpuset_cpus);
	json_str(&j, "memory.max", c->memory_max);
	json_end(&j, '}');
	json_end(&j, '}');
}
