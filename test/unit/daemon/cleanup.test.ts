// The daemon's one cleanup stack: reverse order, every step runs, once.

import { describe, expect, it } from 'vitest';
import { CleanupStack, startupError } from '../../../src/daemon/cleanup.js';

describe('CleanupStack', () => {
  it('unwinds newest first, awaiting each step, and keeps going past a failing step', async () => {
    const order: string[] = [];
    const stack = new CleanupStack();
    stack.push(() => void order.push('logger'));
    stack.push(async () => {
      await Promise.resolve();
      order.push('reaper');
    });
    stack.push(() => {
      throw new Error('socket already gone');
    });
    stack.push(() => void order.push('http'));
    await stack.unwind();
    expect(order).toEqual(['http', 'reaper', 'logger']);
  });

  it('runs each step once even when unwound twice', async () => {
    let runs = 0;
    const stack = new CleanupStack();
    stack.push(() => void runs++);
    await stack.unwind();
    await stack.unwind();
    expect(runs).toBe(1);
  });

  it('startupError carries the text svinit prints, with the help hint', () => {
    expect(startupError('cannot bind').message).toBe('Error: cannot bind\nFor help, use svinit -h\n');
  });
});
