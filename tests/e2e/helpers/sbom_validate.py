"""Schema validators for SBOMs, built the way the official schemas need:

* CycloneDX 1.6: bom-1.6.schema.json (draft-07) with spdx.schema.json and
  jsf-0.82.schema.json resolved from the same folder, format assertions on.
* SPDX 2.3: spdx-schema.json (draft-07), format assertions on.

Debian 12's python3-jsonschema (4.10) checks `uri` through python3-rfc3987
but has no `date-time` checker without rfc3339-validator, which Debian does
not package; an RFC 3339 `date-time` checker is added here (the grammar of
RFC 3339 section 5.6 plus a calendar check). `selftest()` proves the set-up
on CycloneDX's own valid/invalid test BOMs."""
import datetime
import glob
import json
import os
import re

import jsonschema
import jsonschema._utils
import jsonschema._validators
from jsonschema import Draft7Validator, FormatChecker


def _extras_msg(extras):
    # jsonschema 4.10 sorts the extra items to name them, which fails on
    # objects (additionalItems: false with extra components); keep order.
    extras = list(extras)
    return ", ".join(repr(e) for e in extras), "was" if len(extras) == 1 else "were"


jsonschema._utils.extras_msg = _extras_msg
jsonschema._validators.extras_msg = _extras_msg

SRC = os.environ.get("TG_SOURCE_DIR",
                     os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
SCHEMAS = os.path.join(SRC, "tests", "data", "third_party", "schemas")
CDX_DIR = os.path.join(SCHEMAS, "cyclonedx-1.6")

_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?"
    r"([Zz]|[+-](\d{2}):(\d{2}))$")


def _is_date_time(instance):
    if not isinstance(instance, str):
        return True
    m = _DATE_TIME.match(instance)
    if not m:
        return False
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    try:
        datetime.date(y, mo, d)
    except ValueError:
        return False
    if h > 23 or mi > 59 or s > 60:
        return False
    if m.group(9) and (int(m.group(9)) > 23 or int(m.group(10)) > 59):
        return False
    return True


def format_checker():
    fc = FormatChecker(Draft7Validator.FORMAT_CHECKER.checkers.keys())
    if "date-time" not in fc.checkers:
        fc.checks("date-time")(_is_date_time)
    for needed in ("uri", "date-time", "email", "iri-reference"):
        assert needed in fc.checkers, "format %s is not checked: install its package" % needed
    return fc


def _load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def cyclonedx_validator():
    bom = _load(os.path.join(CDX_DIR, "bom-1.6.schema.json"))
    store = {}
    for name in ("spdx.schema.json", "jsf-0.82.schema.json", "bom-1.6.schema.json"):
        doc = _load(os.path.join(CDX_DIR, name))
        store[doc["$id"]] = doc
        store[name] = doc
    resolver = jsonschema.RefResolver(base_uri=bom["$id"], referrer=bom, store=store)
    return Draft7Validator(bom, resolver=resolver, format_checker=format_checker())


def spdx_validator():
    schema = _load(os.path.join(SCHEMAS, "spdx-2.3", "spdx-schema.json"))
    return Draft7Validator(schema, format_checker=format_checker())


def errors(validator, doc):
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message[:300])
            for e in validator.iter_errors(doc)]


def selftest():
    """(ok, detail): every valid-*.json of CycloneDX's suite validates and
    every invalid-*.json does not; the SPDX example validates."""
    v = cyclonedx_validator()
    bad = []
    files = sorted(glob.glob(os.path.join(CDX_DIR, "tests", "*.json")))
    for f in files:
        name = os.path.basename(f)
        errs = errors(v, _load(f))
        if name.startswith("valid-") and errs:
            bad.append("%s should validate: %s" % (name, errs[0]))
        if name.startswith("invalid-") and not errs:
            bad.append("%s should not validate" % name)
    s = spdx_validator()
    ex = os.path.join(SCHEMAS, "spdx-2.3", "SPDXJSONExample-v2.3.spdx.json")
    errs = errors(s, _load(ex))
    if errs:
        bad.append("SPDX example should validate: %s" % errs[0])
    return (not bad and len(files) == 70), "; ".join(bad[:5]) + " (%d files)" % len(files)
