// The addon loader finds native/build/Release/svinit.node from the sources, and the addon's waitpid
// never touches what is not its caller's child (ECHILD → null) and rejects a pid that would mean
// "any child" (0, -1), the call that steals libuv's exit statuses.

import { describe, expect, it } from 'vitest';
import { loadNative } from '../../../src/init/native.js';

describe('native addon', () => {
  const native = loadNative();

  it('is found next to the sources and exposes its functions', () => {
    expect(native).not.toBeNull();
    for (const fn of ['waitpidNoHang', 'setChildSubreaper', 'listenUnix', 'listenTcp', 'syslogSend', 'labelLines'] as const) expect(typeof native![fn]).toBe('function');
    expect(loadNative()).toBe(native);
  });

  it('waitpidNoHang: null for a process that is not our child', () => {
    expect(native!.waitpidNoHang(1)).toBeNull();
    expect(native!.waitpidNoHang(process.pid)).toBeNull();
  });

  it('waitpidNoHang refuses 0 and -1 (they would wait for any child)', () => {
    expect(() => native!.waitpidNoHang(-1)).toThrow(TypeError);
    expect(() => native!.waitpidNoHang(0)).toThrow(TypeError);
  });
});
