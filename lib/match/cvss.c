/* CVSS v3.0 / v3.1 base scores and CVSS v4.0 scores from vector strings.
 *
 * v3: the base equations of the FIRST v3.1 specification (section 7.1),
 * with v3.0's plain round-up and v3.1's floating-point-safe Roundup.
 * v4.0: the FIRST v4.0 specification's scoring (section 8): the vector is
 * reduced to a MacroVector of six equivalence classes, whose score comes
 * from the published lookup table; the final score interpolates towards
 * the next lower MacroVectors by the vector's severity distance from the
 * highest-severity vectors of its own MacroVector.
 */
#include "tollgate/cvss.h"

#include <math.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

#include "tollgate/str.h"

struct metric_def {
	const char *key;
	const char *values[6]; /* NULL-terminated */
	bool mandatory;
};

/* v3.x: base metrics (mandatory), then temporal and environmental ones,
 * accepted and validated but not scored. */
static const struct metric_def v3_metrics[] = {
	{ "AV", { "N", "A", "L", "P" }, true },
	{ "AC", { "L", "H" }, true },
	{ "PR", { "N", "L", "H" }, true },
	{ "UI", { "N", "R" }, true },
	{ "S", { "U", "C" }, true },
	{ "C", { "H", "L", "N" }, true },
	{ "I", { "H", "L", "N" }, true },
	{ "A", { "H", "L", "N" }, true },
	{ "E", { "X", "U", "P", "F", "H" }, false },
	{ "RL", { "X", "O", "T", "W", "U" }, false },
	{ "RC", { "X", "U", "R", "C" }, false },
	{ "CR", { "X", "L", "M", "H" }, false },
	{ "IR", { "X", "L", "M", "H" }, false },
	{ "AR", { "X", "L", "M", "H" }, false },
	{ "MAV", { "X", "N", "A", "L", "P" }, false },
	{ "MAC", { "X", "L", "H" }, false },
	{ "MPR", { "X", "N", "L", "H" }, false },
	{ "MUI", { "X", "N", "R" }, false },
	{ "MS", { "X", "U", "C" }, false },
	{ "MC", { "X", "N", "L", "H" }, false },
	{ "MI", { "X", "N", "L", "H" }, false },
	{ "MA", { "X", "N", "L", "H" }, false },
};

/* v4.0: 11 base metrics, then threat, environmental and supplemental.
 * The first value of an optional metric is its default. */
static const struct metric_def v4_metrics[] = {
	{ "AV", { "N", "A", "L", "P" }, true },
	{ "AC", { "L", "H" }, true },
	{ "AT", { "N", "P" }, true },
	{ "PR", { "N", "L", "H" }, true },
	{ "UI", { "N", "P", "A" }, true },
	{ "VC", { "H", "L", "N" }, true },
	{ "VI", { "H", "L", "N" }, true },
	{ "VA", { "H", "L", "N" }, true },
	{ "SC", { "H", "L", "N" }, true },
	{ "SI", { "H", "L", "N" }, true },
	{ "SA", { "H", "L", "N" }, true },
	{ "E", { "X", "A", "P", "U" }, false },
	{ "CR", { "X", "H", "M", "L" }, false },
	{ "IR", { "X", "H", "M", "L" }, false },
	{ "AR", { "X", "H", "M", "L" }, false },
	{ "MAV", { "X", "N", "A", "L", "P" }, false },
	{ "MAC", { "X", "L", "H" }, false },
	{ "MAT", { "X", "N", "P" }, false },
	{ "MPR", { "X", "N", "L", "H" }, false },
	{ "MUI", { "X", "N", "P", "A" }, false },
	{ "MVC", { "X", "H", "L", "N" }, false },
	{ "MVI", { "X", "H", "L", "N" }, false },
	{ "MVA", { "X", "H", "L", "N" }, false },
	{ "MSC", { "X", "H", "L", "N" }, false },
	{ "MSI", { "X", "S", "H", "L", "N" }, false },
	{ "MSA", { "X", "S", "H", "L", "N" }, false },
	{ "S", { "X", "N", "P" }, false },
	{ "AU", { "X", "N", "Y" }, false },
	{ "R", { "X", "A", "U", "I" }, false },
	{ "V", { "X", "D", "C" }, false },
	{ "RE", { "X", "L", "M", "H" }, false },
	{ "U", { "X", "Clear", "Green", "Amber", "Red" }, false },
};

