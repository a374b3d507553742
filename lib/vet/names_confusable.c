/* Look-alike skeletons: what a name looks like on screen. Two names with
 * the same skeleton are confusable (jeIlyfish / jellyfish, requ3sts is
 * not, but reqυests with a Greek upsilon is). The Unicode table covers the
 * Cyrillic, Greek, Latin-1 and full-width letters that pass for ASCII
 * ones in common fonts (after Unicode TR39's confusables, abridged). */
#include "vet/names_internal.h"

#include <stdlib.h>
#include <string.h>

#include "vet/vet_internal.h"

struct cmap {
	uint32_t cp;
	char ascii;      /* '\0': invisible, dropped */
	const char *name;
};

/* Sorted by code point. */
static const struct cmap cmaps[] = {
	{ 0x00AD, '\0', "SOFT HYPHEN" },
	{ 0x00C0, 'a', "LATIN CAPITAL LETTER A WITH GRAVE" },
	{ 0x00C1, 'a', "LATIN CAPITAL LETTER A WITH ACUTE" },
	{ 0x00C4, 'a', "LATIN CAPITAL LETTER A WITH DIAERESIS" },
	{ 0x00C9, 'e', "LATIN CAPITAL LETTER E WITH ACUTE" },
	{ 0x00CD, 'l', "LATIN CAPITAL LETTER I WITH ACUTE" },
	{ 0x00D3, 'o', "LATIN CAPITAL LETTER O WITH ACUTE" },
	{ 0x00D6, 'o', "LATIN CAPITAL LETTER O WITH DIAERESIS" },
	{ 0x00DC, 'u', "LATIN CAPITAL LETTER U WITH DIAERESIS" },
	{ 0x00E0, 'a', "LATIN SMALL LETTER A WITH GRAVE" },
	{ 0x00E1, 'a', "LATIN SMALL LETTER A WITH ACUTE" },
	{ 0x00E2, 'a', "LATIN SMALL LETTER A WITH CIRCUMFLEX" },
	{ 0x00E3, 'a', "LATIN SMALL LETTER A WITH TILDE" },
	{ 0x00E4, 'a', "LATIN SMALL LETTER A WITH DIAERESIS" },
	{ 0x00E5, 'a', "LATIN SMALL LETTER A WITH RING ABOVE" },
	{ 0x00E7, 'c', "LATIN SMALL LETTER C WITH CEDILLA" },
	{ 0x00E8, 'e', "LATIN SMALL LETTER E WITH GRAVE" },
	{ 0x00E9, 'e', "LATIN SMALL LETTER E WITH ACUTE" },
	{ 0x00EA, 'e', "LATIN SMALL LETTER E WITH CIRCUMFLEX" },
	{ 0x00EB, 'e', "LATIN SMALL LETTER E WITH DIAERESIS" },
	{ 0x00EC, 'i', "LATIN SMALL LETTER I WITH GRAVE" },
	{ 0x00ED, 'i', "LATIN SMALL LETTER I WITH ACUTE" },
	{ 0x00EE, 'i', "LATIN SMALL LETTER I WITH CIRCUMFLEX" },
	{ 0x00EF, 'i', "LATIN SMALL LETTER I WITH DIAERESIS" },
	{ 0x00F1, 'n', "LATIN SMALL LETTER N WITH TILDE" },
	{ 0x00F2, 'o', "LATIN SMALL LETTER O WITH GRAVE" },
	{ 0x00F3, 'o', "LATIN SMALL LETTER O WITH ACUTE" },
	{ 0x00F4, 'o', "LATIN SMALL LETTER O WITH CIRCUMFLEX" },
	{ 0x00F5, 'o', "LATIN SMALL LETTER O WITH TILDE" },
	{ 0x00F6, 'o', "LATIN SMALL LETTER O WITH DIAERESIS" },
	{ 0x00F9, 'u', "LATIN SMALL LETTER U WITH GRAVE" },
	{ 0x00FA, 'u', "LATIN SMALL LETTER U WITH ACUTE" },
	{ 0x00FB, 'u', "LATIN SMALL LETTER U WITH CIRCUMFLEX" },
	{ 0x00FC, 'u', "LATIN SMALL LETTER U WITH DIAERESIS" },
	{ 0x00FD, 'y', "LATIN SMALL LETTER Y WITH ACUTE" },
	{ 0x00FF, 'y', "LATIN SMALL LETTER Y WITH DIAERESIS" },
	{ 0x0131, 'i', "LATIN SMALL LETTER DOTLESS I" },
	{ 0x0251, 'a', "LATIN SMALL LETTER ALPHA" },
	{ 0x0261, 'g', "LATIN SMALL LETTER SCRIPT G" },
	{ 0x0391, 'a', "GREEK CAPITAL LETTER ALPHA" },
	{ 0x0392, 'b', "GREEK CAPITAL LETTER BETA" },
	{ 0x0395, 'e', "GREEK CAPITAL LETTER EPSILON" },
	{ 0x0396, 'z', "GREEK CAPITAL LETTER ZETA" },
	{ 0x0397, 'h', "GREEK CAPITAL LETTER ETA" },
	{ 0x0399, 'l', "GREEK CAPITAL LETTER IOTA" },
	{ 0x039A, 'k', "GREEK CAPITAL LETTER KAPPA" },
	{ 0x039C, 'm', "GREEK CAPITAL LETTER MU" },
	{ 0x039D, 'n', "GREEK CAPITAL LETTER NU" },
	{ 0x039F, 'o', "GREEK CAPITAL LETTER OMICRON" },
	{ 0x03A1, 'p', "GREEK CAPITAL LETTER RHO" },
	{ 0x03A4, 't', "GREEK CAPITAL LETTER TAU" },
	{ 0x03A5, 'y', "GREEK CAPITAL LETTER UPSILON" },
	{ 0x03A7, 'x', "GREEK CAPITAL LETTER CHI" },
	{ 0x03B1, 'a', "GREEK SMALL LETTER ALPHA" },
	{ 0x03B9, 'i', "GREEK SMALL LETTER IOTA" },
	{ 0x03BA, 'k', "GREEK SMALL LETTER KAPPA" },
	{ 0x03BD, 'v', "GREEK SMALL LETTER NU" },
	{ 0x03BF, 'o', "GREEK SMALL LETTER OMICRON" },
	{ 0x03C1, 'p', "GREEK SMALL LETTER RHO" },
	{ 0x03C5, 'u', "GREEK SMALL LETTER UPSILON" },
	{ 0x03C7, 'x', "GREEK SMALL LETTER CHI" },
	{ 0x0405, 's', "CYRILLIC CAPITAL LETTER DZE" },
	{ 0x0406, 'l', "CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I" },
	{ 0x0408, 'j', "CYRILLIC CAPITAL LETTER JE" },
	{ 0x0410, 'a', "CYRILLIC CAPITAL LETTER A" },
	{ 0x0412, 'b', "CYRILLIC CAPITAL LETTER VE" },
	{ 0x0415, 'e', "CYRILLIC CAPITAL LETTER IE" },
	{ 0x041A, 'k', "CYRILLIC CAPITAL LETTER KA" },
	{ 0x041C, 'm', "CYRILLIC CAPITAL LETTER EM" },
	{ 0x041D, 'h', "CYRILLIC CAPITAL LETTER EN" },
	{ 0x041E, 'o', "CYRILLIC CAPITAL LETTER O" },
	{ 0x0420, 'p', "CYRILLIC CAPITAL LETTER ER" },
	{ 0x0421, 'c', "CYRILLIC CAPITAL LETTER ES" },
	{ 0x0422, 't', "CYRILLIC CAPITAL LETTER TE" },
	{ 0x0425, 'x', "CYRILLIC CAPITAL LETTER HA" },
	{ 0x0430, 'a', "CYRILLIC SMALL LETTER A" },
	{ 0x0435, 'e', "CYRILLIC SMALL LETTER IE" },
	{ 0x043E, 'o', "CYRILLIC SMALL LETTER O" },
	{ 0x0440, 'p', "CYRILLIC SMALL LETTER ER" },
	{ 0x0441, 'c', "CYRILLIC SMALL LETTER ES" },
	{ 0x0443, 'y', "CYRILLIC SMALL LETTER U" },
	{ 0x0445, 'x', "CYRILLIC SMALL LETTER HA" },
	{ 0x0455, 's', "CYRILLIC SMALL LETTER DZE" },
	{ 0x0456, 'i', "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I" },
	{ 0x0458, 'j', "CYRILLIC SMALL LETTER JE" },
	{ 0x04BB, 'h', "CYRILLIC SMALL LETTER SHHA" },
	{ 0x04CF, 'l', "CYRILLIC SMALL LETTER PALOCHKA" },
	{ 0x0501, 'd', "CYRILLIC SMALL LETTER KOMI DE" },
	{ 0x051B, 'q', "CYRILLIC SMALL LETTER QA" },
	{ 0x051D, 'w', "CYRILLIC SMALL LETTER WE" },
	{ 0x200B, '\0', "ZERO WIDTH SPACE" },
	{ 0x200C, '\0', "ZERO WIDTH NON-JOINER" },
	{ 0x200D, '\0', "ZERO WIDTH JOINER" },
	{ 0x2010, '-', "HYPHEN" },
	{ 0x2011, '-', "NON-BREAKING HYPHEN" },
	{ 0x2012, '-', "FIGURE DASH" },
	{ 0x2013, '-', "EN DASH" },
	{ 0x2024, '.', "ONE DOT LEADER" },
	{ 0x2060, '\0', "WORD JOINER" },
	{ 0x2212, '-', "MINUS SIGN" },
	{ 0xFEFF, '\0', "ZERO WIDTH NO-BREAK SPACE" },
};

