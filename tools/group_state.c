// SPDX-License-Identifier: GPL-2.0
/* A group's state for export: from the kernel's reply, to JSON. */
#include <string.h>

#include "group_state.h"
#include "json.h"

void group_state_from_group(struct group_state *s, const struct wfqnl_group *g,
			    uint64_t vtime_min)
{
	s->group = *g;
	s->vtime_min = vtime_min;
	/* A module without LAG: the same difference, from this side. */
	if (!wfqnl_group_has(g, WFQMON_A_GROUP_LAG))
		s->group.lag = (int64_t)(vtime_min - g->vtime);
}

void group_state_write(FILE *f, const struct group_state *s)
{
	const struct wfqnl_group *g = &s->group;
	const struct group_state_cgroup *c = &s->cgroup;
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_u64(&j, "schema_version", GROUP_STATE_SCHEMA_VERSION);
	json_str(&j, "kind", GROUP_STATE_KIND);
	json_u64(&j, "time_ns", s->time_ns);
	json_str(&j, "kernel", s->kernel);
	json_str(&j, "name", g->name);
	json_u64(&j, "weight", g->weight);
	json_i64(&j, "lag_ns", g->lag);
	json_u64(&j, "vtime", g->vtime);
	json_u64(&j, "vtime_min", s->vtime_min);
	json_bool(&j, "active", g->active);
	json_obj_begin(&j, "history");
	json_u64(&j, "runtime_ns", g->runtime_ns);
	json_u64(&j, "quanta", g->quanta);
	json_u64(&j, "wait_ns", g->wait_ns);
	json_u64(&j, "active_ns", g->active_ns);
	json_u64(&j, "activations", g->activations);
	json_u64(&j, "catchups", g->catchups);
	json_u64(&j, "catchup_vtime", g->catchup_vtime);
	json_u64(&j, "forks", g->forks);
	json_u64(&j, "exits", g->exits);
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
