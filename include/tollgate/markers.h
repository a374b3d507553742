/* PEP 508 environment markers: parsing, printing, evaluation.
 *
 * The grammar and the printed form are those of packaging's Marker:
 * comparisons "VAR OP 'value'" or "'value' OP VAR" (variables:
 * python_version, python_full_version, os_name, sys_platform,
 * platform_release, platform_system, platform_version, platform_machine,
 * platform_python_implementation, implementation_name,
 * implementation_version, extra, and for lock files extras and
 * dependency_groups; the PEP 345 spellings os.name, sys.platform,
 * platform.version, platform.machine, platform.python_implementation and
 * setuptools' python_implementation are accepted and printed in the
 * modern form), operators < <= == != >= > ~= === in "not in", joined by
 * "and" (binding tighter) and "or", with parentheses. Quoted values are
 * Python string literals ('...' or "...", backslash escapes processed).
 *
 * Evaluation follows the current dependency-specifier rules as packaging
 * implements them: the version variables (python_version,
 * python_full_version, implementation_version, platform_release) compare
 * with PEP 440 semantics (pre-releases included) whenever "OP value" is a
 * valid version specifier; otherwise, and for every string variable, ==
 * and != compare strings, <= and >= mean ==, < and > are false, "in" is
 * substring (or set membership for extras / dependency_groups), and ~= or
 * === on strings are an error. extra values are compared PEP 503
 * normalised. Every comparison is evaluated (no short circuit), so an
 * error anywhere is reported.
 *
 * Ownership: a tg_marker owns all its nodes and strings;
 * tg_marker_release() frees them (safe on a zeroed or released marker).
 * A tg_marker_env holds pointers the caller keeps alive while evaluating.
 */
#ifndef TOLLGATE_MARKERS_H
#define TOLLGATE_MARKERS_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate/buf.h"
#include "tollgate/err.h"

#define TG_MARKER_MAX_DEPTH 64     /* nested parentheses */
#define TG_MARKER_MAX_NODES 4096   /* comparisons and groups in one marker */
#define TG_MARKER_MAX_LENGTH (64u * 1024u)

enum tg_marker_var {
	TG_MV_IMPLEMENTATION_NAME,
	TG_MV_IMPLEMENTATION_VERSION,
	TG_MV_OS_NAME,
	TG_MV_PLATFORM_MACHINE,
	TG_MV_PLATFORM_RELEASE,
	TG_MV_PLATFORM_SYSTEM,
	TG_MV_PLATFORM_VERSION,
	TG_MV_PYTHON_FULL_VERSION,
	TG_MV_PLATFORM_PYTHON_IMPLEMENTATION,
	TG_MV_PYTHON_VERSION,
	TG_MV_SYS_PLATFORM,
	TG_MV_EXTRA,
	TG_MV_EXTRAS,           /* a set (lock files) */
	TG_MV_DEPENDENCY_GROUPS, /* a set (lock files) */
	TG_MV_COUNT
};

/* Canonical name ("python_version"); lookup by exact canonical name. */
const char *tg_marker_var_name(enum tg_marker_var v);
bool tg_marker_var_lookup(const char *name, size_t n, enum tg_marker_var *out);

enum tg_marker_op {
	TG_MO_LT, TG_MO_LE, TG_MO_EQ, TG_MO_NE, TG_MO_GE, TG_MO_GT,
	TG_MO_COMPATIBLE, /* ~= */
	TG_MO_ARBITRARY,  /* === */
	TG_MO_IN,
	TG_MO_NOT_IN
};
const char *tg_marker_op_text(enum tg_marker_op op);

struct tg_marker_operand {
	bool is_var;
	enum tg_marker_var var; /* when is_var */
	char *text;             /* literal value (may hold NUL), when !is_var */
	size_t len;
};

/* A node is a comparison or a parenthesised / top-level list of nodes
 * joined by "and" / "or" (kept as written, as packaging keeps it). */
struct tg_marker_node {
	bool is_list;
	struct tg_marker_operand lhs, rhs; /* comparison */
	enum tg_marker_op op;
	size_t first, count; /* list: children[first .. first + count) */
};

struct tg_marker {
	struct tg_marker_node *nodes;
	size_t n_nodes, cap_nodes;
	size_t *children;  /* node indices */
	bool *or_before;   /* per child: joined to the previous one by "or" */
	size_t n_children, cap_children;
	size_t root;       /* a list node; meaningless when n_nodes == 0 */
};

/* Parse a whole marker expression s[0..n). Errors: TG_EPARSE (err->col is
 * the 1-based column, the message says what was expected), TG_ELIMIT. */
int tg_marker_parse(const char *s, size_t n, struct tg_marker *out,
		    struct tg_err *err);
/* Parse a marker starting at s[*pos] and stop where it ends (the caller
 * checks what follows); *pos is advanced. Columns count from s[0]. */
int tg_marker_parse_at(const char *s, size_t n, size_t *pos,
		       struct tg_marker *out, struct tg_err *err);
void tg_marker_release(struct tg_marker *m);

/* Append packaging's str(Marker): values in double quotes, single spaces,
 * extra values normalised. */
int tg_marker_format(const struct tg_marker *m, struct tg_buf *out,
		     struct tg_err *err);

/* The environment a marker is evaluated in. values[v] is NULL when v is
 * not defined (evaluating a marker that needs it is an error), except
 * extra, which NULL means "" (no extra requested). extras and
 * dependency_groups are sets, defined when has_extras / has_groups. */
struct tg_marker_env {
	const char *values[TG_MV_COUNT];
	const char *const *extras;
	size_t n_extras;
	bool has_extras;
	const char *const *groups;
	size_t n_groups;
	bool has_groups;
	/* Further string keys: a comparison of two literals looks its right
	 * side up as a key (packaging's behaviour), here or in values[]. */
	const char *const *custom_names;
	const char *const *custom_values;
	size_t n_custom;
	char store[192]; /* backing for values built by tg_marker_env_target */
};

/* Everything undefined. */
void tg_marker_env_init(struct tg_marker_env *env);
/* A typical CPython environment for python_version "X.Y" (or "X.Y.Z")
 * on platform "linux", "darwin" or "win32" (NULL keeps the current
 * values of a partially filled env); the fields such a choice does not
 * determine (platform_release, platform_version) are left as they are.
 * Errors: TG_EINVAL naming the bad value. */
int tg_marker_env_target(struct tg_marker_env *env, const char *python_version,
			 const char *platform, struct tg_err *err);

/* Evaluate. Errors: TG_EINVAL for a comparison that has no meaning
 * (~= or === on strings, extras compared as a string) or a variable the
 * environment does not define. */
int tg_marker_evaluate(const struct tg_marker *m, const struct tg_marker_env *env,
		       bool *result, struct tg_err *err);

/* PEP 503 normalisation of an extra name (runs of -_. become '-', ASCII
 * lowercase), appended to out. */
int tg_marker_normalize_extra(const char *s, size_t n, struct tg_buf *out,
			      struct tg_err *err);

#endif
