// svctl against the oracle: Debian's supervisorctl 4.2.5 and supervisord 4.2.5 (see harness.ts).

import fs from 'node:fs';
import { defineCompatSuite } from './compat-suite.js';
import { SUPERVISORCTL, SUPERVISORD, supervisordFactory } from './harness.js';

if (!fs.existsSync(SUPERVISORCTL) || !fs.existsSync(SUPERVISORD)) throw new Error('the real supervisor package is required (apt-get install -y supervisor)');

defineCompatSuite('supervisord 4.2.5', supervisordFactory);
