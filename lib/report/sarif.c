/* SARIF 2.1.0: one run, one rule per advisory id (plus two rules for
 * packages that could not be checked), one result per finding located
 * at the line of the lockfile or requirements file that pins it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_util.h"
#include "tollgate/hash.h"
#include "tollgate/report.h"
#include "tollgate/str.h"

#define SARIF_SCHEMA \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define RULE_UNPINNED "TG-NOT-CHECKED-UNPINNED"
#define RULE_UNKNOWN "TG-NOT-CHECKED-VERSION"

static const char *level_of(const struct tg_finding *f)
{
	if (tg_finding_is_note(f))
		return "note";
	if (f->kind == TG_FIND_MALICIOUS)
		return "error";
	switch (f->severity) {
	case TG_SEV_CRITICAL:
	case TG_SEV_HIGH: return "error";
	case TG_SEV_LOW:
	case TG_SEV_NONE: return "note";
	case TG_SEV_MEDIUM:
	case TG_SEV_UNKNOWN: break;
	}
	return "warning";
}

/* artifactLocation.uri is a URI reference: keep paths readable but
 * percent-encode what a URI cannot hold. */
static char *path_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct tg_buf b;
	struct tg_err err;
	const unsigned char *p;

	tg_buf_init(&b, 1 << 16);
	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/!$&'()*+,;=:@", *p)) {
			if (tg_buf_addc(&b, (char)*p, &err))
				goto fail;
		} else if (tg_buf_addf(&b, &err, "%%%c%c", hex[*p >> 4], hex[*p & 15])) {
			goto fail;
		}
	}
	return tg_buf_detach(&b, NULL);
fail:
	tg_buf_release(&b);
	return NULL;
}

static const char *rule_id(const struct tg_finding *f)
{
	if (f->kind == TG_FIND_UNPINNED)
		return RULE_UNPINNED;
	if (f->kind == TG_FIND_UNKNOWN_VERSION)
		return RULE_UNKNOWN;
	return f->id ? f->id : "TG-UNKNOWN";
}

static json_t *text(const char *s)
{
	json_t *o = json_object();
	bool ok = true;

	tg_jset(o, "text", json_string(s && *s ? s : "-"), &ok);
	return o;
}

static json_t *make_rule(const struct tg_finding *f, bool *ok)
{
	json_t *r = json_object(), *props, *tags, *cfg;
	char url[512], sev[16];
	const char *u;

	tg_jset(r, "id", json_string(rule_id(f)), ok);
	if (f->kind == TG_FIND_UNPINNED) {
		tg_jset(r, "name", json_string("NotCheckedUnpinned"), ok);
		tg_jset(r, "shortDescription",
			text("Package not checked: no exact version"), ok);
		tg_jset(r, "fullDescription",
			text("The package has no exact version (only a range, a URL or nothing), so it cannot be matched against advisories. Pin it to check it."), ok);
	} else if (f->kind == TG_FIND_UNKNOWN_VERSION) {
		tg_jset(r, "name", json_string("NotCheckedInvalidVersion"), ok);
		tg_jset(r, "shortDescription",
			text("Package not checked: version does not parse"), ok);
		tg_jset(r, "fullDescription",
			text("The package's version is not valid for its ecosystem, so the ranges of its advisories cannot be evaluated."), ok);
	} else {
		tg_jset(r, "name", json_string(f->kind == TG_FIND_MALICIOUS
					       ? "MaliciousPackage" : "VulnerableDependency"), ok);
		tg_jset(r, "shortDescription", text(f->summary ? f->summary : f->id), ok);
		tg_jset(r, "fullDescription", text(f->details ? f->details : f->summary), ok);
		u = tg_report_advisory_url(f->id, url, sizeof(url));
		if (u)
			tg_jset(r, "helpUri", json_string(u), ok);
	}
	cfg = json_object();
	tg_jset(cfg, "level", json_string(level_of(f)), ok);
	tg_jset(r, "defaultConfiguration", cfg, ok);
	props = json_object();
	tags = json_array();
	tg_jpush(tags, json_string("security"), ok);
	tg_jpush(tags, json_string(tg_finding_is_note(f) ? "not-checked"
				   : f->kind == TG_FIND_MALICIOUS ? "malware"
				   : "vulnerability"), ok);
	tg_jset(props, "tags", tags, ok);
	if (f->cvss >= 0) {
		/* GitHub code scanning reads this to rank alerts. */
		snprintf(sev, sizeof(sev), "%.1f", f->cvss);
		tg_jset(props, "security-severity", json_string(sev), ok);
	}
	if (tg_finding_is_vuln(f)) {
		json_t *al = json_array();
		size_t i;

		for (i = 0; i < f->n_aliases; i++)
			tg_jpush(al, json_string(f->aliases[i]), ok);
		tg_jset(props, "aliases", al, ok);
		tg_jset(props, "severity", json_string(tg_severity_name(f->severity)), ok);
	}
	tg_jset(r, "properties", props, ok);
	return r;
}