#define N_V3 (sizeof(v3_metrics) / sizeof(v3_metrics[0]))
#define N_V4 (sizeof(v4_metrics) / sizeof(v4_metrics[0]))
#define MAX_METRICS N_V4

/* Parsed vector: the value chosen for each metric of the table (or the
 * default for an absent optional metric). */
struct parsed {
	const struct metric_def *defs;
	size_t n_defs;
	const char *val[MAX_METRICS];
};

static int parse_metrics(const char *body, const struct metric_def *defs,
			 size_t n_defs, struct parsed *out, struct tg_err *err)
{
	bool seen[MAX_METRICS] = { false };
	const char *p = body;
	size_t i;

	out->defs = defs;
	out->n_defs = n_defs;
	for (i = 0; i < n_defs; i++)
		out->val[i] = defs[i].mandatory ? NULL : defs[i].values[0];
	while (*p) {
		const char *seg_end = strchr(p, '/');
		const char *colon;
		size_t seg_len, key_len, val_len, d, v;

		if (!seg_end)
			seg_end = p + strlen(p);
		seg_len = (size_t)(seg_end - p);
		colon = memchr(p, ':', seg_len);
		if (seg_len == 0 || !colon)
			return tg_err_set(err, TG_EPARSE,
					  "CVSS vector: '%.*s' is not METRIC:VALUE",
					  (int)seg_len, p);
		key_len = (size_t)(colon - p);
		val_len = seg_len - key_len - 1;
		for (d = 0; d < n_defs; d++)
			if (strlen(defs[d].key) == key_len &&
			    memcmp(defs[d].key, p, key_len) == 0)
				break;
		if (d == n_defs)
			return tg_err_set(err, TG_EPARSE,
					  "CVSS vector: unknown metric '%.*s'",
					  (int)key_len, p);
		if (seen[d])
			return tg_err_set(err, TG_EPARSE,
					  "CVSS vector: metric '%s' given twice",
					  defs[d].key);
		seen[d] = true;
		for (v = 0; defs[d].values[v]; v++)
			if (strlen(defs[d].values[v]) == val_len &&
			    memcmp(defs[d].values[v], colon + 1, val_len) == 0)
				break;
		if (!defs[d].values[v])
			return tg_err_set(err, TG_EPARSE,
					  "CVSS vector: '%.*s' is not a value of metric '%s'",
					  (int)val_len, colon + 1, defs[d].key);
		out->val[d] = defs[d].values[v];
		p = *seg_end ? seg_end + 1 : seg_end;
		if (*seg_end && !*p)
			return tg_err_set(err, TG_EPARSE,
					  "CVSS vector: trailing '/'");
	}
	for (i = 0; i < n_defs; i++)
		if (defs[i].mandatory && !seen[i])
			return tg_err_set(err, TG_EPARSE,
					  "CVSS vector: base metric '%s' is missing",
					  defs[i].key);
	return 0;
}

static const char *get(const struct parsed *pv, const char *key)
{
	size_t i;

	for (i = 0; i < pv->n_defs; i++)
		if (strcmp(pv->defs[i].key, key) == 0)
			return pv->val[i];
	return "X";
}

static bool is(const struct parsed *pv, const char *key, const char *v)
{
	return strcmp(get(pv, key), v) == 0;
}

/* ---- v3.0 / v3.1 ---- */

/* v3.1 Roundup (Appendix A): works on an integer of 1e5 units so that
 * 4.000000000000001 is not rounded up to 4.1. */
