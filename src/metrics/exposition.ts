// Prometheus text exposition format 0.0.4, written by hand: svinit's metrics are a few families
// over a snapshot of the engine, and a client library's registry would only copy that snapshot.
// Format reference: https://prometheus.io/docs/instrumenting/exposition_formats/

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'counter' | 'gauge' | 'summary' | 'untyped';

export type Labels = Record<string, string | number>;

export interface Sample {
  labels?: Labels;
  value: number;
  /** Appended to the family name: `_sum`, `_count` for summaries. */
  suffix?: string;
}

/** A sample value: Go's float formatting for the special values, JavaScript's shortest form otherwise. */
export function formatValue(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

/** Label values escape backslash, double quote and line feed. */
export function escapeLabelValue(v: string): string {
  return /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;
}

/** HELP text escapes backslash and line feed only. */
export function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function labelText(labels: Labels | undefined): string {
  if (!labels) return '';
  let s = '';
  for (const k in labels) s += `${s ? ',' : ''}${k}="${escapeLabelValue(String(labels[k]))}"`;
  return s ? `{${s}}` : '';
}

/** Accumulates metric families in order; toString() is the response body. */
export class Exposition {
  private readonly parts: string[] = [];
  private readonly names = new Set<string>();

  /** One family: its HELP and TYPE lines, then its samples. A family with no sample is left out. */
  family(name: string, type: MetricType, help: string, samples: Iterable<Sample>): this {
    if (this.names.has(name)) throw new Error(`metric family ${name} written twice`);
    this.names.add(name);
    let body = '';
    for (const s of samples) body += `${name}${s.suffix ?? ''}${labelText(s.labels)} ${formatValue(s.value)}\n`;
    if (body) this.parts.push(`# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n${body}`);
    return this;
  }

  toString(): string {
    return this.parts.join('');
  }
}
