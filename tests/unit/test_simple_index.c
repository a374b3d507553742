/* Simple-index pages: parse real PEP 503 HTML and PEP 691 JSON pages saved
 * from PyPI by pip's and Poetry's test suites, render them back, and
 * negotiate the representation from Accept headers as pip and uv send
 * them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate/fs.h"
#include "tollgate/simple_index.h"
#include "tollgate/str.h"

#define SAMPLES "tests/data/third_party/pep-samples/"

static void load(const char *path, struct tg_buf *b)
{
	struct tg_err err;

	tg_buf_init(b, 0);
	assert_int_equal(tg_read_file(path, 1 << 24, b, &err), 0);
}

static const struct tg_simple_file *by_name(const struct tg_simple_project *p,
					    const char *fn)
{
	for (size_t i = 0; i < p->n_files; i++)
		if (strcmp(p->files[i].filename, fn) == 0)
			return &p->files[i];
	fail_msg("file %s not found", fn);
	return NULL;
}

static const char *pin(const struct tg_simple_file *f, const char *alg)
{
	for (size_t i = 0; i < f->n_hashes; i++)
		if (strcmp(f->hashes[i].alg, alg) == 0)
			return f->hashes[i].hex;
	return NULL;
}

static void html_and_json_agree_for_black(void **state)
{
	struct tg_simple_project h, j;
	struct tg_buf bh, bj;
	struct tg_err err;
	const struct tg_simple_file *f;

	(void)state;
	load(SAMPLES "poetry/pep503-simple-html/black.html", &bh);
	load(SAMPLES "poetry/pep691-simple-json/black.json", &bj);
	tg_simple_project_init(&h);
	tg_simple_project_init(&j);
	assert_int_equal(tg_simple_parse_html(bh.data, bh.len, "https://pypi.org/simple/black/",
					      "black.html", "black", &h, &err), 0);
	assert_int_equal(tg_simple_parse_json(bj.data, bj.len, "https://pypi.org/simple/black/",
					      "black.json", &j, &err), 0);
	assert_int_equal(h.n_files, 4);
	assert_int_equal(j.n_files, 4);
	assert_string_equal(j.api_version, "1.4");
	assert_true(j.has_versions);
	assert_int_equal(j.n_versions, 2);
	for (size_t i = 0; i < h.n_files; i++) {
		const struct tg_simple_file *a = &h.files[i];
		const struct tg_simple_file *b = by_name(&j, a->filename);
		assert_string_equal(pin(a, "sha256"), pin(b, "sha256"));
		assert_string_equal(a->url, b->url);
		assert_int_equal(a->yanked, b->yanked);
	}
	/* HTML attribute entities are decoded; yanked carries its reason. */
	f = by_name(&h, "black-19.10b0.tar.gz");
	assert_string_equal(f->requires_python, ">=3.6");
	assert_false(f->yanked);
	assert_int_equal(f->size, -1); /* HTML does not say: stays unknown */
	f = by_name(&h, "black-21.11b0-py3-none-any.whl");
	assert_true(f->yanked);
	assert_string_equal(f->yanked_reason, "Broken regex dependency. Use 21.11b1 instead.");
	f = by_name(&j, "black-19.10b0-py36-none-any.whl");
	assert_int_equal(f->size, 97525);
	assert_string_equal(f->upload_time, "2019-10-28T23:53:54.000711Z");
	assert_true(f->core_metadata);
	assert_string_equal(f->metadata_hashes[0].hex,
			    "256c27c1f5cc5c7bad6049ff2c339ac9419f5fc00eddbb895cf4780d7b6752b3");
	assert_non_null(pin(f, "md5"));
	tg_simple_project_release(&h);
	tg_simple_project_release(&j);
	tg_buf_release(&bh);
	tg_buf_release(&bj);
}

