// The depends_on graph: name resolution, start/stop order, cycles, and condition evaluation.

import { describe, expect, it } from 'vitest';
import { parseDependsOn } from '../../../src/config/depends.js';
import { DependencyCycleError, DependencyGraph, UnknownDependencyError, type GraphNode } from '../../../src/config/dependency-graph.js';
import { conditionStatus, evaluateGate, type ProcessView } from '../../../src/engine/dependencies.js';
import { ProcessState } from '../../../src/engine/states.js';

let rank = 0;
const node = (key: string, depends = '', group = key, program = key): GraphNode => ({
  key,
  programName: program,
  groupName: group,
  dependsOn: parseDependsOn(depends),
  rank: rank++,
});

const view = (state: ProcessState, exitstatus: number | null = null, willRestart = false): ProcessView => ({
  state,
  exitstatus,
  exitcodes: [0],
  willRestart,
});

describe('order', () => {
  it('puts dependencies first and keeps supervisord order among the free', () => {
    rank = 0;
    const g = new DependencyGraph([node('web', 'app'), node('app', 'db, migrate:completed_successfully'), node('migrate', 'db'), node('db'), node('cron')]);
    expect(g.startOrder()).toEqual(['db', 'migrate', 'app', 'web', 'cron']);
    expect(g.stopOrder()).toEqual(['cron', 'web', 'app', 'migrate', 'db']);
    expect(g.dependsOn('web', 'db')).toBe(true);
    expect(g.dependsOn('db', 'web')).toBe(false);
    expect(g.empty).toBe(false);
  });

  it('is supervisord order when nothing depends on anything', () => {
    rank = 0;
    const g = new DependencyGraph([node('a'), node('b'), node('c')]);
    expect(g.startOrder()).toEqual(['a', 'b', 'c']);
    expect(g.empty).toBe(true);
  });

  it('resolves a group name to every process of the group and a program name to its processes', () => {
    rank = 0;
    const g = new DependencyGraph([
      node('workers:w_0', '', 'workers', 'w'),
      node('workers:w_1', '', 'workers', 'w'),
      node('api', 'workers'),
      node('ui', 'w:started'),
    ]);
    expect(g.dependenciesOf('api')[0].keys).toEqual(['workers:w_0', 'workers:w_1']);
    expect(g.dependenciesOf('ui')[0].keys).toEqual(['workers:w_0', 'workers:w_1']);
  });
});

describe('bad graphs', () => {
  it('names an unknown dependency', () => {
    expect(() => new DependencyGraph([node('app', 'dbb')])).toThrow(new UnknownDependencyError('app', 'dbb'));
    expect(() => new DependencyGraph([node('app', 'dbb')])).toThrow('app depends on dbb, which is not a program or group');
  });

  it('names the whole cycle', () => {
    rank = 0;
    let err: unknown;
    try {
      new DependencyGraph([node('ok'), node('a', 'b'), node('b', 'c'), node('c', 'a'), node('d', 'a')]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DependencyCycleError);
    expect((err as Error).message).toBe('dependency cycle: a -> b -> c -> a');
    expect(() => new DependencyGraph([node('self', 'self')])).toThrow('dependency cycle: self -> self');
  });
});

describe('conditions', () => {
  it('started: spawned at least once and not failed', () => {
    expect(conditionStatus('started', view(ProcessState.STOPPED))).toBe('waiting');
    expect(conditionStatus('started', view(ProcessState.STARTING))).toBe('met');
    expect(conditionStatus('started', view(ProcessState.EXITED, 1))).toBe('met');
    expect(conditionStatus('started', view(ProcessState.BACKOFF))).toBe('waiting');
    expect(conditionStatus('started', view(ProcessState.FATAL))).toBe('failed');
  });

  it('running: RUNNING; exited for good never will be', () => {
    expect(conditionStatus('running', view(ProcessState.STARTING))).toBe('waiting');
    expect(conditionStatus('running', view(ProcessState.RUNNING))).toBe('met');
    expect(conditionStatus('running', view(ProcessState.EXITED, 1, true))).toBe('waiting');
    expect(conditionStatus('running', view(ProcessState.EXITED, 0))).toBe('failed');
    expect(conditionStatus('running', view(ProcessState.FATAL))).toBe('failed');
  });

  it('completed: exited with any code; completed_successfully: with one of exitcodes', () => {
    expect(conditionStatus('completed', view(ProcessState.RUNNING))).toBe('waiting');
    expect(conditionStatus('completed', view(ProcessState.EXITED, 3))).toBe('met');
    expect(conditionStatus('completed_successfully', view(ProcessState.EXITED, 0))).toBe('met');
    expect(conditionStatus('completed_successfully', view(ProcessState.EXITED, 3))).toBe('failed');
    expect(conditionStatus('completed_successfully', view(ProcessState.EXITED, 3, true))).toBe('waiting');
    expect(conditionStatus('completed_successfully', view(ProcessState.FATAL))).toBe('failed');
  });

  it('the gate text says what a program waits for, or which dependency failed', () => {
    rank = 0;
    const g = new DependencyGraph([node('db'), node('cache'), node('migrate'), node('app', 'db, cache:ready, migrate:completed_successfully')]);
    const states: Record<string, ProcessView> = {
      db: view(ProcessState.STARTING),
      cache: view(ProcessState.RUNNING),
      migrate: view(ProcessState.RUNNING),
    };
    const gate = () => evaluateGate(g, 'app', (k) => states[k]);
    expect(gate()).toEqual({ status: 'waiting', text: 'waiting for db (running), migrate (completed_successfully)' });
    states.db = view(ProcessState.RUNNING);
    states.migrate = view(ProcessState.EXITED, 0);
    expect(gate()).toEqual({ status: 'met', text: '' });
    states.migrate = view(ProcessState.EXITED, 1);
    states.db = view(ProcessState.STARTING);
    expect(gate()).toEqual({ status: 'failed', text: 'not started: migrate failed (EXITED, exit status 1)' });
  });
});
