/* Prometheus text exposition of the proxy's counters. */
#define _GNU_SOURCE
#include "proxy_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tollgate/fs.h"

static const unsigned status_codes[METRIC_STATUS_N] = {
	200, 301, 304, 400, 401, 403, 404, 405, 406, 413, 431, 500, 502, 503, 0, 0
};
static const char *const route_names[MR__N] = { "index", "project", "file", "other" };
static const char *const decision_names[MD__N] = { "allow", "deny", "hide", "error" };
/* Upper bounds of the upstream latency buckets, seconds. */
static const double lat_bounds[METRIC_LAT_BUCKETS] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
};

void metrics_init(struct proxy_metrics *m)
{
	memset(m, 0, sizeof(*m));
	m->started = (int64_t)time(NULL);
}

void metrics_request(struct proxy_metrics *m, enum metric_route r, unsigned status)
{
	size_t i;

	for (i = 0; i < METRIC_STATUS_N - 1; i++)
		if (status_codes[i] == status)
			break;
	/* The last slot counts any other status. */
	atomic_fetch_add_explicit(&m->requests[r][i], 1, memory_order_relaxed);
}

void metrics_upstream(struct proxy_metrics *m, double seconds, bool ok)
{
	size_t i;

	for (i = 0; i < METRIC_LAT_BUCKETS; i++)
		if (seconds <= lat_bounds[i])
			break;
	atomic_fetch_add(&m->up_lat_bucket[i], 1);
	atomic_fetch_add(&m->up_lat_count, 1);
	atomic_fetch_add(&m->up_lat_sum_us, (unsigned long long)(seconds * 1e6));
	if (!ok)
		atomic_fetch_add(&m->up_errors, 1);
}

static long rss_bytes(void)
{
	struct tg_buf b;
	long pages = -1, rss = -1;

	tg_buf_init(&b, 4096);
	if (tg_read_file("/proc/self/statm", 4096, &b, NULL) == 0 &&
	    sscanf(b.data, "%ld %ld", &pages, &rss) == 2)
		rss *= sysconf(_SC_PAGESIZE);
	tg_buf_release(&b);
	return rss;
}

