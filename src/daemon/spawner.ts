// The one place the daemon chooses how children are spawned; swapping the spawner is a one-line
// change here.

import { createNodeSpawner } from '../engine/node-spawner.js';
import type { Spawner } from '../engine/types.js';

export function createSpawner(): Spawner {
  return createNodeSpawner();
}
