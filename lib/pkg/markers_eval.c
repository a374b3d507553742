/* PEP 508 environment markers: evaluation and target environments. */
#include "tollgate/markers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/pep508_lex.h"
#include "tollgate/pep440.h"

void tg_marker_env_init(struct tg_marker_env *env)
{
	memset(env, 0, sizeof(*env));
}

static bool is_version_var(enum tg_marker_var v)
{
	return v == TG_MV_PYTHON_VERSION || v == TG_MV_PYTHON_FULL_VERSION ||
	       v == TG_MV_IMPLEMENTATION_VERSION || v == TG_MV_PLATFORM_RELEASE;
}

static bool is_set_var(enum tg_marker_var v)
{
	return v == TG_MV_EXTRAS || v == TG_MV_DEPENDENCY_GROUPS;
}

int tg_marker_env_target(struct tg_marker_env *env, const char *python_version,
			 const char *platform, struct tg_err *err)
{
	if (python_version) {
		unsigned long maj, min, mic = 0;
		int used = 0, k;
		size_t len = strlen(python_version);
		char *full = env->store, *short_v = env->store + 64;

		k = sscanf(python_version, "%lu.%lu%n.%lu%n", &maj, &min, &used, &mic, &used);
		if (k < 2 || (size_t)used != len || len > 40 ||
		    !(python_version[0] >= '0' && python_version[0] <= '9'))
			return tg_err_set(err, TG_EINVAL,
					  "python version '%s' is not X.Y or X.Y.Z",
					  python_version);
		snprintf(full, 64, "%lu.%lu.%lu", maj, min, mic);
		snprintf(short_v, 64, "%lu.%lu", maj, min);
		env->values[TG_MV_PYTHON_VERSION] = short_v;
		env->values[TG_MV_PYTHON_FULL_VERSION] = full;
		env->values[TG_MV_IMPLEMENTATION_VERSION] = full;
		env->values[TG_MV_IMPLEMENTATION_NAME] = "cpython";
		env->values[TG_MV_PLATFORM_PYTHON_IMPLEMENTATION] = "CPython";
	}
	if (platform) {
		if (strcmp(platform, "linux") == 0) {
			env->values[TG_MV_SYS_PLATFORM] = "linux";
			env->values[TG_MV_OS_NAME] = "posix";
			env->values[TG_MV_PLATFORM_SYSTEM] = "Linux";
			env->values[TG_MV_PLATFORM_MACHINE] = "x86_64";
		} else if (strcmp(platform, "darwin") == 0) {
			env->values[TG_MV_SYS_PLATFORM] = "darwin";
			env->values[TG_MV_OS_NAME] = "posix";
			env->values[TG_MV_PLATFORM_SYSTEM] = "Darwin";
			env->values[TG_MV_PLATFORM_MACHINE] = "arm64";
		} else if (strcmp(platform, "win32") == 0) {
			env->values[TG_MV_SYS_PLATFORM] = "win32";
			env->values[TG_MV_OS_NAME] = "nt";
			env->values[TG_MV_PLATFORM_SYSTEM] = "Windows";
			env->values[TG_MV_PLATFORM_MACHINE] = "AMD64";
		} else {
			return tg_err_set(err, TG_EINVAL,
					  "platform '%s' is not linux, darwin or win32",
					  platform);
		}
	}
	return 0;
}

/* A string or a set, as packaging's environment values are. */
struct value {
	const char *s;
	size_t n;
	bool is_set;
	const char *const *items;
	size_t n_items;
};

struct ev {
	const struct tg_marker *m;
	const struct tg_marker_env *env;
	struct tg_err *err;
};

static int lookup(struct ev *e, enum tg_marker_var v, struct value *out)
{
	const struct tg_marker_env *env = e->env;

	memset(out, 0, sizeof(*out));
	if (v == TG_MV_EXTRAS || v == TG_MV_DEPENDENCY_GROUPS) {
		bool has = v == TG_MV_EXTRAS ? env->has_extras : env->has_groups;
		if (!has)
			return tg_err_set(e->err, TG_EINVAL,
					  "marker uses '%s', which this environment does not define",
					  tg_marker_var_name(v));
		out->is_set = true;
		out->items = v == TG_MV_EXTRAS ? env->extras : env->groups;
		out->n_items = v == TG_MV_EXTRAS ? env->n_extras : env->n_groups;
		return 0;
	}
	out->s = env->values[v];
	if (!out->s) {
		if (v != TG_MV_EXTRA)
			return tg_err_set(e->err, TG_EINVAL,
					  "marker uses '%s', which this environment does not define",
					  tg_marker_var_name(v));
		out->s = "";
	}
	out->n = strlen(out->s);
	return 0;
}

