/* The database schema (version TG_DB_SCHEMA_VERSION).
 *
 * Shaped by the three readers: audit looks up affected entries by
 * (ecosystem, normalised name) and walks their ranges; vet streams names by
 * ecosystem; reports fetch advisories, alias groups, KEV and EPSS by id.
 * Child rows of an advisory or affected entry live in WITHOUT ROWID tables
 * keyed by (parent, position) so that one index seek returns them in file
 * order. docs/database.md describes every column. */
#include "db/db_internal.h"

const char tg_db_schema_sql[] =
	/* One row per imported feed: where it came from and how current it is. */
	"CREATE TABLE feeds("
	" name TEXT PRIMARY KEY,"
	" source TEXT NOT NULL,"
	" version TEXT,"
	" etag TEXT,"
	" last_modified TEXT,"
	" fetched INTEGER NOT NULL,"  /* Unix time the data was downloaded */
	" checked INTEGER NOT NULL,"  /* Unix time it was last confirmed current */
	" feed_date TEXT,"
	" records INTEGER NOT NULL,"
	" skipped INTEGER NOT NULL);"
	"CREATE TABLE info(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"

	"CREATE TABLE advisories("
	" adv INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"
	" feed TEXT NOT NULL,"
	" modified TEXT,"
	" published TEXT,"
	" withdrawn TEXT,"
	" summary TEXT,"
	" details TEXT,"
	" malicious INTEGER NOT NULL,"
	" db_severity TEXT,"
	" database_specific TEXT);"
	"CREATE TABLE aliases(adv INTEGER NOT NULL, seq INTEGER NOT NULL,"
	" alias TEXT NOT NULL, PRIMARY KEY(adv, seq)) WITHOUT ROWID;"
	"CREATE TABLE related(adv INTEGER NOT NULL, seq INTEGER NOT NULL,"
	" id TEXT NOT NULL, PRIMARY KEY(adv, seq)) WITHOUT ROWID;"
	"CREATE TABLE severities(adv INTEGER NOT NULL, seq INTEGER NOT NULL,"
	" type TEXT NOT NULL, score TEXT NOT NULL, PRIMARY KEY(adv, seq)) WITHOUT ROWID;"
	"CREATE TABLE refs(adv INTEGER NOT NULL, seq INTEGER NOT NULL,"
	" type TEXT, url TEXT NOT NULL, PRIMARY KEY(adv, seq)) WITHOUT ROWID;"

	"CREATE TABLE affected("
	" aff INTEGER PRIMARY KEY,"
	" adv INTEGER NOT NULL,"
	" seq INTEGER NOT NULL,"      /* position in the advisory's affected[] */
	" ecosystem TEXT NOT NULL,"   /* "PyPI", "npm" */
	" name TEXT NOT NULL,"        /* as written in the advisory */
	" norm_name TEXT NOT NULL,"
	" purl TEXT,"
	" database_specific TEXT,"
	" ecosystem_specific TEXT,"
	/* Explicit affected versions in file order, joined with '\n' (one
	 * read instead of hundreds of rows for the long PyPI lists). */
	" versions TEXT);"
	"CREATE TABLE ranges(aff INTEGER NOT NULL, seq INTEGER NOT NULL,"
	" type TEXT NOT NULL, repo TEXT, PRIMARY KEY(aff, seq)) WITHOUT ROWID;"
	"CREATE TABLE events(aff INTEGER NOT NULL, range_seq INTEGER NOT NULL,"
	" seq INTEGER NOT NULL, kind TEXT NOT NULL, version TEXT NOT NULL,"
	" PRIMARY KEY(aff, range_seq, seq)) WITHOUT ROWID;"

	/* Every advisory id and alias, with the number of its transitive group. */
	"CREATE TABLE alias_groups(id TEXT PRIMARY KEY, grp INTEGER NOT NULL,"
	" is_advisory INTEGER NOT NULL) WITHOUT ROWID;"

	"CREATE TABLE kev("
	" cve TEXT PRIMARY KEY,"
	" vendor_project TEXT,"
	" product TEXT,"
	" vulnerability_name TEXT,"
	" date_added TEXT,"
	" due_date TEXT,"
	" ransomware TEXT,"
	" short_description TEXT,"
	" required_action TEXT,"
	" notes TEXT,"
	" cwes TEXT) WITHOUT ROWID;"
	"CREATE TABLE epss(cve TEXT PRIMARY KEY, epss REAL NOT NULL,"
	" percentile REAL NOT NULL) WITHOUT ROWID;"

	/* Per-package records derived from the three tables above: one
	 * lookup gives the matcher a package's entries and an index of its
	 * versions lists (lib/db/pkg_record.h has the layout). */
	"CREATE TABLE pkg_index(ecosystem TEXT NOT NULL, norm_name TEXT NOT NULL,"
	" record BLOB NOT NULL, PRIMARY KEY(ecosystem, norm_name));"

	"CREATE TABLE names("
	" ecosystem TEXT NOT NULL,"
	" norm_name TEXT NOT NULL,"
	" name TEXT,"          /* as published; NULL when equal to norm_name */
	" latest_version TEXT,"
	" last_release TEXT,"  /* YYYY-MM */
	" rank INTEGER,"       /* PyPI popularity rank, 1 = most downloaded */
	" downloads INTEGER,"  /* npm downloads a month */
	" PRIMARY KEY(ecosystem, norm_name)) WITHOUT ROWID;";

const char tg_db_index_sql[] =
	"CREATE INDEX affected_by_name ON affected(ecosystem, norm_name);"
	"CREATE INDEX affected_by_adv ON affected(adv);"
	"CREATE INDEX aliases_by_alias ON aliases(alias);"
	"CREATE INDEX alias_groups_by_grp ON alias_groups(grp);"
	/* The KEV ids alone (a few pages instead of the whole catalogue):
	 * readers load them once to answer "not in KEV" without a query. */
	"CREATE INDEX kev_ids ON kev(cve);";