static double roundup_v31(double x)
{
	long long i = llround(x * 100000.0);

	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

static double roundup_v30(double x)
{
	return ceil(x * 10.0) / 10.0;
}

static double cia_weight(const char *v)
{
	return v[0] == 'H' ? 0.56 : v[0] == 'L' ? 0.22 : 0.0;
}

static double score_v3(const struct parsed *pv, bool v31)
{
	bool changed = is(pv, "S", "C");
	const char *av = get(pv, "AV"), *pr = get(pv, "PR");
	double w_av, w_ac, w_pr, w_ui, iss, impact, expl, base;

	w_av = av[0] == 'N' ? 0.85 : av[0] == 'A' ? 0.62 : av[0] == 'L' ? 0.55 : 0.2;
	w_ac = is(pv, "AC", "L") ? 0.77 : 0.44;
	if (pr[0] == 'N')
		w_pr = 0.85;
	else if (pr[0] == 'L')
		w_pr = changed ? 0.68 : 0.62;
	else
		w_pr = changed ? 0.5 : 0.27;
	w_ui = is(pv, "UI", "N") ? 0.85 : 0.62;
	iss = 1.0 - (1.0 - cia_weight(get(pv, "C"))) *
			    (1.0 - cia_weight(get(pv, "I"))) *
			    (1.0 - cia_weight(get(pv, "A")));
	if (changed)
		impact = 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15);
	else
		impact = 6.42 * iss;
	expl = 8.22 * w_av * w_ac * w_pr * w_ui;
	if (impact <= 0)
		return 0.0;
	base = changed ? fmin(1.08 * (impact + expl), 10.0) : fmin(impact + expl, 10.0);
	return v31 ? roundup_v31(base) : roundup_v30(base);
}

/* ---- v4.0 ---- */

/* MacroVector scores from the FIRST CVSS v4.0 specification; the key is
 * EQ1 EQ2 EQ3 EQ4 EQ5 EQ6. MacroVectors that cannot occur are absent. */
