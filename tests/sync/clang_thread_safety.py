#!/usr/bin/env python3
"""ctest "clang_thread_safety": clang's thread-safety analysis on the real code.

1. Every header of shared/sync compiles on its own under clang -Wthread-safety.
2. Every production translation unit that takes a tracked lock, or whose header declares one or
   a GUARDED_BY field, compiles under clang -Wthread-safety -Werror=thread-safety with the flags
   the build uses (compile_commands.json): no annotated field is touched without its lock.
3. The analysis is live on each of those units: the same unit with every tracked lock released
   right after it is taken (a "lock.unlock();" inserted after each TrackedLock) must be rejected
   with "requires holding mutex". A unit whose locks guard no annotated field fails here, so a
   new tracked mutex cannot go unannotated.

Fails (never skips) when clang++ is missing: scripts/setup.sh installs it.
Usage: clang_thread_safety.py <source root> <build dir>
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

PRODUCTION = ("node/", "shared/", "gui/")
LOCK_SITE = re.compile(r"^(\s*)(?:skiff::)?(?:sync::)?Tracked(?:Unique|Shared)?Lock\s+(\w+)\s*[({].*[)}];\s*(//.*)?$")
USES_LOCKS = re.compile(r'#include "sync/Tracked|GUARDED_BY\(')


def find_clang():
    for name in ("clang++", "clang++-18", "clang++-17", "clang++-16", "clang++-15", "clang++-14"):
        path = shutil.which(name)
        if path:
            return path
    return None


def clang_args(entry, clang):
    """The build's command for one unit, run by clang for analysis only."""
    args = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    out = [clang]
    skip = False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD") or a.startswith("-W") or a == entry["file"]:
            continue
        out.append(a)
    return out + ["-fsyntax-only", "-Wthread-safety", "-Werror=thread-safety"]


def run(args, cwd, stdin=None):
    p = subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def main():
    root, build = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
    clang = find_clang()
    if not clang:
        print("FAIL: clang++ not found (scripts/setup.sh installs clang); the analysis did not run")
        return 1
    with open(os.path.join(build, "compile_commands.json")) as f:
        entries = json.load(f)

    def production(entry):
        rel = os.path.relpath(os.path.realpath(entry["file"]), root)
        return rel.startswith(PRODUCTION) and not rel.startswith(os.path.relpath(build, root))

    def uses_locks(path):
        texts = []
        for p in (path, os.path.splitext(path)[0] + ".h"):
            if os.path.exists(p):
                with open(p, encoding="utf-8") as f:
                    texts.append(f.read())
        return any(USES_LOCKS.search(t) for t in texts)

    failed = False
    units = sorted((e for e in entries if production(e) and uses_locks(e["file"])
                    and not os.path.relpath(e["file"], root).startswith("shared/sync/")),
                   key=lambda e: e["file"])
    sync_unit = next((e for e in entries if os.path.relpath(e["file"], root).startswith("shared/sync/")), None)
    if sync_unit is None or not units:
        print("FAIL: compile_commands.json has no shared/sync unit or no unit that takes a tracked lock")
        return 1

    # 1. The sync headers on their own.
    base = clang_args(sync_unit, clang)
    for header in sorted(os.listdir(os.path.join(root, "shared/sync"))):
        if not header.endswith(".h"):
            continue
        code, out = run(base + ["-x", "c++", "-"], sync_unit["directory"], '#include "sync/%s"\n' % header)
        if code != 0:
            print("FAIL: sync/%s does not compile on its own under clang -Wthread-safety:\n%s" % (header, out))
            failed = True

    # 2. and 3. The real units, as built and with their locks released.
    for e in units:
        rel = os.path.relpath(e["file"], root)
        args = clang_args(e, clang)
        code, out = run(args + [e["file"]], e["directory"])
        if code != 0:
            print("FAIL: %s under clang -Wthread-safety:\n%s" % (rel, out))
            failed = True
            continue
        with open(e["file"], encoding="utf-8") as f:
            lines = f.read().splitlines(keepends=True)
        mutant, sites = [], 0
        for line in lines:
            mutant.append(line)
            m = LOCK_SITE.match(line)
            if m:
                mutant.append("%s%s.unlock(); // mutant: the lock is not held below\n" % (m.group(1), m.group(2)))
                sites += 1
        if sites == 0:
            print("ok   %s (takes no tracked lock itself)" % rel)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, os.path.basename(e["file"]))
            with open(path, "w", encoding="utf-8") as f:
                f.writelines(mutant)
            code, out = run(args + ["-iquote", os.path.dirname(e["file"]), path], e["directory"])
        if code == 0 or "requires holding mutex" not in out:
            print("FAIL: %s with its %d tracked locks released right after taking them was %s: its guarded "
                  "fields are not annotated (GUARDED_BY) or the analysis does not run\n%s"
                  % (rel, sites, "accepted" if code == 0 else "rejected for another reason", out))
            failed = True
            continue
        errors = len(re.findall(r"error: .*requires holding mutex", out))
        print("ok   %s (%d lock sites; released: %d unguarded accesses found)" % (rel, sites, errors))

    print("FAIL" if failed else "clang thread-safety analysis passed on %d units" % len(units))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
