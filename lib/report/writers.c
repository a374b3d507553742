/* The table of report writers. Adding a format is one file and one line
 * here. */
#include "tollgate/report.h"

#include "tollgate/str.h"

static const struct tg_report_writer w_table = {
	"table", "aligned columns for a terminal (default)", ".txt", tg_report_write_table, false
};
static const struct tg_report_writer w_json = {
	"json", "the documented JSON report (docs/json-schema.md)", ".json", tg_report_write_json, true
};
static const struct tg_report_writer w_sarif = {
	"sarif", "SARIF 2.1.0 for code-scanning services", ".sarif", tg_report_write_sarif, true
};
static const struct tg_report_writer w_cyclonedx = {
	"cyclonedx", "CycloneDX 1.6 BOM with VEX vulnerabilities", ".cdx.json",
	tg_report_write_cyclonedx, true
};
static const struct tg_report_writer w_markdown = {
	"markdown", "a pull-request comment", ".md", tg_report_write_markdown, false
};
static const struct tg_report_writer w_html = {
	"html", "one self-contained page, sortable and filterable", ".html",
	tg_report_write_html, true
};

const struct tg_report_writer *const tg_report_writers[] = {
	&w_table, &w_json, &w_sarif, &w_cyclonedx, &w_markdown, &w_html, NULL
};

const struct tg_report_writer *tg_report_writer_find(const char *name)
{
	size_t i;

	if (tg_ascii_casecmp(name, "cdx") == 0)
		name = "cyclonedx";
	else if (tg_ascii_casecmp(name, "md") == 0)
		name = "markdown";
	for (i = 0; tg_report_writers[i]; i++)
		if (tg_ascii_casecmp(tg_report_writers[i]->name, name) == 0)
			return tg_report_writers[i];
	return NULL;
}