static void relative_links_resolve_against_the_page(void **state)
{
	struct tg_simple_project p;
	struct tg_buf b;
	struct tg_err err;

	(void)state;
	load(SAMPLES "poetry/pep503-simple-html/relative.html", &b);
	tg_simple_project_init(&p);
	assert_int_equal(tg_simple_parse_html(b.data, b.len, "https://index.example/simple/poetry/",
					      "relative.html", "poetry", &p, &err), 0);
	assert_int_equal(p.n_files, 3);
	assert_string_equal(p.files[0].url, "https://index.example/simple/poetry/poetry-0.1.0-py3-none-any.whl");
	assert_string_equal(pin(&p.files[0], "sha256"),
			    "1d85132efab8ead3c6f69202843da40a03823992091c29f8d65a31af68940163");
	tg_simple_project_release(&p);
	tg_buf_release(&b);

	load(SAMPLES "pip-indexes/yanked/simple/index.html", &b);
	tg_simple_project_init(&p);
	assert_int_equal(tg_simple_parse_html(b.data, b.len, "https://h.example/a/b/simple/",
					      "index.html", "simple", &p, &err), 0);
	assert_int_equal(p.n_files, 3);
	assert_string_equal(p.files[0].url, "https://h.example/packages/simple-1.0.tar.gz");
	assert_true(p.files[2].yanked);
	assert_string_equal(p.files[2].yanked_reason, "test reason message");
	tg_simple_project_release(&p);
	tg_buf_release(&b);
}

static void data_requires_python_entities(void **state)
{
	struct tg_simple_project p;
	struct tg_buf b;
	struct tg_err err;

	(void)state;
	load(SAMPLES "pip-indexes/datarequire/fakepackage/index.html", &b);
	tg_simple_project_init(&p);
	assert_int_equal(tg_simple_parse_html(b.data, b.len, NULL, "index.html",
					      "fakepackage", &p, &err), 0);
	assert_int_equal(p.n_files, 5);
	assert_string_equal(p.files[0].requires_python, "");
	assert_string_equal(p.files[2].requires_python, ">=2.7,<3");
	assert_string_equal(p.files[4].requires_python, "><X.y.z");
	assert_string_equal(pin(&p.files[0], "md5"), "00000000000000000000000000000000");
	tg_simple_project_release(&p);
	tg_buf_release(&b);
}

static char *proxied(const struct tg_simple_file *f, void *ctx)
{
	(void)ctx;
	size_t n = strlen(f->filename) + 16;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "/files/%s", f->filename);
	return s;
}

static void render_round_trips(void **state)
{
	struct tg_simple_project j, again_json, again_html;
	struct tg_buf b, out_json, out_html;
	struct tg_err err;
	const struct tg_simple_file *f;

	(void)state;
	load(SAMPLES "poetry/pep691-simple-json/black.json", &b);
	tg_simple_project_init(&j);
	assert_int_equal(tg_simple_parse_json(b.data, b.len, NULL, "black.json", &j, &err), 0);
	tg_buf_init(&out_json, 0);
	tg_buf_init(&out_html, 0);
	assert_int_equal(tg_simple_render_json(&j, proxied, NULL, &out_json, &err), 0);
	assert_int_equal(tg_simple_render_html(&j, proxied, NULL, &out_html, &err), 0);
	tg_simple_project_init(&again_json);
	tg_simple_project_init(&again_html);
	assert_int_equal(tg_simple_parse_json(out_json.data, out_json.len, NULL, "render",
					      &again_json, &err), 0);
	assert_int_equal(tg_simple_parse_html(out_html.data, out_html.len, NULL, "render",
					      "black", &again_html, &err), 0);
	assert_int_equal(again_json.n_files, j.n_files);
	assert_int_equal(again_html.n_files, j.n_files);
	f = by_name(&again_json, "black-21.11b0.tar.gz");
	assert_string_equal(f->url, "/files/black-21.11b0.tar.gz");
	assert_true(f->yanked);
	assert_string_equal(f->yanked_reason, by_name(&j, "black-21.11b0.tar.gz")->yanked_reason);
	assert_int_equal(f->size, by_name(&j, "black-21.11b0.tar.gz")->size);
	f = by_name(&again_html, "black-19.10b0-py36-none-any.whl");
	assert_true(f->core_metadata);
	assert_string_equal(f->requires_python, ">=3.6");
	assert_string_equal(pin(f, "sha256"),
			    "13001c5b7dbc81137164b43137320a1785e95ce84e4db849279786877ac6d7f6");
	assert_true(again_json.has_versions);
	assert_int_equal(again_json.n_versions, 2);
	tg_simple_project_release(&j);
	tg_simple_project_release(&again_json);
	tg_simple_project_release(&again_html);
	tg_buf_release(&b);
	tg_buf_release(&out_json);
	tg_buf_release(&out_html);
}

