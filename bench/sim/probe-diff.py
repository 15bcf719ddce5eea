#!/usr/bin/env python3
"""Two runs of bench/sim/recency-probe.ts (same --rows and --seed), row by row: the rows either run printed
(the probe prints the rows under LRU - 1, or all with --all) whose whole-run figure moved by more than 0.5
points, or fell under LRU - 1. A row only the second run prints is a new failure.

    python3 bench/sim/probe-diff.py <before.txt> <after.txt> [column]

column: 5 = the real cache (--real; the default), 4 = the model's first variant.
"""
import sys
def rd(f, col):
    d = {}
    for l in open(f):
        if not l.startswith('| ') or 'row |' in l: continue
        p = [x.strip() for x in l.split('|')]
        if len(p) <= col: continue
        a, b = p[col].replace('✗', '').split(' / ')
        d[p[1] + ' @' + p[2]] = (float(a), float(b))
    return d
col = int(sys.argv[3]) if len(sys.argv) > 3 else 5
a, b = rd(sys.argv[1], col), rd(sys.argv[2], col)
better = worse = 0
for k in sorted(set(a) | set(b)):
    x, y = a.get(k), b.get(k)
    if x is None:
        worse += 1; print('NEW FAIL', k, y); continue
    if y is None:
        better += 1; continue
    if y[0] < x[0] - 0.5 or (y[0] < -1 and x[0] >= -1):
        worse += 1; print('WORSE', k, x, '->', y)
    elif y[0] > x[0] + 0.5: better += 1
print('better', better, 'worse', worse)
