/* PEP 508: requirement and marker parsing, printing and evaluation.
 * Properties checked on every input that parses: the printed form parses
 * again, prints the same (a fixed point), and evaluates the same.
 * Input: one selector byte (bit 0: parse as a marker, not a requirement;
 * bits 1-3: which environment), then the text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/markers.h"
#include "tollgate/pep508.h"

static void environment(unsigned which, struct tg_marker_env *env)
{
	static const char *const extras[] = { "Dev", "docs" };
	static const char *const pythons[] = { "3.11.4", "2.7", "3.12.0", "3.8" };
	static const char *const platforms[] = { "linux", "win32", "darwin", "linux" };
	struct tg_err err;

	tg_marker_env_init(env);
	tg_marker_env_target(env, pythons[which & 3], platforms[(which >> 1) & 3], &err);
	env->values[TG_MV_PLATFORM_RELEASE] = (which & 4) ? "6.1.0" : "NT";
	env->values[TG_MV_PLATFORM_VERSION] = "#1 SMP";
	if (which & 4) {
		env->values[TG_MV_EXTRA] = "Foo_Bar";
		env->values[TG_MV_PYTHON_FULL_VERSION] = "3.11.1+";
		env->extras = extras;
		env->n_extras = 2;
		env->has_extras = true;
		env->groups = extras;
		env->n_groups = 1;
		env->has_groups = true;
	}
}

static void check_marker(const struct tg_marker *m, const struct tg_marker_env *env)
{
	struct tg_marker again;
	struct tg_buf a, b;
	struct tg_err err, err2;
	bool r1 = false, r2 = false;
	int e1, e2;

	tg_buf_init(&a, 0);
	tg_buf_init(&b, 0);
	e1 = tg_marker_evaluate(m, env, &r1, &err);
	if (tg_marker_format(m, &a, &err) == 0 && !memchr(a.data, '\0', a.len) &&
	    !memchr(a.data, '"', a.len) && !memchr(a.data, '\\', a.len) &&
	    !memchr(a.data, '\n', a.len) && !memchr(a.data, '\r', a.len)) {
		/* values without quotes, backslashes or line breaks print as
		 * literals that read back to themselves */
		if (tg_marker_parse(a.data, a.len, &again, &err2) != 0)
			abort();
		if (tg_marker_format(&again, &b, &err2) != 0 || strcmp(a.data, b.data) != 0)
			abort();
		e2 = tg_marker_evaluate(&again, env, &r2, &err2);
		if ((e1 == 0) != (e2 == 0) || (e1 == 0 && r1 != r2))
			abort();
		tg_marker_release(&again);
	}
	tg_buf_release(&a);
	tg_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1;
	struct tg_marker_env env;
	struct tg_err err;
	size_t n;

	if (size < 1)
		return 0;
	n = size - 1;
	environment(data[0] >> 1, &env);
	if (data[0] & 1) {
		struct tg_marker m;
		if (tg_marker_parse(s, n, &m, &err) == 0) {
			check_marker(&m, &env);
			tg_marker_release(&m);
		}
	} else {
		struct tg_requirement r;
		struct tg_buf out;
		bool applies;
		if (tg_pep508_parse(s, n, &r, &err) == 0) {
			tg_buf_init(&out, 0);
			if (tg_requirement_format(&r, &out, &err) != 0)
				abort();
			if (r.marker) {
				tg_requirement_applies(&r, &env, &applies, &err);
				check_marker(r.marker, &env);
			}
			tg_buf_release(&out);
			tg_requirement_release(&r);
		}
	}
	return 0;
}
