/* `tollgate pep440`: PEP 440 versions and specifiers from the command line
 * (a testing aid: hidden from the overview). Batch mode answers thousands
 * of cases in one process so conformance suites run fast. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "tollgate/buf.h"
#include "tollgate/pep440.h"

#define LINE_MAX_BYTES 65536
#define FILTER_MAX 4096

enum action { ACT_COMPARE, ACT_CONTAINS, ACT_NORMALIZE, ACT_SPEC, ACT_FILTER };

/* One answer (or error) for one case; fields are NUL-terminated. */
struct answer {
	struct tg_buf out;
	struct tg_err err;
	bool failed;
};

static bool parse_mode(const char *s, enum tg_pre_mode *mode)
{
	if (strcmp(s, "") == 0 || strcmp(s, "auto") == 0)
		*mode = TG_PRE_AUTO;
	else if (strcmp(s, "pre") == 0)
		*mode = TG_PRE_INCLUDE;
	else if (strcmp(s, "nopre") == 0)
		*mode = TG_PRE_EXCLUDE;
	else
		return false;
	return true;
}

static int do_compare(const char *a, const char *b, struct answer *ans)
{
	int c, rc;

	if ((rc = tg_pep440_cmp_str(a, b, &c, &ans->err)))
		return rc;
	return tg_buf_adds(&ans->out, c < 0 ? "<" : c > 0 ? ">" : "=", &ans->err);
}

static int do_normalize(const char *s, struct answer *ans)
{
	struct tg_pep440 v;
	int rc;

	if ((rc = tg_pep440_parse_str(s, &v, &ans->err)))
		return rc;
	rc = tg_pep440_normalize(&v, &ans->out, &ans->err);
	tg_pep440_release(&v);
	return rc;
}

static int do_spec(const char *s, struct answer *ans)
{
	struct tg_pep440_specset set;
	int rc;

	if ((rc = tg_pep440_spec_parse(s, strlen(s), &set, &ans->err)))
		return rc;
	rc = tg_pep440_specset_format(&set, &ans->out, &ans->err);
	tg_pep440_specset_release(&set);
	return rc;
}

static int do_contains(const char *spec, const char *ver, enum tg_pre_mode mode,
		       struct answer *ans)
{
	struct tg_pep440_specset set;
	struct tg_err verr;
	bool valid, in;
	int rc;

	if ((rc = tg_pep440_spec_parse(spec, strlen(spec), &set, &ans->err)))
		return rc;
	in = tg_pep440_spec_contains_str(&set, ver, strlen(ver), mode, &valid);
	/* Only "===" (and the empty set) can say anything about a string that
	 * is not a version; elsewhere such a string is bad input. */
	if (!valid && !set.has_arbitrary && set.n > 0) {
		struct tg_pep440 v;
		rc = tg_pep440_parse_str(ver, &v, &verr);
		tg_pep440_release(&v);
		ans->err = verr;
		tg_pep440_specset_release(&set);
		return rc ? rc : tg_err_set(&ans->err, TG_EINTERNAL, "inconsistent parse");
	}
	tg_pep440_specset_release(&set);
	return tg_buf_adds(&ans->out, in ? "true" : "false", &ans->err);
}