int metrics_render(struct proxy_metrics *m, bool ready, struct tg_buf *out,
		   struct tg_err *err)
{
	unsigned long long cum = 0;
	size_t r, i;
	int rc = 0;

#define ADDF(...) do { if (!rc) rc = tg_buf_addf(out, err, __VA_ARGS__); } while (0)
	ADDF("# HELP tollgate_proxy_requests_total HTTP requests answered, by route and status.\n"
	     "# TYPE tollgate_proxy_requests_total counter\n");
	for (r = 0; r < MR__N; r++) {
		for (i = 0; i < METRIC_STATUS_N - 1; i++) {
			if (status_codes[i] == 0)
				continue;
			ADDF("tollgate_proxy_requests_total{route=\"%s\",status=\"%u\"} %llu\n",
			     route_names[r], status_codes[i],
			     (unsigned long long)atomic_load(&m->requests[r][i]));
		}
		ADDF("tollgate_proxy_requests_total{route=\"%s\",status=\"other\"} %llu\n",
		     route_names[r],
		     (unsigned long long)atomic_load(&m->requests[r][METRIC_STATUS_N - 1]));
	}
	ADDF("# HELP tollgate_proxy_decisions_total Policy decisions on projects and files.\n"
	     "# TYPE tollgate_proxy_decisions_total counter\n");
	for (i = 0; i < MD__N; i++)
		ADDF("tollgate_proxy_decisions_total{decision=\"%s\"} %llu\n", decision_names[i],
		     (unsigned long long)atomic_load(&m->decisions[i]));
	ADDF("# HELP tollgate_proxy_cache_requests_total Cache lookups by kind and result.\n"
	     "# TYPE tollgate_proxy_cache_requests_total counter\n"
	     "tollgate_proxy_cache_requests_total{cache=\"page\",result=\"hit\"} %llu\n"
	     "tollgate_proxy_cache_requests_total{cache=\"page\",result=\"miss\"} %llu\n"
	     "tollgate_proxy_cache_requests_total{cache=\"file\",result=\"hit\"} %llu\n"
	     "tollgate_proxy_cache_requests_total{cache=\"file\",result=\"miss\"} %llu\n",
	     (unsigned long long)atomic_load(&m->page_hits),
	     (unsigned long long)atomic_load(&m->page_misses),
	     (unsigned long long)atomic_load(&m->file_hits),
	     (unsigned long long)atomic_load(&m->file_misses));
	ADDF("# HELP tollgate_proxy_hash_mismatches_total Upstream files whose hash did not match the index.\n"
	     "# TYPE tollgate_proxy_hash_mismatches_total counter\n"
	     "tollgate_proxy_hash_mismatches_total %llu\n",
	     (unsigned long long)atomic_load(&m->hash_mismatches));
	ADDF("# HELP tollgate_proxy_upstream_seconds Upstream request latency.\n"
	     "# TYPE tollgate_proxy_upstream_seconds histogram\n");
	for (i = 0; i < METRIC_LAT_BUCKETS; i++) {
		cum += atomic_load(&m->up_lat_bucket[i]);
		ADDF("tollgate_proxy_upstream_seconds_bucket{le=\"%g\"} %llu\n", lat_bounds[i], cum);
	}
	cum += atomic_load(&m->up_lat_bucket[METRIC_LAT_BUCKETS]);
	ADDF("tollgate_proxy_upstream_seconds_bucket{le=\"+Inf\"} %llu\n"
	     "tollgate_proxy_upstream_seconds_sum %.6f\n"
	     "tollgate_proxy_upstream_seconds_count %llu\n", cum,
	     (double)atomic_load(&m->up_lat_sum_us) / 1e6,
	     (unsigned long long)atomic_load(&m->up_lat_count));
	ADDF("# HELP tollgate_proxy_upstream_errors_total Upstream requests that failed.\n"
	     "# TYPE tollgate_proxy_upstream_errors_total counter\n"
	     "tollgate_proxy_upstream_errors_total %llu\n",
	     (unsigned long long)atomic_load(&m->up_errors));
	ADDF("# HELP tollgate_proxy_file_cache_bytes Bytes held in the file cache.\n"
	     "# TYPE tollgate_proxy_file_cache_bytes gauge\n"
	     "tollgate_proxy_file_cache_bytes %llu\n"
	     "# HELP tollgate_proxy_file_cache_evictions_total Files evicted from the cache.\n"
	     "# TYPE tollgate_proxy_file_cache_evictions_total counter\n"
	     "tollgate_proxy_file_cache_evictions_total %llu\n",
	     (unsigned long long)atomic_load(&m->cache_bytes),
	     (unsigned long long)atomic_load(&m->evictions));
	ADDF("# HELP tollgate_proxy_bytes_served_total Body bytes of files served.\n"
	     "# TYPE tollgate_proxy_bytes_served_total counter\n"
	     "tollgate_proxy_bytes_served_total %llu\n",
	     (unsigned long long)atomic_load(&m->bytes_served));
	ADDF("# HELP tollgate_proxy_waiting_requests Requests waiting on an upstream or the database.\n"
	     "# TYPE tollgate_proxy_waiting_requests gauge\n"
	     "tollgate_proxy_waiting_requests %u\n", atomic_load(&m->suspended));
	ADDF("# HELP tollgate_proxy_ready 1 when the database is present and the policy loaded.\n"
	     "# TYPE tollgate_proxy_ready gauge\n"
	     "tollgate_proxy_ready %d\n", ready ? 1 : 0);
	ADDF("# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
	     "# TYPE process_resident_memory_bytes gauge\n"
	     "process_resident_memory_bytes %ld\n"
	     "# HELP process_start_time_seconds Start time of the process since the epoch.\n"
	     "# TYPE process_start_time_seconds gauge\n"
	     "process_start_time_seconds %" PRId64 "\n", rss_bytes(), m->started);
#undef ADDF
	return rc;
}
