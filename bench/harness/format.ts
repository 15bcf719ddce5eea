/** Number formatting shared by the terminal table, the markdown report and the charts. */

/** 100000 → "100k", 1000000 → "1M". */
export function formatCount(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`
  return String(n)
}

/** 100 → "100 B", 4096 → "4 KiB". */
export function formatBytes(n: number): string {
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`
  return `${n} B`
}

/** Three significant digits with k/M/G suffixes: 1234567 → "1.23M". */
export function formatSi(n: number): string {
  if (!Number.isFinite(n)) return '–'
  const abs = Math.abs(n)
  const [div, suffix] = abs >= 1e9 ? [1e9, 'G'] : abs >= 1e6 ? [1e6, 'M'] : abs >= 1e3 ? [1e3, 'k'] : [1, '']
  return `${significant(n / div)}${suffix}`
}

export function significant(n: number, digits = 3): string {
  if (n === 0 || !Number.isFinite(n)) return String(n)
  const magnitude = Math.floor(Math.log10(Math.abs(n)))
  const decimals = Math.max(0, digits - 1 - magnitude)
  // Number() drops trailing zeros: "50", "2.5", not "50.0", "2.50".
  return String(Number(n.toFixed(decimals)))
}

export function formatRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '–'
  return `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`
}

export function formatPercent(fraction: number | undefined, decimals = 1): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return '–'
  return `${(fraction * 100).toFixed(decimals)}%`
}

/** A figure with its unit: "1.23M ops/s", "187 B/entry", "512 ms", "310 ns", "42.1%". */
export function formatFigure(value: number, metric: string): string {
  switch (metric) {
    case 'ops/s':
      return `${formatSi(value)} ops/s`
    case 'bytes/entry':
      return `${significant(value)} B/entry`
    case 'ms':
      return `${significant(value)} ms`
    case 'bytes':
      return formatMemory(value)
    case 'ns':
      return `${formatSi(value)} ns`
    case '%':
      return `${value.toFixed(2)}%`
    default:
      return `${significant(value)} ${metric}`
  }
}

/** Bytes as MiB or GiB with three significant digits. */
export function formatMemory(bytes: number): string {
  return bytes >= 2 ** 30 ? `${significant(bytes / 2 ** 30)} GiB` : `${significant(bytes / 2 ** 20)} MiB`
}