static int do_filter(const char *spec, enum tg_pre_mode mode, char **cands,
		     size_t n, struct answer *ans)
{
	struct tg_pep440_specset set;
	size_t *lens = NULL, i, written = 0;
	bool *keep = NULL;
	int rc;

	if ((rc = tg_pep440_spec_parse(spec, strlen(spec), &set, &ans->err)))
		return rc;
	lens = calloc(n ? n : 1, sizeof(*lens));
	keep = calloc(n ? n : 1, sizeof(*keep));
	if (!lens || !keep) {
		rc = tg_err_set(&ans->err, TG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		lens[i] = strlen(cands[i]);
	tg_pep440_spec_filter(&set, (const char *const *)cands, lens, n, mode, keep);
	for (i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		if ((written++ && (rc = tg_buf_addc(&ans->out, '\t', &ans->err))) ||
		    (rc = tg_buf_adds(&ans->out, cands[i], &ans->err)))
			goto out;
	}
out:
	free(lens);
	free(keep);
	tg_pep440_specset_release(&set);
	return rc;
}

/* Split line at tabs in place; returns the field count (at most max). */
static size_t split_tabs(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		char *tab = strchr(p, '\t');
		if (n == max)
			return max + 1;
		fields[n++] = p;
		if (!tab)
			return n;
		*tab = '\0';
		p = tab + 1;
	}
}

static int run_case(enum action act, char **f, size_t nf, struct answer *ans)
{
	enum tg_pre_mode mode = TG_PRE_AUTO;

	switch (act) {
	case ACT_COMPARE:
		if (nf != 2)
			return tg_err_set(&ans->err, TG_EPARSE,
					  "expected 2 tab-separated versions, got %zu fields", nf);
		return do_compare(f[0], f[1], ans);
	case ACT_NORMALIZE:
		if (nf != 1)
			return tg_err_set(&ans->err, TG_EPARSE,
					  "expected 1 version, got %zu fields", nf);
		return do_normalize(f[0], ans);
	case ACT_SPEC:
		if (nf != 1)
			return tg_err_set(&ans->err, TG_EPARSE,
					  "expected 1 specifier set, got %zu fields", nf);
		return do_spec(f[0], ans);
	case ACT_CONTAINS:
		if (nf != 2 && nf != 3)
			return tg_err_set(&ans->err, TG_EPARSE,
					  "expected SPEC, VERSION and an optional mode, got %zu fields", nf);
		if (nf == 3 && !parse_mode(f[2], &mode))
			return tg_err_set(&ans->err, TG_EPARSE,
					  "mode must be 'pre', 'nopre' or 'auto', not '%s'", f[2]);
		return do_contains(f[0], f[1], mode, ans);
	case ACT_FILTER:
		if (nf < 2)
			return tg_err_set(&ans->err, TG_EPARSE,
					  "expected SPEC, mode and candidates, got %zu fields", nf);
		if (!parse_mode(f[1], &mode))
			return tg_err_set(&ans->err, TG_EPARSE,
					  "mode must be 'pre', 'nopre', 'auto' or empty, not '%s'", f[1]);
		return do_filter(f[0], mode, f + 2, nf - 2, ans);
	}
	return tg_err_set(&ans->err, TG_EINTERNAL, "unknown action");
}

static int run_batch(struct tg_cli *cli, enum action act)
{
	static char line[LINE_MAX_BYTES + 2];
	char *fields[FILTER_MAX + 2];
	unsigned long lineno = 0, bad = 0;
	struct answer ans;

	tg_buf_init(&ans.out, (size_t)LINE_MAX_BYTES * 2);
	while (fgets(line, sizeof(line), stdin)) {
		size_t len = strlen(line), nf;
		int rc;

		lineno++;
		tg_buf_reset(&ans.out);
		tg_err_clear(&ans.err);
		if (len && line[len - 1] == '\n') {
			line[--len] = '\0';
		} else if (!feof(stdin)) {
			int c;
			while ((c = getchar()) != EOF && c != '\n')
				;
			rc = tg_err_set(&ans.err, TG_ELIMIT,
					"line is longer than %d bytes", LINE_MAX_BYTES);
			goto report;
		}
		nf = split_tabs(line, fields, FILTER_MAX + 2);
		if (nf > FILTER_MAX + 2)
			rc = tg_err_set(&ans.err, TG_ELIMIT, "too many fields (at most %d)",
					FILTER_MAX + 2);
		else
			rc = run_case(act, fields, nf, &ans);
report:
		if (rc) {
			char msg[TG_ERR_MSG_MAX + 32];
			tg_err_format(&ans.err, msg, sizeof(msg));
			printf("error: line %lu: %s\n", lineno, msg);
			bad++;
		} else {
			printf("%s\n", ans.out.data);
		}
	}
	tg_buf_release(&ans.out);
	if (ferror(stdin)) {
		fprintf(stderr, "%s: error: reading standard input failed\n", cli->prog);
		return TG_EXIT_INPUT;
	}
	if (fflush(stdout) != 0)
		return TG_EXIT_INPUT;
	if (bad) {
		if (cli->verbosity >= 0)
			fprintf(stderr, "%s: %lu of %lu cases were invalid\n", cli->prog,
				bad, lineno);
		return TG_EXIT_INPUT;
	}
	return TG_EXIT_OK;
}

static int run_pep440(struct tg_cli *cli, int argc, char **argv)
{
	static const struct {
		const char *name;
		enum action act;
		int min, max; /* positional arguments */
	} acts[] = {
		{ "compare", ACT_COMPARE, 2, 2 },   { "contains", ACT_CONTAINS, 2, 2 },
		{ "normalize", ACT_NORMALIZE, 1, 1 }, { "spec", ACT_SPEC, 1, 1 },
		{ "filter", ACT_FILTER, 1, FILTER_MAX + 1 },
	};
	char *pos[FILTER_MAX + 2];
	enum tg_pre_mode mode = TG_PRE_AUTO;
	bool mode_given = false, dashdash = false;
	struct answer ans;
	size_t i, a, npos = 0;
	int rc;

	if (argc < 2)
		return cli_usage_error(cli, &tg_cmd_pep440, "expected an action");
	for (a = 0; a < sizeof(acts) / sizeof(acts[0]); a++)
		if (strcmp(argv[1], acts[a].name) == 0)
			break;
	if (a == sizeof(acts) / sizeof(acts[0]))
		return cli_usage_error(cli, &tg_cmd_pep440, "unknown action '%s'", argv[1]);
	for (i = 2; i < (size_t)argc; i++) {
		const char *s = argv[i];
		if (!dashdash && strcmp(s, "--") == 0) {
			dashdash = true;
		} else if (!dashdash && strcmp(s, "--pre") == 0) {
			mode = TG_PRE_INCLUDE;
			mode_given = true;
		} else if (!dashdash && strcmp(s, "--no-pre") == 0) {
			mode = TG_PRE_EXCLUDE;
			mode_given = true;
		} else if (!dashdash && s[0] == '-' && s[1] == '-') {
			return cli_usage_error(cli, &tg_cmd_pep440, "unknown option '%s'", s);
		} else {
			if (npos == FILTER_MAX + 1)
				return cli_usage_error(cli, &tg_cmd_pep440,
						       "too many arguments (at most %d)",
						       FILTER_MAX + 1);
			pos[npos++] = argv[i];
		}
	}
	if (mode_given && acts[a].act != ACT_CONTAINS && acts[a].act != ACT_FILTER)
		return cli_usage_error(cli, &tg_cmd_pep440,
				       "--pre and --no-pre apply to contains and filter");
	if (npos == 1 && strcmp(pos[0], "-") == 0) {
		if (mode_given)
			return cli_usage_error(cli, &tg_cmd_pep440,
					       "in batch mode the mode is a field of each line");
		return run_batch(cli, acts[a].act);
	}
	if ((int)npos < acts[a].min || (int)npos > acts[a].max)
		return cli_usage_error(cli, &tg_cmd_pep440,
				       "%s takes %d argument%s (or '-' for batch mode)",
				       acts[a].name, acts[a].min, acts[a].min == 1 ? "" : "s");
	tg_buf_init(&ans.out, (size_t)LINE_MAX_BYTES * 2);
	tg_err_clear(&ans.err);
	switch (acts[a].act) {
	case ACT_COMPARE: rc = do_compare(pos[0], pos[1], &ans); break;
	case ACT_NORMALIZE: rc = do_normalize(pos[0], &ans); break;
	case ACT_SPEC: rc = do_spec(pos[0], &ans); break;
	case ACT_CONTAINS: rc = do_contains(pos[0], pos[1], mode, &ans); break;
	case ACT_FILTER: rc = do_filter(pos[0], mode, pos + 1, npos - 1, &ans); break;
	default: rc = tg_err_set(&ans.err, TG_EINTERNAL, "unknown action"); break;
	}
	if (rc) {
		tg_buf_release(&ans.out);
		return cli_fail(cli, &ans.err);
	}
	if (acts[a].act == ACT_FILTER) {
		/* One kept version per line in single mode. */
		for (i = 0; i < ans.out.len; i++)
			if (ans.out.data[i] == '\t')
				ans.out.data[i] = '\n';
		if (ans.out.len)
			printf("%s\n", ans.out.data);
	} else {
		printf("%s\n", ans.out.data);
	}
	tg_buf_release(&ans.out);
	return fflush(stdout) == 0 ? TG_EXIT_OK : TG_EXIT_INPUT;
}

const struct tg_command tg_cmd_pep440 = {
	.name = "pep440",
	.summary = "PEP 440 versions and specifiers (testing aid)",
	.usage = "pep440 compare VERSION VERSION\n"
		 "pep440 contains SPECIFIERS VERSION [--pre | --no-pre]\n"
		 "pep440 normalize VERSION\n"
		 "pep440 spec SPECIFIERS\n"
		 "pep440 filter SPECIFIERS [VERSION...] [--pre | --no-pre]\n"
		 "pep440 ACTION -",
	.help =
	"Answers questions about Python package versions the way pip and\n"
	"packaging do (PEP 440).\n"
	"\n"
	"  compare A B     prints '<', '=' or '>' (1.0 = 1.0.0; 1.0.dev0 < 1.0a1\n"
	"                  < 1.0 < 1.0.post1; local labels sort last)\n"
	"  contains S V    prints 'true' or 'false': does version V satisfy the\n"
	"                  comma-separated specifiers S, e.g. '>=1.0,!=1.3.*'\n"
	"  normalize V     prints the canonical form ('V1.0-RC1' -> '1.0rc1')\n"
	"  spec S          checks S and prints it in canonical form (sorted,\n"
	"                  duplicates dropped)\n"
	"  filter S V...   prints the versions that S selects, one per line\n"
	"\n"
	"Pre-releases (a, b, rc and dev versions):\n"
	"  default         contains: a pre-release matches only when one of the\n"
	"                  specifiers names a pre-release ('>=2.0b1'); filter:\n"
	"                  the same, and pre-releases are also kept when no final\n"
	"                  release matches\n"
	"  --pre           pre-releases match like any version\n"
	"  --no-pre        pre-releases never match\n"
	"\n"
	"An invalid version or specifier exits with status 3 and a message\n"
	"naming the column. A VERSION that is not PEP 440 is only accepted by\n"
	"'===' (string equality) and by an empty SPECIFIERS.\n"
	"\n"
	"Batch mode: with '-' as the only argument, each line of standard input\n"
	"is one case with tab-separated fields, and one answer line is printed\n"
	"per case:\n"
	"  compare         A<TAB>B\n"
	"  contains        SPEC<TAB>VERSION[<TAB>MODE]\n"
	"  normalize       VERSION\n"
	"  spec            SPEC\n"
	"  filter          SPEC<TAB>MODE[<TAB>VERSION...]  (answer: the kept\n"
	"                  versions, tab-separated; empty line when none)\n"
	"MODE is 'pre' (like --pre), 'nopre' (like --no-pre), or 'auto' or empty\n"
	"(the default). An invalid case prints 'error: line N: ...' and the\n"
	"batch goes on; the exit status is then 3.\n",
	.run = run_pep440,
	.hidden = true,
};