static const struct {
	char key[7];
	double score;
} v4_lookup[] = {
	{ "000000", 10.0 }, { "000001", 9.9 }, { "000010", 9.8 }, { "000011", 9.5 },
	{ "000020", 9.5 }, { "000021", 9.2 }, { "000100", 10.0 }, { "000101", 9.6 },
	{ "000110", 9.3 }, { "000111", 8.7 }, { "000120", 9.1 }, { "000121", 8.1 },
	{ "000200", 9.3 }, { "000201", 9.0 }, { "000210", 8.9 }, { "000211", 8.0 },
	{ "000220", 8.1 }, { "000221", 6.8 }, { "001000", 9.8 }, { "001001", 9.5 },
	{ "001010", 9.5 }, { "001011", 9.2 }, { "001020", 9.0 }, { "001021", 8.4 },
	{ "001100", 9.3 }, { "001101", 9.2 }, { "001110", 8.9 }, { "001111", 8.1 },
	{ "001120", 8.1 }, { "001121", 6.5 }, { "001200", 8.8 }, { "001201", 8.0 },
	{ "001210", 7.8 }, { "001211", 7.0 }, { "001220", 6.9 }, { "001221", 4.8 },
	{ "002001", 9.2 }, { "002011", 8.2 }, { "002021", 7.2 }, { "002101", 7.9 },
	{ "002111", 6.9 }, { "002121", 5.0 }, { "002201", 6.9 }, { "002211", 5.5 },
	{ "002221", 2.7 }, { "010000", 9.9 }, { "010001", 9.7 }, { "010010", 9.5 },
	{ "010011", 9.2 }, { "010020", 9.2 }, { "010021", 8.5 }, { "010100", 9.5 },
	{ "010101", 9.1 }, { "010110", 9.0 }, { "010111", 8.3 }, { "010120", 8.4 },
	{ "010121", 7.1 }, { "010200", 9.2 }, { "010201", 8.1 }, { "010210", 8.2 },
	{ "010211", 7.1 }, { "010220", 7.2 }, { "010221", 5.3 }, { "011000", 9.5 },
	{ "011001", 9.3 }, { "011010", 9.2 }, { "011011", 8.5 }, { "011020", 8.5 },
	{ "011021", 7.3 }, { "011100", 9.2 }, { "011101", 8.2 }, { "011110", 8.0 },
	{ "011111", 7.2 }, { "011120", 7.0 }, { "011121", 5.9 }, { "011200", 8.4 },
	{ "011201", 7.0 }, { "011210", 7.1 }, { "011211", 5.2 }, { "011220", 5.0 },
	{ "011221", 3.0 }, { "012001", 8.6 }, { "012011", 7.5 }, { "012021", 5.2 },
	{ "012101", 7.1 }, { "012111", 5.2 }, { "012121", 2.9 }, { "012201", 6.3 },
	{ "012211", 2.9 }, { "012221", 1.7 }, { "100000", 9.8 }, { "100001", 9.5 },
	{ "100010", 9.4 }, { "100011", 8.7 }, { "100020", 9.1 }, { "100021", 8.1 },
	{ "100100", 9.4 }, { "100101", 8.9 }, { "100110", 8.6 }, { "100111", 7.4 },
	{ "100120", 7.7 }, { "100121", 6.4 }, { "100200", 8.7 }, { "100201", 7.5 },
	{ "100210", 7.4 }, { "100211", 6.3 }, { "100220", 6.3 }, { "100221", 4.9 },
	{ "101000", 9.4 }, { "101001", 8.9 }, { "101010", 8.8 }, { "101011", 7.7 },
	{ "101020", 7.6 }, { "101021", 6.7 }, { "101100", 8.6 }, { "101101", 7.6 },
	{ "101110", 7.4 }, { "101111", 5.8 }, { "101120", 5.9 }, { "101121", 5.0 },
	{ "101200", 7.2 }, { "101201", 5.7 }, { "101210", 5.7 }, { "101211", 5.2 },
	{ "101220", 5.2 }, { "101221", 2.5 }, { "102001", 8.3 }, { "102011", 7.0 },
	{ "102021", 5.4 }, { "102101", 6.5 }, { "102111", 5.8 }, { "102121", 2.6 },
	{ "102201", 5.3 }, { "102211", 2.1 }, { "102221", 1.3 }, { "110000", 9.5 },
	{ "110001", 9.0 }, { "110010", 8.8 }, { "110011", 7.6 }, { "110020", 7.6 },
	{ "110021", 7.0 }, { "110100", 9.0 }, { "110101", 7.7 }, { "110110", 7.5 },
	{ "110111", 6.2 }, { "110120", 6.1 }, { "110121", 5.3 }, { "110200", 7.7 },
	{ "110201", 6.6 }, { "110210", 6.8 }, { "110211", 5.9 }, { "110220", 5.2 },
	{ "110221", 3.0 }, { "111000", 8.9 }, { "111001", 7.8 }, { "111010", 7.6 },
	{ "111011", 6.7 }, { "111020", 6.2 }, { "111021", 5.8 }, { "111100", 7.4 },
	{ "111101", 5.9 }, { "111110", 5.7 }, { "111111", 5.7 }, { "111120", 4.7 },
	{ "111121", 2.3 }, { "111200", 6.1 }, { "111201", 5.2 }, { "111210", 5.7 },
	{ "111211", 2.9 }, { "111220", 2.4 }, { "111221", 1.6 }, { "112001", 7.1 },
	{ "112011", 5.9 }, { "112021", 3.0 }, { "112101", 5.8 }, { "112111", 2.6 },
	{ "112121", 1.5 }, { "112201", 2.3 }, { "112211", 1.3 }, { "112221", 0.6 },
	{ "200000", 9.3 }, { "200001", 8.7 }, { "200010", 8.6 }, { "200011", 7.2 },
	{ "200020", 7.5 }, { "200021", 5.8 }, { "200100", 8.6 }, { "200101", 7.4 },
	{ "200110", 7.4 }, { "200111", 6.1 }, { "200120", 5.6 }, { "200121", 3.4 },
	{ "200200", 7.0 }, { "200201", 5.4 }, { "200210", 5.2 }, { "200211", 4.0 },
	{ "200220", 4.0 }, { "200221", 2.2 }, { "201000", 8.5 }, { "201001", 7.5 },
	{ "201010", 7.4 }, { "201011", 5.5 }, { "201020", 6.2 }, { "201021", 5.1 },
	{ "201100", 7.2 }, { "201101", 5.7 }, { "201110", 5.5 }, { "201111", 4.1 },
	{ "201120", 4.6 }, { "201121", 1.9 }, { "201200", 5.3 }, { "201201", 3.6 },
	{ "201210", 3.4 }, { "201211", 1.9 }, { "201220", 1.9 }, { "201221", 0.8 },
	{ "202001", 6.4 }, { "202011", 5.1 }, { "202021", 2.0 }, { "202101", 4.7 },
	{ "202111", 2.1 }, { "202121", 1.1 }, { "202201", 2.4 }, { "202211", 0.9 },
	{ "202221", 0.4 }, { "210000", 8.8 }, { "210001", 7.5 }, { "210010", 7.3 },
	{ "210011", 5.3 }, { "210020", 6.0 }, { "210021", 5.0 }, { "210100", 7.3 },
	{ "210101", 5.5 }, { "210110", 5.9 }, { "210111", 4.0 }, { "210120", 4.1 },
	{ "210121", 2.0 }, { "210200", 5.4 }, { "210201", 4.3 }, { "210210", 4.5 },
	{ "210211", 2.2 }, { "210220", 2.0 }, { "210221", 1.1 }, { "211000", 7.5 },
	{ "211001", 5.5 }, { "211010", 5.8 }, { "211011", 4.5 }, { "211020", 4.0 },
	{ "211021", 2.1 }, { "211100", 6.1 }, { "211101", 5.1 }, { "211110", 4.8 },
	{ "211111", 1.8 }, { "211120", 2.0 }, { "211121", 0.9 }, { "211200", 4.6 },
	{ "211201", 1.8 }, { "211210", 1.7 }, { "211211", 0.7 }, { "211220", 0.8 },
	{ "211221", 0.2 }, { "212001", 5.3 }, { "212011", 2.4 }, { "212021", 1.4 },
	{ "212101", 2.4 }, { "212111", 1.2 }, { "212121", 0.5 }, { "212201", 1.0 },
	{ "212211", 0.3 }, { "212221", 0.1 },
};

