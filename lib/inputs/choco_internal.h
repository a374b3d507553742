/* Helpers shared by the Chocolatey parsers (packages.config, .nuspec,
 * .nupkg). Not a public header. */
#ifndef TOLLGATE_INPUTS_CHOCO_INTERNAL_H
#define TOLLGATE_INPUTS_CHOCO_INTERNAL_H

#include <libxml/tree.h>
#include <stddef.h>

#include "tollgate/err.h"

/* Parse XML without network access, entity expansion or DTDs (a document
 * with a DOCTYPE is refused: neither format has one, and it is how entity
 * bombs and external entities come in). TG_EPARSE with origin:line on
 * malformed XML. The caller frees *doc with xmlFreeDoc(). */
int choco_xml_load(const char *data, size_t len, const char *origin,
		   xmlDocPtr *doc, struct tg_err *err);

/* Element name without its namespace: nuspec files use three namespaces
 * (2010/07, 2011/08, 2015/06) or none, so match on local names. */
int choco_xml_is(const xmlNode *n, const char *local);
/* First child element with that local name, or NULL. */
xmlNodePtr choco_xml_child(const xmlNode *n, const char *local);
/* Text content of the first child element with that local name, trimmed;
 * heap string (xmlFree()) or NULL. */
char *choco_xml_child_text(const xmlNode *n, const char *local);
/* Attribute value by local name (heap, xmlFree()), or NULL. Attribute
 * names are compared case-insensitively: packages.config writers differ. */
char *choco_xml_attr(const xmlNode *n, const char *name);

#endif
