// The real clock. The engine schedules every transition on a Clock, so tests drive time with the
// fake one in test/helpers/fake-clock.ts.

import type { Clock } from './types.js';

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    return { id: t };
  },
  clearTimeout(handle) {
    clearTimeout(handle.id as NodeJS.Timeout);
  },
};
