/* Upstream index pages are untrusted input: parse arbitrary bytes as a
 * PEP 691 JSON page, a PEP 503 HTML page and project lists, then render
 * whatever parsed and parse the rendering again. */
#include <stdint.h>
#include <stdlib.h>

#include "tollgate/simple_index.h"

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_simple_project p, again;
	struct tg_buf out;
	struct tg_err err;
	char **names;
	size_t n;

	tg_simple_project_init(&p);
	if (tg_simple_parse_json((const char *)data, size, "https://h/simple/x/", "fuzz", &p, &err) == 0) {
		tg_buf_init(&out, 0);
		if (tg_simple_render_html(&p, NULL, NULL, &out, &err) == 0) {
			tg_simple_project_init(&again);
			if (tg_simple_parse_html(out.data, out.len, NULL, "r", "x", &again, &err) == 0 &&
			    again.n_files != p.n_files)
				abort(); /* every rendered file must parse back */
			tg_simple_project_release(&again);
		}
		tg_buf_reset(&out);
		if (tg_simple_render_json(&p, NULL, NULL, &out, &err) == 0) {
			tg_simple_project_init(&again);
			if (tg_simple_parse_json(out.data, out.len, NULL, "r", &again, &err) != 0 ||
			    again.n_files != p.n_files)
				abort();
			tg_simple_project_release(&again);
		}
		tg_buf_release(&out);
	}
	tg_simple_project_release(&p);
	tg_simple_project_init(&p);
	(void)tg_simple_parse_html((const char *)data, size, "https://h/simple/x/", "fuzz", "x", &p, &err);
	tg_simple_project_release(&p);
	if (tg_simple_parse_index_html((const char *)data, size, "fuzz", &names, &n, &err) == 0)
		free_names(names, n);
	else
		free_names(names, n);
	if (tg_simple_parse_index_json((const char *)data, size, "fuzz", &names, &n, &err) == 0)
		free_names(names, n);
	else
		free_names(names, n);
	return 0;
}
