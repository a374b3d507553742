#!/usr/bin/python3
"""Build firefox.154.0.nupkg from the chocolatey-community package files in
tests/data/third_party/winget-choco/chocolatey/firefox, laid out the way
`choco pack` lays out a package (nuspec at the root, tools/, the OPC
[Content_Types].xml and _rels/.rels). Fixed timestamps keep the output
byte-identical between runs. Run from the repository root."""
import os
import zipfile

SRC = "tests/data/third_party/winget-choco/chocolatey/firefox"
OUT = "tests/data/windows/firefox.154.0.nupkg"
STAMP = (2026, 1, 1, 0, 0, 0)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.'
    'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml" />'
    '<Default Extension="nuspec" ContentType="application/octet" /><Default '
    'Extension="ps1" ContentType="application/octet" /><Default Extension="csv" '
    'ContentType="application/octet" /></Types>')
RELS = (
    '<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Type="http://'
    'schemas.microsoft.com/packaging/2010/07/manifest" Target="/firefox.nuspec" '
    'Id="R1" /></Relationships>')


def add(z, name, data):
    info = zipfile.ZipInfo(name, STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, data)


with zipfile.ZipFile(OUT, "w") as z:
    add(z, "_rels/.rels", RELS)
    add(z, "firefox.nuspec", open(os.path.join(SRC, "firefox.nuspec"), "rb").read())
    for name in sorted(os.listdir(os.path.join(SRC, "tools"))):
        add(z, "tools/" + name, open(os.path.join(SRC, "tools", name), "rb").read())
    add(z, "[Content_Types].xml", CONTENT_TYPES)