static const struct cmap *cmap_find(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(cmaps) / sizeof(cmaps[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cmaps[mid].cp == cp)
			return &cmaps[mid];
		if (cmaps[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *vn_cp_name(uint32_t cp)
{
	const struct cmap *m = cmap_find(cp);

	if (m)
		return m->name;
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return "FULLWIDTH FORM";
	return NULL;
}

static char ascii_look(char c)
{
	if (c == 'I' || c == '|' || c == '1')
		return 'l';
	if (c == '0')
		return 'o';
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	if (c == '_' || c == '.')
		return '-';
	return c;
}

size_t vn_skeleton(const char *s, char *out, size_t outsz, bool *non_ascii,
		   bool *unmapped, uint32_t *first_cp)
{
	char tmp[4 * VN_MAX_LEN + 8];
	size_t n = strlen(s), i = 0, t = 0, o = 0;

	*non_ascii = false;
	*unmapped = false;
	*first_cp = 0;
	while (i < n && t + 1 < sizeof(tmp)) {
		uint32_t cp;
		bool ok = tg_vet_utf8_next(s, n, &i, &cp);
		char c;

		if (ok && cp < 0x80) {
			c = ascii_look((char)cp);
		} else {
			const struct cmap *m = ok ? cmap_find(cp) : NULL;

			if (!*non_ascii)
				*first_cp = ok ? cp : 0xFFFD;
			*non_ascii = true;
			if (ok && cp >= 0xFF01 && cp <= 0xFF5E) {
				c = ascii_look((char)(cp - 0xFF01 + 0x21));
			} else if (m) {
				if (!m->ascii)
					continue;
				c = m->ascii;
			} else {
				*unmapped = true;
				c = '?';
			}
		}
		/* Runs of separators look like one. */
		if (c == '-' && t > 0 && tmp[t - 1] == '-')
			continue;
		tmp[t++] = c;
	}
	/* Multi-letter look-alikes. */
	for (i = 0; i < t && o + 1 < outsz; i++) {
		if (i + 1 < t && tmp[i] == 'r' && tmp[i + 1] == 'n') {
			out[o++] = 'm';
			i++;
		} else if (i + 1 < t && tmp[i] == 'v' && tmp[i + 1] == 'v') {
			out[o++] = 'w';
			i++;
		} else if (i + 1 < t && tmp[i] == 'c' && tmp[i + 1] == 'l') {
			out[o++] = 'd';
			i++;
		} else {
			out[o++] = tmp[i];
		}
	}
	if (outsz)
		out[o] = '\0';
	return o;
}

static const char *const stdlib_names[] = {
	"abc", "aifc", "antigravity", "argparse", "array", "ast", "asynchat",
	"asyncio", "asyncore", "atexit", "audioop", "base64", "bdb", "binascii",
	"bisect", "builtins", "bz2", "calendar", "cgi", "cgitb", "chunk", "cmath",
	"cmd", "code", "codecs", "codeop", "collections", "colorsys", "compileall",
	"concurrent", "configparser", "contextlib", "contextvars", "copy",
	"copyreg", "cprofile", "crypt", "csv", "ctypes", "curses", "dataclasses",
	"datetime", "dbm", "decimal", "difflib", "dis", "distutils", "doctest",
	"email", "encodings", "ensurepip", "enum", "errno", "faulthandler", "fcntl",
	"filecmp", "fileinput", "fnmatch", "fractions", "ftplib", "functools", "gc",
	"genericpath", "getopt", "getpass", "gettext", "glob", "graphlib", "grp",
	"gzip", "hashlib", "heapq", "hmac", "html", "http", "idlelib", "imaplib",
	"imghdr", "imp", "importlib", "inspect", "io", "ipaddress", "itertools",
	"json", "keyword", "lib2to3", "linecache", "locale", "logging", "lzma",
	"mailbox", "mailcap", "marshal", "math", "mimetypes", "mmap",
	"modulefinder", "msilib", "msvcrt", "multiprocessing", "netrc", "nis",
	"nntplib", "nt", "ntpath", "nturl2path", "numbers", "opcode", "operator",
	"optparse", "os", "ossaudiodev", "pathlib", "pdb", "pickle", "pickletools",
	"pipes", "pkgutil", "platform", "plistlib", "poplib", "posix", "posixpath",
	"pprint", "profile", "pstats", "pty", "pwd", "py_compile", "pyclbr",
	"pydoc", "pydoc_data", "pyexpat", "queue", "quopri", "random", "re",
	"readline", "reprlib", "resource", "rlcompleter", "runpy", "sched",
	"secrets", "select", "selectors", "shelve", "shlex", "shutil", "signal",
	"site", "smtpd", "smtplib", "sndhdr", "socket", "socketserver", "spwd",
	"sqlite3", "sre_compile", "sre_constants", "sre_parse", "ssl", "stat",
	"statistics", "string", "stringprep", "struct", "subprocess", "sunau",
	"symtable", "sys", "sysconfig", "syslog", "tabnanny", "tarfile",
	"telnetlib", "tempfile", "termios", "textwrap", "this", "threading", "time",
	"timeit", "tkinter", "token", "tokenize", "tomllib", "trace", "traceback",
	"tracemalloc", "tty", "turtle", "turtledemo", "types", "typing",
	"unicodedata", "unittest", "urllib", "uu", "uuid", "venv", "warnings",
	"wave", "weakref", "webbrowser", "winreg", "winsound", "wsgiref", "xdrlib",
	"xml", "xmlrpc", "zipapp", "zipfile", "zipimport", "zlib", "zoneinfo",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, *(const char *const *)b);
}

bool vn_is_stdlib(const char *name)
{
	return bsearch(name, stdlib_names, sizeof(stdlib_names) / sizeof(stdlib_names[0]),
		       sizeof(stdlib_names[0]), cmp_str) != NULL;
}