static double v4_macro_score(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6)
{
	char key[7];
	size_t i;

	if (eq1 < 0 || eq2 < 0 || eq3 < 0 || eq4 < 0 || eq5 < 0 || eq6 < 0 ||
	    eq1 > 9 || eq2 > 9 || eq3 > 9 || eq4 > 9 || eq5 > 9 || eq6 > 9)
		return NAN;
	key[0] = (char)('0' + eq1);
	key[1] = (char)('0' + eq2);
	key[2] = (char)('0' + eq3);
	key[3] = (char)('0' + eq4);
	key[4] = (char)('0' + eq5);
	key[5] = (char)('0' + eq6);
	key[6] = '\0';
	for (i = 0; i < sizeof(v4_lookup) / sizeof(v4_lookup[0]); i++)
		if (memcmp(v4_lookup[i].key, key, 7) == 0)
			return v4_lookup[i].score;
	return NAN;
}

/* The value a metric has for scoring: a modified (M*) metric overrides
 * its base metric; absent threat and security-requirement metrics take
 * the worst case (E:A, CR/IR/AR:H). */
static const char *eff(const struct parsed *pv, const char *metric)
{
	char mkey[8];
	const char *v = get(pv, metric);

	if (strcmp(v, "X") == 0) {
		if (strcmp(metric, "E") == 0)
			return "A";
		if (strcmp(metric, "CR") == 0 || strcmp(metric, "IR") == 0 ||
		    strcmp(metric, "AR") == 0)
			return "H";
	}
	snprintf(mkey, sizeof(mkey), "M%s", metric);
	if (strcmp(get(pv, mkey), "X") != 0)
		return get(pv, mkey);
	return v;
}

