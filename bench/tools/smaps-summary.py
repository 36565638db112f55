#!/usr/bin/env python3
"""Sums a process's resident memory by kind from a copy of /proc/PID/smaps (bench: BENCH_SMAPS=1 keeps one per timed scenario).

    bench/tools/smaps-summary.py FILE|PID

Kinds: files mapped from disk (.dll, .so), the runtime's executable memory (memfd:doublemapper: loader heaps, code the JIT
wrote, stubs), the brk heap (glibc's main arena), thread stacks (8 MiB mappings right above their guard page: the collector's
committed ranges can be 8 MiB too, but lie inside its reservation), and other anonymous memory: the GC heap,
glibc's other arenas and the runtime's native allocations. Those three cannot be told apart here: their reservations are split
into committed and inaccessible mappings of any size (the runtime's counters, NAME.before.csv, give the GC's committed bytes).
"""
import collections
import re
import sys

arg = sys.argv[1]
path = f"/proc/{arg}/smaps" if arg.isdigit() else arg
maps = []
for line in open(path):
    if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
        parts = line.split(None, 5)
        start, end = (int(x, 16) for x in parts[0].split("-"))
        maps.append({"name": parts[5].strip() if len(parts) > 5 else "", "start": start, "end": end, "size": end - start,
                     "perms": parts[1], "rss": 0, "pss": 0})
    elif line.startswith("Rss:"):
        maps[-1]["rss"] = int(line.split()[1])
    elif line.startswith("Pss:"):
        maps[-1]["pss"] = int(line.split()[1])


def is_thread_stack(i):
    """About 8 MiB, anonymous, directly above an inaccessible page or few (glibc's guard)."""
    m = maps[i]
    if not (7 << 20) < m["size"] <= (8 << 20) + (64 << 10) or i == 0:
        return False
    guard = maps[i - 1]
    return guard["perms"].startswith("---") and guard["end"] == m["start"] and guard["size"] <= (64 << 10)


def kind(i):
    m = maps[i]
    name = m["name"]
    if "doublemapper" in name:
        return "executable memory (doublemapper)"
    if name.startswith("/"):
        return "mapped files"
    if name == "[heap]":
        return "brk heap"
    if name.startswith("[stack"):
        return "main stack"
    if name:
        return name
    if is_thread_stack(i):
        return "thread stacks"
    return "other anonymous"


rss, pss = collections.Counter(), collections.Counter()
for i, m in enumerate(maps):
    rss[kind(i)] += m["rss"]
    pss[kind(i)] += m["pss"]
print(f"{'kind':40s} {'RSS MB':>8s} {'PSS MB':>8s}")
for k in sorted(rss, key=lambda k: -rss[k]):
    print(f"{k:40s} {rss[k] / 1024:8.1f} {pss[k] / 1024:8.1f}")
print(f"{'total':40s} {sum(rss.values()) / 1024:8.1f} {sum(pss.values()) / 1024:8.1f}")
print("largest mappings:")
for m in sorted(maps, key=lambda m: -m["rss"])[:10]:
    print(f"  {m['rss'] / 1024:7.1f} MB of {m['size'] / 1048576:10.1f} MB  {m['name'] or '(anonymous)'}")
