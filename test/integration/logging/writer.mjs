// A fast writer: numbered lines `<9-digit number> <50 x>\n` (61 bytes) to stdout, at least `total`
// bytes, in 64 KiB blocks with blocking writes (what a busy program's stdout looks like).
import fs from 'node:fs';

const total = Number(process.argv[2] ?? 50 * 1024 * 1024);
const pad = 'x'.repeat(50);
let n = 0;
let written = 0;
while (written < total) {
  let block = '';
  while (block.length < 65536) block += `${String(n++).padStart(9, '0')} ${pad}\n`;
  const buf = Buffer.from(block);
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(1, buf, off);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
  }
  written += buf.length;
}
