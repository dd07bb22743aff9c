#!/usr/bin/env node
// Prints bench/results/latest.json (written by `node bench/run.mjs --json …`) as a Markdown table.
import fs from 'node:fs';

const file = process.argv[2] ?? new URL('./results/latest.json', import.meta.url).pathname;
const { date, machine, reps = 3, results } = JSON.parse(fs.readFileSync(file, 'utf8'));
const f = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3));
console.log(`Measured ${date.slice(0, 10)}${machine ? ` on ${machine}` : ''}, median of ${reps} (min–max), svinit and supervisord alternating in one run.\n`);
console.log('| workload | unit | svinit | supervisord | svinit / supervisord | target |');
console.log('|---|---|---|---|---|---|');
for (const r of results) {
  if (!r.svinit) {
    console.log(`| ${r.name} | | ${(r.ratioToCat * 100).toFixed(1)} % of \`writer \\| cat > file\` | | | ${r.name.includes('container') ? (r.name.includes(' 2-byte') ? '≥ 40 %' : '≥ 90 %') : '≥ 95 %'} |`);
    continue;
  }
  const cell = (s) => `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
  console.log(`| ${r.name} | ${r.unit} | ${cell(r.svinit)} | ${cell(r.supervisord)} | ${Number.isFinite(r.ratio) ? `${r.ratio.toFixed(3)}×` : 'n/a'} | ${r.target} |`);
}