/* Point v at a rewritten value held in b. */
static void scratch_value(struct tg_buf *b, struct value *v)
{
	v->s = b->data;
	v->n = b->len;
}

static bool contains_bytes(const char *hay, size_t hn, const char *needle, size_t nn)
{
	size_t i;

	if (nn == 0)
		return true;
	for (i = 0; i + nn <= hn; i++)
		if (memcmp(hay + i, needle, nn) == 0)
			return true;
	return false;
}

static bool same(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && memcmp(a, b, an) == 0;
}

/* PEP 440 comparison when "OP rhs" is a version specifier; *done tells
 * whether it applied. */
static int version_compare(struct ev *e, const struct value *l,
			   enum tg_marker_op op, const struct value *r,
			   bool *done, bool *result)
{
	struct tg_pep440_specset set;
	struct tg_buf spec;
	struct tg_err ignored;
	int rc;

	*done = false;
	if (op == TG_MO_IN || op == TG_MO_NOT_IN)
		return 0;
	tg_buf_init(&spec, TG_MARKER_MAX_LENGTH + 8);
	rc = tg_buf_adds(&spec, tg_marker_op_text(op), e->err);
	if (!rc)
		rc = tg_buf_add(&spec, r->s, r->n, e->err);
	if (rc) {
		tg_buf_release(&spec);
		return rc;
	}
	if (memchr(spec.data, '\0', spec.len) == NULL &&
	    tg_pep508_specifier_valid(spec.data, spec.len) &&
	    tg_pep440_spec_parse(spec.data, spec.len, &set, &ignored) == 0) {
		*result = tg_pep440_spec_contains_str(&set, l->s, l->n, TG_PRE_INCLUDE, NULL);
		*done = true;
		tg_pep440_specset_release(&set);
	}
	tg_buf_release(&spec);
	return 0;
}

