#!/usr/bin/env python3
"""The heaviest methods of a dotnet-trace sample trace converted to speedscope JSON.

    trace-top.py TRACE.speedscope.json [N]

The sampled-thread-time profile samples every thread, waiting or not. A sample whose leaf is the CPU_TIME pseudo
frame was running managed code; one ending in UNMANAGED_CODE_TIME was in native code (waiting, mostly) and is
counted apart. The tables show where the running time goes: by method, inclusive (on the stack) and exclusive
(the method under CPU_TIME), in % of the running samples of all threads together.
"""
import json
import sys
from collections import defaultdict

RUNNING = "CPU_TIME"


def main():
    path = sys.argv[1]
    top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    doc = json.load(open(path))
    frames = [f["name"] for f in doc["shared"]["frames"]]
    inclusive = defaultdict(float)
    exclusive = defaultdict(float)
    running = 0.0
    idle_total = 0.0

    def add(stack, weight):
        nonlocal running, idle_total
        if not stack:
            return
        if frames[stack[-1]] != RUNNING or len(stack) < 2:
            idle_total += weight
            return
        running += weight
        exclusive[frames[stack[-2]]] += weight
        for name in {frames[i] for i in stack[:-1]}:
            inclusive[name] += weight

    for prof in doc["profiles"]:
        if prof["type"] == "sampled":
            for stack, w in zip(prof["samples"], prof["weights"]):
                add(stack, w)
        else:  # evented: open/close events, the time between two events belongs to the stack then open
            stack, last = [], None
            for ev in prof["events"]:
                if last is not None and ev["at"] > last:
                    add(stack, ev["at"] - last)
                last = ev["at"]
                if ev["type"] == "O":
                    stack.append(ev["frame"])
                elif stack:
                    # closes the given frame (normally the top)
                    idx = len(stack) - 1 - stack[::-1].index(ev["frame"]) if ev["frame"] in stack else len(stack) - 1
                    del stack[idx:]
    if running == 0:
        print("no running samples")
        return
    print(f"running managed code {running:.0f} ms, native or waiting {idle_total:.0f} ms (all threads)")
    for title, table in (("inclusive", inclusive), ("exclusive", exclusive)):
        print(f"\n## {title} (% of running)")
        for name, w in sorted(table.items(), key=lambda kv: -kv[1])[:top_n]:
            print(f"{100 * w / running:6.1f}  {name[:160]}")


if __name__ == "__main__":
    main()