static bool eff_is(const struct parsed *pv, const char *metric, const char *v)
{
	return strcmp(eff(pv, metric), v) == 0;
}

/* Severity level of a metric value: distance from the most severe value,
 * in steps of 0.1 (specification table 24's ordering). */
static double v4_level(const char *metric, const char *v)
{
	static const struct {
		const char *metric;
		const char *vals;    /* one letter per value, most severe first */
		double first;        /* level of the first letter */
	} levels[] = {
		{ "AV", "NALP", 0.0 }, { "PR", "NLH", 0.0 }, { "UI", "NPA", 0.0 },
		{ "AC", "LH", 0.0 },   { "AT", "NP", 0.0 },  { "VC", "HLN", 0.0 },
		{ "VI", "HLN", 0.0 },  { "VA", "HLN", 0.0 }, { "SC", "HLN", 0.1 },
		{ "SI", "SHLN", 0.0 }, { "SA", "SHLN", 0.0 }, { "CR", "HML", 0.0 },
		{ "IR", "HML", 0.0 },  { "AR", "HML", 0.0 }, { "E", "APU", 0.0 },
	};
	/* Written out rather than computed so that the sums below see the
	 * same doubles as the specification's reference calculator. */
	static const double steps[] = { 0.0, 0.1, 0.2, 0.3 };
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		const char *hit;

		if (strcmp(levels[i].metric, metric) != 0)
			continue;
		hit = strchr(levels[i].vals, v[0]);
		if (!hit || !v[0])
			return NAN;
		if (levels[i].first > 0.0)
			return steps[hit - levels[i].vals + 1];
		return steps[hit - levels[i].vals];
	}
	return NAN;
}

/* Highest-severity vectors of each EQ class (specification table 25). */
static const char *const eq1_max[3][3] = {
	{ "AV:N/PR:N/UI:N", NULL, NULL },
	{ "AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P" },
	{ "AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P", NULL },
};
static const char *const eq2_max[2][2] = {
	{ "AC:L/AT:N", NULL },
	{ "AC:H/AT:N", "AC:L/AT:P" },
};
/* [eq3][eq6] */
static const char *const eq3eq6_max[3][2][5] = {
	{ { "VC:H/VI:H/VA:H/CR:H/IR:H/AR:H", NULL },
	  { "VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M", NULL } },
	{ { "VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H", NULL },
	  { "VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
	    "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
	    "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M" } },
	{ { NULL }, { "VC:L/VI:L/VA:L/CR:H/IR:H/AR:H", NULL } },
};
static const char *const eq4_max[3] = { "SC:H/SI:S/SA:S", "SC:H/SI:H/SA:H",
					"SC:L/SI:L/SA:L" };
static const char *const eq5_max[3] = { "E:A", "E:P", "E:U" };

/* Depth of each MacroVector (specification: max severity distance + 1). */
static const int eq1_depth[3] = { 1, 4, 5 };
static const int eq2_depth[2] = { 1, 2 };
static const int eq3eq6_depth[3][2] = { { 7, 6 }, { 8, 8 }, { 0, 10 } };
static const int eq4_depth[3] = { 6, 5, 4 };

/* Value of metric in a "K:V/K:V" fragment list. */
static const char *frag_value(const char *const frags[5], const char *metric,
			      char *buf, size_t bufsz)
{
	size_t f, mlen = strlen(metric);

	for (f = 0; f < 5; f++) {
		const char *p = frags[f];

		while (p && *p) {
			const char *end = strchr(p, '/');
			size_t len = end ? (size_t)(end - p) : strlen(p);

			if (len > mlen && memcmp(p, metric, mlen) == 0 && p[mlen] == ':') {
				size_t vl = len - mlen - 1;
				if (vl >= bufsz)
					vl = bufsz - 1;
				memcpy(buf, p + mlen + 1, vl);
				buf[vl] = '\0';
				return buf;
			}
			p = end ? end + 1 : NULL;
		}
	}
	return "";
}