static char *message_for(const struct tg_finding *f)
{
	if (tg_finding_is_note(f))
		return tg_asprintf("%s: %s", f->package ? f->package : "package",
				   f->summary ? f->summary : "not checked");
	return tg_asprintf("%s %s is affected by %s%s%s.%s%s%s",
			   f->package ? f->package : "?", f->version ? f->version : "",
			   f->id ? f->id : "an advisory",
			   f->summary ? ": " : "", f->summary ? f->summary : "",
			   f->fixed_version ? " Upgrade to " : " No fixed version is known.",
			   f->fixed_version ? f->fixed_version : "",
			   f->fixed_version ? "." : "");
}

static json_t *location(const struct tg_finding *f, bool *ok)
{
	json_t *loc = json_object(), *phys = json_object(), *art = json_object(),
	       *region, *logical = json_array(), *ll = json_object();
	char *uri = path_uri(f->origin_path);

	tg_jset(art, "uri", uri ? json_string(uri) : json_string("unknown"), ok);
	free(uri);
	tg_jset(phys, "artifactLocation", art, ok);
	if (f->origin_line) {
		region = json_object();
		tg_jset(region, "startLine", json_integer((json_int_t)f->origin_line), ok);
		tg_jset(phys, "region", region, ok);
	}
	tg_jset(loc, "physicalLocation", phys, ok);
	tg_jset(ll, "name", json_string(f->package ? f->package : "?"), ok);
	tg_jset(ll, "kind", json_string("module"), ok);
	tg_jpush(logical, ll, ok);
	tg_jset(loc, "logicalLocations", logical, ok);
	return loc;
}

/* Stable across runs for the same package, version and advisory, so
 * that code-scanning services track one alert per finding. */
static json_t *fingerprint(const struct tg_finding *f, bool *ok)
{
	unsigned char d[TG_SHA256_LEN];
	char hex[2 * TG_SHA256_LEN + 1];
	char *key = tg_asprintf("%s\n%s\n%s\n%s", tg_ecosystem_name(f->eco),
				f->package ? f->package : "",
				f->version ? f->version : "", rule_id(f));
	json_t *o = json_object();
	struct tg_err err;

	if (!key || tg_sha256(key, strlen(key), d, &err) != 0) {
		free(key);
		*ok = false;
		return o;
	}
	free(key);
	tg_hex_encode(d, sizeof(d), hex);
	tg_jset(o, "tollgate/v1", json_string(hex), ok);
	return o;
}

int tg_report_write_sarif(const struct tg_report *r, const struct tg_report_opts *opts,
			  struct tg_buf *out, struct tg_err *err)
{
	json_t *root = json_object(), *runs = json_array(), *run = json_object(),
	       *tool = json_object(), *driver = json_object(), *rules = json_array(),
	       *results = json_array(), *props;
	const char **rule_ids = NULL;
	size_t n_rules = 0, i, j;
	bool ok = true;
	int rc;

	(void)opts;
	rule_ids = calloc(r->n_findings ? r->n_findings : 1, sizeof(*rule_ids));
	if (!rule_ids) {
		json_decref(root);
		json_decref(runs);
		json_decref(run);
		json_decref(tool);
		json_decref(driver);
		json_decref(rules);
		json_decref(results);
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	}
	tg_jset(root, "$schema", json_string(SARIF_SCHEMA), &ok);
	tg_jset(root, "version", json_string("2.1.0"), &ok);
	tg_jset(driver, "name", json_string("tollgate"), &ok);
	tg_jset(driver, "version", tg_jstr(r->tool_version ? r->tool_version : "0"), &ok);