static void html_escaping_in_render(void **state)
{
	struct tg_simple_project p;
	struct tg_simple_file *f;
	struct tg_buf out;
	struct tg_err err;

	(void)state;
	tg_simple_project_init(&p);
	p.name = tg_strdup("x<script>");
	p.files = calloc(1, sizeof(*p.files));
	p.n_files = p.cap_files = 1;
	f = &p.files[0];
	f->filename = tg_strdup("x-1.0.tar.gz\"><script>");
	f->url = tg_strdup("https://h/x.tar.gz");
	f->yanked = true;
	f->yanked_reason = tg_strdup("a \"bad\" <release>");
	f->size = -1;
	tg_buf_init(&out, 0);
	assert_int_equal(tg_simple_render_html(&p, NULL, NULL, &out, &err), 0);
	assert_null(strstr(out.data, "<script>"));
	assert_non_null(strstr(out.data, "data-yanked=\"a &quot;bad&quot; &lt;release&gt;\""));
	tg_buf_release(&out);
	tg_simple_project_release(&p);
}

static void negotiation(void **state)
{
	(void)state;
	/* pip 23+ */
	assert_int_equal(tg_simple_negotiate("application/vnd.pypi.simple.v1+json, "
					     "application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01"),
			 TG_SIMPLE_JSON_V1);
	/* uv */
	assert_int_equal(tg_simple_negotiate("application/vnd.pypi.simple.v1+json, "
					     "application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"),
			 TG_SIMPLE_JSON_V1);
	/* older pip, browsers, curl */
	assert_int_equal(tg_simple_negotiate("text/html"), TG_SIMPLE_HTML);
	assert_int_equal(tg_simple_negotiate(NULL), TG_SIMPLE_HTML);
	assert_int_equal(tg_simple_negotiate(""), TG_SIMPLE_HTML);
	assert_int_equal(tg_simple_negotiate("*/*"), TG_SIMPLE_HTML);
	assert_int_equal(tg_simple_negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
			 TG_SIMPLE_HTML);
	assert_int_equal(tg_simple_negotiate("application/vnd.pypi.simple.latest+json"), TG_SIMPLE_JSON_V1);
	assert_int_equal(tg_simple_negotiate("application/vnd.pypi.simple.latest+html"), TG_SIMPLE_HTML_V1);
	assert_int_equal(tg_simple_negotiate("application/vnd.pypi.simple.v1+html"), TG_SIMPLE_HTML_V1);
	/* q-values decide, whatever the order */
	assert_int_equal(tg_simple_negotiate("text/html;q=0.9, application/vnd.pypi.simple.v1+json;q=0.5"),
			 TG_SIMPLE_HTML);
	assert_int_equal(tg_simple_negotiate("application/*;q=0.5, text/html;q=0.4"), TG_SIMPLE_JSON_V1);
	/* refused and unknown */
	assert_int_equal(tg_simple_negotiate("text/html;q=0"), TG_SIMPLE_UNACCEPTABLE);
	assert_int_equal(tg_simple_negotiate("image/png"), TG_SIMPLE_UNACCEPTABLE);
	assert_int_equal(tg_simple_negotiate("application/vnd.pypi.simple.v2+json"), TG_SIMPLE_UNACCEPTABLE);
	assert_int_equal(tg_simple_negotiate("*/*;q=0.1, text/html;q=0"), TG_SIMPLE_JSON_V1);
}

