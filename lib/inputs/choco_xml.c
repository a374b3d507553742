/* Safe XML loading for the Chocolatey formats (libxml2). */
#include "choco_internal.h"

#include <libxml/parser.h>
#include <limits.h>
#include <string.h>

#include "tollgate/str.h"
#include "lazy/lazy.h"

int choco_xml_load(const char *data, size_t len, const char *origin,
		   xmlDocPtr *doc, struct tg_err *err)
{
	xmlParserCtxtPtr ctxt;
	const xmlError *e;
	int rc = 0;

	*doc = NULL;
	if ((rc = tg_lazy_require(TG_LAZY_XML, "reading Chocolatey XML", err)))
		return rc;
	if (len > INT_MAX)
		return tg_err_at(err, TG_ELIMIT, origin, 0, 0, "XML document too large");
	if (memchr(data, '\0', len))
		return tg_err_at(err, TG_EPARSE, origin, 0, 0,
				 "NUL byte in an XML document");
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return tg_err_set(err, TG_ENOMEM, "out of memory");
	/* No XML_PARSE_NOENT (entities stay unexpanded), no DTD loading, no
	 * network, no huge-document mode. */
	*doc = xmlCtxtReadMemory(ctxt, data, (int)len, origin, NULL,
				 XML_PARSE_NONET | XML_PARSE_NOERROR |
				 XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (!*doc) {
		e = xmlCtxtGetLastError(ctxt);
		rc = tg_err_at(err, TG_EPARSE, origin,
			       e && e->line > 0 ? (unsigned long)e->line : 0,
			       e && e->int2 > 0 ? (unsigned long)e->int2 : 0,
			       "XML: %s", e && e->message ? e->message : "not well-formed");
		/* libxml2 messages end with a newline */
		{
			size_t n = strlen(err->msg);
			while (n && (err->msg[n - 1] == '\n' || err->msg[n - 1] == ' '))
				err->msg[--n] = '\0';
		}
	} else if ((*doc)->intSubset || (*doc)->extSubset) {
		xmlFreeDoc(*doc);
		*doc = NULL;
		rc = tg_err_at(err, TG_EINVAL, origin, 0, 0,
			       "XML document with a DOCTYPE is not accepted");
	}
	xmlFreeParserCtxt(ctxt);
	return rc;
}

int choco_xml_is(const xmlNode *n, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && n->name &&
	       strcmp((const char *)n->name, local) == 0;
}

xmlNodePtr choco_xml_child(const xmlNode *n, const char *local)
{
	xmlNodePtr c;

	if (!n)
		return NULL;
	for (c = n->children; c; c = c->next)
		if (choco_xml_is(c, local))
			return c;
	return NULL;
}

char *choco_xml_child_text(const xmlNode *n, const char *local)
{
	xmlNodePtr c = choco_xml_child(n, local);
	xmlChar *t;
	size_t b = 0, e;

	if (!c)
		return NULL;
	t = xmlNodeGetContent(c);
	if (!t)
		return NULL;
	e = strlen((char *)t);
	while (b < e && (t[b] == ' ' || t[b] == '\t' || t[b] == '\r' || t[b] == '\n'))
		b++;
	while (e > b && (t[e - 1] == ' ' || t[e - 1] == '\t' || t[e - 1] == '\r' ||
			 t[e - 1] == '\n'))
		e--;
	if (b == e) {
		xmlFree(t);
		return NULL;
	}
	memmove(t, t + b, e - b);
	t[e - b] = '\0';
	return (char *)t;
}

char *choco_xml_attr(const xmlNode *n, const char *name)
{
	xmlAttrPtr a;

	if (!n)
		return NULL;
	for (a = n->properties; a; a = a->next)
		if (a->name && tg_ascii_casecmp((const char *)a->name, name) == 0)
			return (char *)xmlNodeListGetString(n->doc, a->children, 1);
	return NULL;
}