	for (i = 0; i < r->n_findings; i++) {
		const struct tg_finding *f = &r->findings[i];
		const char *id;
		json_t *res, *locs, *sup;
		char *msg;

		if (!tg_finding_is_vuln(f) && !tg_finding_is_note(f))
			continue;
		id = rule_id(f);
		for (j = 0; j < n_rules; j++)
			if (strcmp(rule_ids[j], id) == 0)
				break;
		if (j == n_rules) {
			rule_ids[n_rules++] = id;
			tg_jpush(rules, make_rule(f, &ok), &ok);
		}
		res = json_object();
		tg_jset(res, "ruleId", json_string(id), &ok);
		tg_jset(res, "ruleIndex", json_integer((json_int_t)j), &ok);
		tg_jset(res, "level", json_string(level_of(f)), &ok);
		msg = message_for(f);
		if (!msg)
			ok = false;
		tg_jset(res, "message", text(msg), &ok);
		free(msg);
		locs = json_array();
		tg_jpush(locs, location(f, &ok), &ok);
		tg_jset(res, "locations", locs, &ok);
		tg_jset(res, "partialFingerprints", fingerprint(f, &ok), &ok);
		if (f->ignored) {
			json_t *s = json_object();

			sup = json_array();
			tg_jset(s, "kind", json_string("external"), &ok);
			tg_jset(s, "status", json_string("accepted"), &ok);
			tg_jset(s, "justification", tg_jstr(f->ignore_reason), &ok);
			tg_jpush(sup, s, &ok);
			tg_jset(res, "suppressions", sup, &ok);
		}
		props = json_object();
		tg_jset(props, "package", tg_jstr(f->package), &ok);
		tg_jset(props, "version", tg_jstr(f->version), &ok);
		tg_jset(props, "ecosystem", json_string(tg_ecosystem_name(f->eco)), &ok);
		if (tg_finding_is_vuln(f)) {
			tg_jset(props, "fixedVersion", tg_jstr(f->fixed_version), &ok);
			tg_jset(props, "kev", json_boolean(f->kev), &ok);
			if (f->epss >= 0)
				tg_jset(props, "epss", json_real(f->epss), &ok);
			tg_jset(props, "priority", json_real(f->priority), &ok);
		}
		tg_jset(res, "properties", props, &ok);
		tg_jpush(results, res, &ok);
	}
	free(rule_ids);
	tg_jset(driver, "rules", rules, &ok);
	tg_jset(tool, "driver", driver, &ok);
	tg_jset(run, "tool", tool, &ok);
	tg_jset(run, "results", results, &ok);
	tg_jset(run, "columnKind", json_string("unicodeCodePoints"), &ok);
	{
		/* Policy warnings (an expired ignore) are configuration
		 * notifications of the run. */
		json_t *invs = json_array(), *inv = json_object(), *notes = json_array();

		for (i = 0; i < r->n_warnings; i++) {
			json_t *n = json_object();

			tg_jset(n, "level", json_string("warning"), &ok);
			tg_jset(n, "message", text(r->warnings[i]), &ok);
			tg_jpush(notes, n, &ok);
		}
		tg_jset(inv, "executionSuccessful", json_true(), &ok);
		tg_jset(inv, "toolConfigurationNotifications", notes, &ok);
		tg_jpush(invs, inv, &ok);
		tg_jset(run, "invocations", invs, &ok);
	}
	props = json_object();
	tg_jset(props, "packagesScanned",
		json_integer((json_int_t)tg_report_packages_scanned(r)), &ok);
	tg_jset(props, "failOn", tg_jstr(r->fail_on), &ok);
	tg_jset(props, "policyFailed", json_boolean(r->policy_failed), &ok);
	tg_jset(run, "properties", props, &ok);
	tg_jpush(runs, run, &ok);
	tg_jset(root, "runs", runs, &ok);
	if (!ok) {
		json_decref(root);
		return tg_err_set(err, TG_ENOMEM, "out of memory building the SARIF report");
	}
	rc = tg_json_emit(root, out, err);
	json_decref(root);
	return rc;
}
