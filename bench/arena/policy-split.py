# Splits two callgrind runs of bench/arena/policy-split.sh by function (stop 48): per-set instructions and
# cache misses of each generated function (wasm by index, JavaScript by V8 perf map).
import sys, re, bisect, collections, os
# usage: [WAT=<dist>/wasm/cortado.wat] python3 bench/arena/policy-split.py <callgrind out A (fewer passes)> <callgrind out B> <ops between> [top]
EV = None
def load(path):
    global EV
    pid = None
    costs = collections.defaultdict(lambda: [0]*9)   # addr -> events (self cost only)
    names = {}
    cur_fn = None; last = 0; skip_next = False
    with open(path) as f:
        for line in f:
            if line.startswith('pid:'): pid = int(line.split()[1]); continue
            if line.startswith('events:'): EV = line.split()[1:]; continue
            c = line[0] if line else ''
            if c in '0123456789+-*':
                parts = line.split()
                p = parts[0]
                if p == '*': a = last
                elif p[0] in '+-': a = last + int(p)
                else: a = int(p, 16)
                last = a
                if skip_next: skip_next = False; continue
                v = costs[a]
                for i, x in enumerate(parts[1:]): v[i] += int(x)
                continue
            if line.startswith('calls='):
                skip_next = True
                continue
    return pid, costs
def perfmap(pid):
    rows = []
    for line in open('/tmp/perf-%d.map' % pid):
        s, n, name = line.rstrip('\n').split(' ', 2)
        rows.append((int(s, 16), int(n, 16), name))
    rows.sort()
    return rows
def attribute(path):
    pid, costs = load(path)
    rows = perfmap(pid)
    starts = [r[0] for r in rows]
    by = collections.defaultdict(lambda: [0]*9)
    for a, v in costs.items():
        i = bisect.bisect_right(starts, a) - 1
        name = 'native'
        if i >= 0 and a < rows[i][0] + rows[i][1]: name = rows[i][2]
        name = re.sub(r'0x[0-9a-f]+', '', name)
        b = by[name]
        for k in range(9): b[k] += v[k]
    return by
A = attribute(sys.argv[1]); B = attribute(sys.argv[2]); ops = float(sys.argv[3]); top = int(sys.argv[4]) if len(sys.argv) > 4 else 40
ix = {e: i for i, e in enumerate(EV)}
WN = {}
if os.environ.get('WAT'):
    import re as _re
    w = open(os.environ['WAT']).read(); i = 0
    for m in _re.finditer(r'^\s*\((import "[^"]*" "[^"]*" \(func (\$\S+)|func (\$\S+))', w, _re.M):
        WN[i] = (m.group(2) or m.group(3)).split('/')[-1]; i += 1
def nm(k):
    m = re.match(r'JS:wasm-function\[(\d+)\]', k)
    return 'wasm ' + WN.get(int(m.group(1)), k) if m and WN else k
def d(k, e):
    return (B.get(k, [0]*9)[ix[e]] - A.get(k, [0]*9)[ix[e]]) / ops
rows = []
for k in set(A) | set(B):
    ir = d(k, 'Ir'); d1 = d(k, 'D1mr') + d(k, 'D1mw'); ll = d(k, 'DLmr') + d(k, 'DLmw')
    rows.append((ir, d1, ll, k))
rows.sort(key=lambda r: -abs(r[0]))
jit = [r for r in rows if r[3] != 'native']
print('generated code: Ir %.1f D1 %.2f LL %.2f; native %.1f' % (sum(r[0] for r in jit), sum(r[1] for r in jit), sum(r[2] for r in jit), sum(r[0] for r in rows if r[3]=='native')))
print('%8s %6s %6s  %s' % ('Ir', 'D1', 'LL', 'function'))
for r in rows[:top]: print('%8.1f %6.2f %6.2f  %s' % (r[0], r[1], r[2], nm(r[3])[:90]))
print('wasm total Ir %.1f D1 %.2f' % (sum(r[0] for r in rows if 'wasm-function' in r[3]), sum(r[1] for r in rows if 'wasm-function' in r[3])))
