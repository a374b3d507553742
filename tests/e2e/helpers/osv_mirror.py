"""A copy of the bundled feed snapshot (data/feeds) whose PyPI OSV archive
holds extra records, for `tollgate db update --source`: tests that need an
advisory the snapshot lacks (a MAL- record, say) add it here rather than
editing the snapshot."""
import os
import zipfile


def mirror_with_pypi_records(feeds, dest, records):
    """Build dest from feeds: everything linked, except osv/PyPI/all.zip,
    rewritten with records (a list of (file name, bytes)) added. Returns
    dest."""
    os.makedirs(os.path.join(dest, "osv", "PyPI"))
    for sub in ("kev", "pypi", "npm"):
        if os.path.exists(os.path.join(feeds, sub)):
            os.symlink(os.path.join(feeds, sub), os.path.join(dest, sub))
    os.symlink(os.path.join(feeds, "osv", "npm"), os.path.join(dest, "osv", "npm"))
    with zipfile.ZipFile(os.path.join(feeds, "osv", "PyPI", "all.zip")) as zin, \
            zipfile.ZipFile(os.path.join(dest, "osv", "PyPI", "all.zip"), "w",
                            zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        for name, data in records:
            zout.writestr(name, data)
    return dest