static const char *const dist_metrics[] = {
	"AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA",
	"CR", "IR", "AR", "E"
};
#define N_DIST (sizeof(dist_metrics) / sizeof(dist_metrics[0]))

static void distances(const struct parsed *pv, const char *const frags[5],
		      double out[N_DIST])
{
	size_t i;
	char buf[8];

	for (i = 0; i < N_DIST; i++)
		out[i] = v4_level(dist_metrics[i], eff(pv, dist_metrics[i])) -
			 v4_level(dist_metrics[i],
				  frag_value(frags, dist_metrics[i], buf, sizeof(buf)));
}

static double score_v4(const struct parsed *pv)
{
	static const char *const impact[] = { "VC", "VI", "VA", "SC", "SI", "SA" };
	int eq1, eq2, eq3, eq4, eq5, eq6;
	double value, lower1, lower2, lower36, lower4, lower5, d[N_DIST] = { 0 };
	double sum = 0.0, mean;
	int n_lower = 0;
	size_t i, a, b, c, e, f;
	bool found = false;
	const char *av, *pr, *ui;

	for (i = 0; i < 6; i++)
		if (!eff_is(pv, impact[i], "N"))
			break;
	if (i == 6)
		return 0.0;

	av = eff(pv, "AV");
	pr = eff(pv, "PR");
	ui = eff(pv, "UI");
	if (av[0] == 'N' && pr[0] == 'N' && ui[0] == 'N')
		eq1 = 0;
	else if ((av[0] == 'N' || pr[0] == 'N' || ui[0] == 'N') && av[0] != 'P')
		eq1 = 1;
	else
		eq1 = 2;
	eq2 = eff_is(pv, "AC", "L") && eff_is(pv, "AT", "N") ? 0 : 1;
	if (eff_is(pv, "VC", "H") && eff_is(pv, "VI", "H"))
		eq3 = 0;
	else if (eff_is(pv, "VC", "H") || eff_is(pv, "VI", "H") || eff_is(pv, "VA", "H"))
		eq3 = 1;
	else
		eq3 = 2;
	if (is(pv, "MSI", "S") || is(pv, "MSA", "S"))
		eq4 = 0;
	else if (eff_is(pv, "SC", "H") || eff_is(pv, "SI", "H") || eff_is(pv, "SA", "H"))
		eq4 = 1;
	else
		eq4 = 2;
	eq5 = eff_is(pv, "E", "A") ? 0 : eff_is(pv, "E", "P") ? 1 : 2;
	eq6 = (eff_is(pv, "CR", "H") && eff_is(pv, "VC", "H")) ||
	      (eff_is(pv, "IR", "H") && eff_is(pv, "VI", "H")) ||
	      (eff_is(pv, "AR", "H") && eff_is(pv, "VA", "H")) ? 0 : 1;

	value = v4_macro_score(eq1, eq2, eq3, eq4, eq5, eq6);
	if (isnan(value))
		return NAN;
	lower1 = v4_macro_score(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
	lower2 = v4_macro_score(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
	if (eq3 == 0 && eq6 == 0) {
		/* Two lower neighbours; the nearer (higher) one counts. */
		double l = v4_macro_score(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
		double r = v4_macro_score(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
		lower36 = (isnan(l) || isnan(r)) ? NAN : fmax(l, r);
	} else if (eq3 == 1 && eq6 == 0) {
		lower36 = v4_macro_score(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
	} else if (eq6 == 1 && eq3 < 2) {
		lower36 = v4_macro_score(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
	} else {
		lower36 = NAN;
	}
	lower4 = v4_macro_score(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
	lower5 = v4_macro_score(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

	/* The first highest-severity vector that the scored vector does not
	 * exceed in any metric; the reference keeps the last one tried when
	 * none qualifies, and so do we. */
	for (a = 0; a < 3 && !found && eq1_max[eq1][a]; a++)
		for (b = 0; b < 2 && !found && eq2_max[eq2][b]; b++)
			for (c = 0; c < 5 && !found && eq3eq6_max[eq3][eq6][c]; c++)
				for (e = 0; e < 1 && !found; e++)
					for (f = 0; f < 1 && !found; f++) {
						const char *frags[5] = {
							eq1_max[eq1][a], eq2_max[eq2][b],
							eq3eq6_max[eq3][eq6][c], eq4_max[eq4],
							eq5_max[eq5]
						};
						size_t k;

						distances(pv, frags, d);
						for (k = 0; k < N_DIST; k++)
							if (!(d[k] >= 0))
								break;
						found = k == N_DIST;
					}

	if (!isnan(lower1)) {
		n_lower++;
		sum += (value - lower1) * ((d[0] + d[1] + d[2]) / (eq1_depth[eq1] * 0.1));
	}
	if (!isnan(lower2)) {
		n_lower++;
		sum += (value - lower2) * ((d[3] + d[4]) / (eq2_depth[eq2] * 0.1));
	}
	if (!isnan(lower36)) {
		n_lower++;
		sum += (value - lower36) *
		       ((d[5] + d[6] + d[7] + d[11] + d[12] + d[13]) /
			(eq3eq6_depth[eq3][eq6] * 0.1));
	}
	if (!isnan(lower4)) {
		n_lower++;
		sum += (value - lower4) * ((d[8] + d[9] + d[10]) / (eq4_depth[eq4] * 0.1));
	}
	if (!isnan(lower5))
		n_lower++; /* EQ5's proportion is always 0 */
	mean = n_lower ? sum / n_lower : 0.0;
	value = fmax(0.0, fmin(10.0, value - mean));
	return floor(value * 10.0 + 0.5) / 10.0;
}

int tg_cvss_score(const char *vector, double *score,
		  enum tg_cvss_version *version, struct tg_err *err)
{
	struct parsed pv;
	enum tg_cvss_version ver;
	const char *body;
	double s;
	int rc;

	*score = -1.0;
	if (version)
		*version = TG_CVSS_UNKNOWN;
	if (!vector || strlen(vector) > TG_CVSS_MAX_VECTOR)
		return tg_err_set(err, TG_EPARSE, "CVSS vector missing or too long");
	if (tg_str_starts_with(vector, "CVSS:3.0/"))
		ver = TG_CVSS_V30;
	else if (tg_str_starts_with(vector, "CVSS:3.1/"))
		ver = TG_CVSS_V31;
	else if (tg_str_starts_with(vector, "CVSS:4.0/"))
		ver = TG_CVSS_V40;
	else
		return tg_err_set(err, TG_EPARSE,
				  "CVSS vector does not start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/");
	body = vector + strlen("CVSS:3.0/");
	if (ver == TG_CVSS_V40)
		rc = parse_metrics(body, v4_metrics, N_V4, &pv, err);
	else
		rc = parse_metrics(body, v3_metrics, N_V3, &pv, err);
	if (rc)
		return rc;
	s = ver == TG_CVSS_V40 ? score_v4(&pv) : score_v3(&pv, ver == TG_CVSS_V31);
	if (isnan(s))
		return tg_err_set(err, TG_EINTERNAL, "CVSS v4.0 MacroVector not in table");
	*score = s;
	if (version)
		*version = ver;
	return 0;
}

enum tg_severity tg_cvss_severity(double score)
{
	if (score < 0 || isnan(score))
		return TG_SEV_UNKNOWN;
	if (score == 0.0)
		return TG_SEV_NONE;
	if (score < 4.0)
		return TG_SEV_LOW;
	if (score < 7.0)
		return TG_SEV_MEDIUM;
	if (score < 9.0)
		return TG_SEV_HIGH;
	return TG_SEV_CRITICAL;
}

const char *tg_cvss_version_name(enum tg_cvss_version v)
{
	switch (v) {
	case TG_CVSS_V30: return "3.0";
	case TG_CVSS_V31: return "3.1";
	case TG_CVSS_V40: return "4.0";
	case TG_CVSS_UNKNOWN: break;
	}
	return "unknown";
}
