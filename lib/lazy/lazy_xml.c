/* libxml2, loaded on first use (see lazy.h). */
#include "lazy/lazy.h"

#if TG_LAZY_LOAD
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#define XML_FUNCS(X, V, D)                                                     \
	X(htmlDocPtr, htmlReadMemory,                                          \
	  (const char *buffer, int size, const char *URL, const char *encoding, int options), \
	  (buffer, size, URL, encoding, options), NULL)                        \
	X(xmlParserCtxtPtr, xmlNewParserCtxt, (void), (), NULL)                \
	V(xmlFreeParserCtxt, (xmlParserCtxtPtr ctxt), (ctxt))                  \
	X(xmlDocPtr, xmlCtxtReadMemory,                                        \
	  (xmlParserCtxtPtr ctxt, const char *buffer, int size, const char *URL, \
	   const char *encoding, int options),                                 \
	  (ctxt, buffer, size, URL, encoding, options), NULL)                  \
	X(xmlErrorPtr, xmlCtxtGetLastError, (void *ctx), (ctx), NULL)          \
	V(xmlFreeDoc, (xmlDocPtr cur), (cur))                                  \
	X(xmlNodePtr, xmlDocGetRootElement, (const xmlDoc *doc), (doc), NULL)  \
	X(long, xmlGetLineNo, (const xmlNode *node), (node), -1)               \
	X(xmlChar *, xmlGetProp, (const xmlNode *node, const xmlChar *name),   \
	  (node, name), NULL)                                                  \
	X(xmlChar *, xmlNodeGetContent, (const xmlNode *cur), (cur), NULL)     \
	X(xmlChar *, xmlNodeListGetString,                                     \
	  (xmlDocPtr doc, const xmlNode *list, int inLine), (doc, list, inLine), NULL) \
	X(int, xmlStrcasecmp, (const xmlChar *str1, const xmlChar *str2),      \
	  (str1, str2), str1 == str2 ? 0 : 1)                                  \
	D(xmlFreeFunc, xmlFree)

TG_LAZY_DEFINE(XML_FUNCS, TG_SONAME_XML)
TG_LAZY_LOADER(tg_lazy_load_xml)

/* xmlFree is a variable holding libxml2's deallocator. Ours starts as a
 * forwarder to whatever the loaded library's holds; nothing to free can
 * exist before the library is loaded. */
static void forward_free(void *p)
{
	if (p && lazy_load())
		(*lazy_fn.xmlFree)(p);
}

xmlFreeFunc xmlFree = forward_free;

#else
typedef int tg_lazy_xml_unused;
#endif
