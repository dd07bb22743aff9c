// The RPC map's own rules with a fake engine: FAILED faults (which a live daemon rarely raises),
// unexpected engine errors, and the XML codec's refusals.

import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/engine/errors.js';
import type { SupervisorApi } from '../../../src/engine/types.js';
import { createRpcDispatcher } from '../../../src/rpc/methods.js';
import { decodeRequest, decodeResponse, encodeRequest, XmlRpcParseError } from '../../../src/rpc/xmlrpc.js';

function fakeApi(over: Partial<SupervisorApi>): SupervisorApi {
  return new Proxy(over as SupervisorApi, {
    get: (target, key) => (key in target ? target[key as keyof SupervisorApi] : key === 'assertRunning' ? () => undefined : undefined),
  });
}

describe('faults from the engine', () => {
  it('FAILED with the engine\'s text, and FAILED: <class>:<msg> for anything unexpected', async () => {
    const rpc = createRpcDispatcher(
      fakeApi({
        clearProcessLogs: () => {
          throw new EngineError('FAILED', 'web');
        },
        getAllProcessInfo: () => {
          throw new TypeError('boom');
        },
      }),
    );
    const body = (method: string, params: unknown[] = []) => Buffer.from(encodeRequest(method, params as never));
    expect(decodeResponse(await rpc.handle(body('supervisor.clearProcessLogs', ['web'])))).toEqual({ fault: { faultCode: 30, faultString: 'FAILED: web' } });
    expect(decodeResponse(await rpc.handle(body('supervisor.getAllProcessInfo')))).toEqual({ fault: { faultCode: 30, faultString: 'FAILED: TypeError:boom' } });
    expect(decodeResponse(await rpc.handle(body('system.multicall', [[{ methodName: 'supervisor.getAllProcessInfo' }]])))).toEqual({
      value: [{ faultCode: 30, faultString: 'FAILED: TypeError:boom' }],
    });
  });

  it('SHUTDOWN_STATE comes from the engine for supervisor.* but not for sendRemoteCommEvent', async () => {
    let sent = 0;
    const rpc = createRpcDispatcher({
      assertRunning: () => {
        throw new EngineError('SHUTDOWN_STATE');
      },
      sendRemoteCommEvent: () => void sent++,
    } as unknown as SupervisorApi);
    await expect(rpc.call('supervisor.getAllProcessInfo', [])).rejects.toMatchObject({ code: 6, message: 'SHUTDOWN_STATE' });
    expect(await rpc.call('supervisor.sendRemoteCommEvent', ['t', 'd'])).toBe(true);
    expect(sent).toBe(1);
  });
});

describe('codec refusals', () => {
  it('refuses DTDs, entities, bad types and bad structure', () => {
    const bad = [
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><methodCall><methodName>a.b</methodName></methodCall>',
      '<methodCall><methodName>a.b</methodName><params><param><value><int>x</int></value></param></params></methodCall>',
      '<methodCall><methodName>a.b</methodName><params><param><value><boolean>yes</boolean></value></param></params></methodCall>',
      '<methodCall><methodName>&unknown;</methodName></methodCall>',
      '<methodResponse/>',
      '',
    ];
    for (const xml of bad) expect(() => decodeRequest(xml), xml).toThrow(XmlRpcParseError);
  });

  it('round-trips every type; a <value> without a type is a string', () => {
    const params = [1, -2, 2.5, true, false, 'a&b<c>', [1, [2]], { k: { n: 'v' } }, new Date(Date.UTC(2024, 0, 2, 3, 4, 5))];
    const { method, params: back } = decodeRequest(encodeRequest('x.y', params));
    expect(method).toBe('x.y');
    expect(back).toEqual(params);
    expect(decodeRequest('<methodCall><methodName>x.y</methodName><params><param><value>plain</value></param></params></methodCall>').params).toEqual(['plain']);
  });
});
