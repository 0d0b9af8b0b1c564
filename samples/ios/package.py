#!/usr/bin/env python3
"""Zips a built Payload/ tree into an .ipa with fixed timestamps, modes and order, so that the
same inputs give the same bytes. The app's Info.plist is written in binary form (as Xcode
ships it) with python3's plistlib; the framework's stays XML.

usage: package.py STAGING_DIR OUT.ipa
"""
import os
import plistlib
import sys
import zipfile

EXECUTABLE_NAMES = {"DiscloseDemo", "AMapFoundationKit"}


def main(staging, out):
    info = os.path.join(staging, "Payload", "DiscloseDemo.app", "Info.plist")
    with open(info, "rb") as f:
        value = plistlib.load(f)
    with open(info, "wb") as f:
        plistlib.dump(value, f, fmt=plistlib.FMT_BINARY, sort_keys=False)

    entries = []
    for root, dirs, files in os.walk(staging):
        dirs.sort()
        for name in files:
            full = os.path.join(root, name)
            entries.append(os.path.relpath(full, staging).replace(os.sep, "/"))
    entries.sort()
    with zipfile.ZipFile(out, "w") as z:
        for rel in entries:
            zi = zipfile.ZipInfo(rel, date_time=(2024, 1, 1, 0, 0, 0))
            zi.create_system = 3
            mode = 0o755 if os.path.basename(rel) in EXECUTABLE_NAMES else 0o644
            zi.external_attr = (0o100000 | mode) << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            with open(os.path.join(staging, rel), "rb") as f:
                z.writestr(zi, f.read(), compresslevel=9)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