static int compare(struct ev *e, const struct tg_marker_node *nd, bool *result)
{
	struct value l, r;
	struct tg_buf lb, rb, spec_l;
	enum tg_marker_var key;
	bool done = false;
	size_t i;
	int rc = 0;

	tg_buf_init(&lb, TG_MARKER_MAX_LENGTH * 2);
	tg_buf_init(&rb, TG_MARKER_MAX_LENGTH * 2);
	tg_buf_init(&spec_l, 16);
	*result = false;
	if (nd->lhs.is_var) {
		key = nd->lhs.var;
		if ((rc = lookup(e, key, &l)))
			goto out;
		if (l.is_set) {
			rc = tg_err_set(e->err, TG_EINVAL,
					"'%s' is a set: test it with \"'name' in %s\"",
					tg_marker_var_name(key), tg_marker_var_name(key));
			goto out;
		}
		memset(&r, 0, sizeof(r));
		if (nd->rhs.is_var) { /* compared with the other variable's name */
			r.s = tg_marker_var_name(nd->rhs.var);
			r.n = strlen(r.s);
		} else {
			r.s = nd->rhs.text;
			r.n = nd->rhs.len;
		}
	} else {
		memset(&l, 0, sizeof(l));
		l.s = nd->lhs.text;
		l.n = nd->lhs.len;
		if (nd->rhs.is_var) {
			key = nd->rhs.var;
		} else if (!tg_marker_var_lookup(nd->rhs.text, nd->rhs.len, &key)) {
			/* two literals: the right one names the environment key */
			memset(&r, 0, sizeof(r));
			for (i = 0; i < e->env->n_custom; i++) {
				if (same(e->env->custom_names[i], strlen(e->env->custom_names[i]),
					 nd->rhs.text, nd->rhs.len)) {
					r.s = e->env->custom_values[i];
					r.n = strlen(r.s);
					break;
				}
			}
			if (!r.s) {
				rc = tg_err_set(e->err, TG_EINVAL,
						"marker compares two strings and '%.*s' is no "
						"variable of this environment",
						(int)(nd->rhs.len > 60 ? 60 : nd->rhs.len),
						nd->rhs.text);
				goto out;
			}
			key = TG_MV_COUNT; /* a plain string key */
		}
		if (key != TG_MV_COUNT && (rc = lookup(e, key, &r)))
			goto out;
	}

	/* the environment's own values get the same treatment as the
	 * marker's: extra normalised, a "3.11.1+" python repaired */
	if (key == TG_MV_EXTRA) {
		const struct value *envside = nd->lhs.is_var ? &l : &r;
		struct tg_buf *b = nd->lhs.is_var ? &lb : &rb;
		if ((rc = tg_marker_normalize_extra(envside->s, envside->n, b, e->err)))
			goto out;
		scratch_value(b, nd->lhs.is_var ? &l : &r);
	} else if (key == TG_MV_PYTHON_FULL_VERSION) {
		struct value *envside = nd->lhs.is_var ? &l : &r;
		struct tg_buf *b = nd->lhs.is_var ? &lb : &rb;
		if (envside->n && envside->s[envside->n - 1] == '+') {
			rc = tg_buf_add(b, envside->s, envside->n, e->err);
			if (!rc)
				rc = tg_buf_adds(b, "local", e->err);
			if (rc)
				goto out;
			scratch_value(b, envside);
		}
	} else if (is_set_var(key)) {
		/* names on both sides compare normalised */
		if ((rc = tg_marker_normalize_extra(l.s, l.n, &lb, e->err)))
			goto out;
		scratch_value(&lb, &l);
	}

	if (is_version_var(key) && !r.is_set) {
		if ((rc = version_compare(e, &l, nd->op, &r, &done, result)))
			goto out;
		if (done)
			goto out;
	}
	switch (nd->op) {
	case TG_MO_IN:
	case TG_MO_NOT_IN:
		if (r.is_set) {
			bool found = false;
			for (i = 0; !found && i < r.n_items; i++) {
				tg_buf_reset(&spec_l);
				if ((rc = tg_marker_normalize_extra(r.items[i], strlen(r.items[i]),
								    &spec_l, e->err)))
					goto out;
				found = same(l.s, l.n, spec_l.data, spec_l.len);
			}
			*result = found;
		} else {
			*result = contains_bytes(r.s, r.n, l.s, l.n);
		}
		if (nd->op == TG_MO_NOT_IN)
			*result = !*result;
		break;
	case TG_MO_LT:
	case TG_MO_GT:
		*result = false; /* strings have no order here */
		break;
	case TG_MO_LE:
	case TG_MO_EQ:
	case TG_MO_GE:
		*result = !r.is_set && same(l.s, l.n, r.s, r.n);
		break;
	case TG_MO_NE:
		*result = r.is_set || !same(l.s, l.n, r.s, r.n);
		break;
	default:
		rc = tg_err_set(e->err, TG_EINVAL,
				"'%s' has no meaning for '%s' here: '%.*s' %s '%.*s' is not "
				"a version comparison", tg_marker_op_text(nd->op),
				tg_marker_var_name(key), (int)(l.n > 60 ? 60 : l.n), l.s,
				tg_marker_op_text(nd->op), (int)(r.n > 60 ? 60 : r.n),
				r.is_set ? "(set)" : r.s);
	}
out:
	tg_buf_release(&lb);
	tg_buf_release(&rb);
	tg_buf_release(&spec_l);
	return rc;
}

static int eval_node(struct ev *e, size_t idx, int depth, bool *result)
{
	const struct tg_marker_node *nd = &e->m->nodes[idx];
	bool any = false, group = true;
	size_t i;
	int rc;

	if (!nd->is_list)
		return compare(e, nd, result);
	if (depth > TG_MARKER_MAX_DEPTH + 1)
		return tg_err_set(e->err, TG_ELIMIT, "marker nested too deeply");
	/* groups separated by "or", each true when all its terms are */
	for (i = 0; i < nd->count; i++) {
		size_t c = nd->first + i;
		bool v;
		if (i && e->m->or_before[c]) {
			any = any || group;
			group = true;
		}
		if ((rc = eval_node(e, e->m->children[c], depth + 1, &v)))
			return rc;
		group = group && v;
	}
	*result = any || group;
	return 0;
}

int tg_marker_evaluate(const struct tg_marker *m, const struct tg_marker_env *env,
		       bool *result, struct tg_err *err)
{
	struct ev e = { .m = m, .env = env, .err = err };

	*result = true;
	if (m->n_nodes == 0)
		return 0;
	return eval_node(&e, m->root, 0, result);
}