/* Installers name the API media types; browsers and curl do not. */
static void installer_accept(void **state)
{
	(void)state;
	assert_true(tg_simple_accept_names_api("application/vnd.pypi.simple.v1+json, "
					       "application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01"));
	assert_true(tg_simple_accept_names_api("application/vnd.pypi.simple.v1+html"));
	assert_true(tg_simple_accept_names_api("APPLICATION/VND.PYPI.SIMPLE.LATEST+JSON"));
	assert_true(tg_simple_accept_names_api("text/html, application/vnd.pypi.simple.latest+html;q=0.2"));
	assert_false(tg_simple_accept_names_api(NULL));
	assert_false(tg_simple_accept_names_api(""));
	assert_false(tg_simple_accept_names_api("*/*"));
	assert_false(tg_simple_accept_names_api("text/html"));
	assert_false(tg_simple_accept_names_api("application/*, application/json"));
	assert_false(tg_simple_accept_names_api("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
	assert_false(tg_simple_accept_names_api("application/vnd.pypi.simple.v1+json;q=0, text/html"));
	assert_false(tg_simple_accept_names_api("application/vnd.pypi.simple.v2+json"));
}

static void bad_pages_give_errors(void **state)
{
	struct tg_simple_project p;
	struct tg_err err;

	(void)state;
	tg_simple_project_init(&p);
	assert_int_equal(tg_simple_parse_json("{\"files\": [", 11, NULL, "page.json", &p, &err), TG_EPARSE);
	assert_string_equal(err.file, "page.json");
	tg_simple_project_release(&p);
	tg_simple_project_init(&p);
	{ const char *doc = "{\"files\": [{\"url\": \"x\"}]}";
	assert_int_equal(tg_simple_parse_json(doc, strlen(doc), NULL, "p", &p, &err),
			 TG_EPARSE);
	assert_non_null(strstr(err.msg, "filename")); }
	tg_simple_project_release(&p);
	tg_simple_project_init(&p);
	assert_int_equal(tg_simple_parse_json("[]", 2, NULL, "p", &p, &err), TG_EPARSE);
	tg_simple_project_release(&p);
}

static void project_lists(void **state)
{
	char **names = NULL;
	size_t n = 0;
	struct tg_buf out;
	struct tg_err err;
	const char *page = "<html><body><a href=\"/simple/a/\">A_Pkg</a>\n<a href=\"b/\"> b.c </a></body></html>";

	(void)state;
	assert_int_equal(tg_simple_parse_index_html(page, strlen(page), "idx", &names, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "A_Pkg");
	assert_string_equal(names[1], "b.c");
	tg_buf_init(&out, 0);
	assert_int_equal(tg_simple_render_index_html(names, n, &out, &err), 0);
	assert_non_null(strstr(out.data, "<a href=\"a-pkg/\">A_Pkg</a>"));
	tg_buf_reset(&out);
	assert_int_equal(tg_simple_render_index_json(names, n, &out, &err), 0);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	assert_int_equal(tg_simple_parse_index_json(out.data, out.len, "idx.json", &names, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[1], "b.c");
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	tg_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(html_and_json_agree_for_black),
		cmocka_unit_test(relative_links_resolve_against_the_page),
		cmocka_unit_test(data_requires_python_entities),
		cmocka_unit_test(render_round_trips),
		cmocka_unit_test(html_escaping_in_render),
		cmocka_unit_test(negotiation),
		cmocka_unit_test(installer_accept),
		cmocka_unit_test(bad_pages_give_errors),
		cmocka_unit_test(project_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
