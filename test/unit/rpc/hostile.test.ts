// Hostile XML-RPC bodies against the codec and the dispatcher with a fake engine: struct members
// that try to reach Object.prototype, and multicalls and responses beyond svinit's limits.

import { describe, expect, it } from 'vitest';
import type { SupervisorApi } from '../../../src/engine/types.js';
import { createRpcDispatcher, MAX_MULTICALL_CALLS, MAX_RESPONSE_BYTES } from '../../../src/rpc/methods.js';
import { decodeRequest, decodeResponse, encodeRequest } from '../../../src/rpc/xmlrpc.js';

function fakeApi(over: Partial<SupervisorApi>): SupervisorApi {
  return new Proxy(over as SupervisorApi, {
    get: (target, key) => (key in target ? target[key as keyof SupervisorApi] : key === 'assertRunning' ? () => undefined : undefined),
  });
}

const member = (name: string, value: string) => `<member><name>${name}</name><value>${value}</value></member>`;
const call = (method: string, paramsXml: string) => Buffer.from(`<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${paramsXml}</params></methodCall>`);

describe('struct members named __proto__', () => {
  it('decode into an own member, never into the prototype', () => {
    const { params } = decodeRequest(call('x.y', `<param><value><struct>${member('__proto__', `<struct>${member('polluted', '<string>yes</string>')}</struct>`)}</struct></value></param>`));
    const s = params[0] as Record<string, unknown>;
    expect(Object.getPrototypeOf(s)).toBe(null);
    expect(Object.keys(s)).toEqual(['__proto__']);
    expect((s as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('a multicall item {__proto__: {methodName}} runs nothing', async () => {
    let stopped = 0;
    const rpc = createRpcDispatcher(fakeApi({ stopAllProcesses: async () => (stopped++, []) }));
    const inner = `<struct>${member('methodName', '<string>supervisor.stopAllProcesses</string>')}</struct>`;
    const body = call('system.multicall', `<param><value><array><data><value><struct>${member('__proto__', inner)}</struct></value></data></array></value></param>`);
    expect(decodeResponse(await rpc.handle(body))).toEqual({ value: [{ faultCode: 2, faultString: 'INCORRECT_PARAMETERS: No methodName' }] });
    expect(stopped).toBe(0);
  });
});

describe('size limits', () => {
  it(`a multicall of more than ${MAX_MULTICALL_CALLS} calls is a Fault and runs none of them`, async () => {
    let calls = 0;
    const rpc = createRpcDispatcher(fakeApi({ getState: () => (calls++, { statecode: 1, statename: 'RUNNING' }) }));
    const many = Array.from({ length: MAX_MULTICALL_CALLS + 1 }, () => ({ methodName: 'supervisor.getState' }));
    const res = decodeResponse(await rpc.handle(Buffer.from(encodeRequest('system.multicall', [many]))));
    expect(res).toEqual({ fault: { faultCode: 2, faultString: `INCORRECT_PARAMETERS: a multicall holds at most ${MAX_MULTICALL_CALLS} calls, got ${MAX_MULTICALL_CALLS + 1}` } });
    expect(calls).toBe(0);
    const ok = decodeResponse(await rpc.handle(Buffer.from(encodeRequest('system.multicall', [many.slice(1)]))));
    expect((ok as { value: unknown[] }).value).toHaveLength(MAX_MULTICALL_CALLS);
  });

  it('a response over the size limit is a FAILED Fault, not a huge body', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const rpc = createRpcDispatcher(fakeApi({ getAllProcessInfo: () => Array.from({ length: MAX_RESPONSE_BYTES / big.length + 1 }, () => ({ description: big })) as never }));
    const xml = await rpc.handle(Buffer.from(encodeRequest('supervisor.getAllProcessInfo', [])));
    expect(xml.length).toBeLessThan(1024);
    expect(decodeResponse(xml)).toEqual({ fault: { faultCode: 30, faultString: `FAILED: response larger than ${MAX_RESPONSE_BYTES} bytes` } });
  });

  it('a multicall stops running calls once their results cannot fit one response', async () => {
    const chunk = 'x'.repeat(MAX_RESPONSE_BYTES / 2 + 1);
    let reads = 0;
    const rpc = createRpcDispatcher(fakeApi({ readMainLog: () => (reads++, chunk) }));
    const calls = Array.from({ length: 10 }, () => ({ methodName: 'supervisor.readLog', params: [0, 0] }));
    const xml = await rpc.handle(Buffer.from(encodeRequest('system.multicall', [calls])));
    expect(decodeResponse(xml)).toEqual({ fault: { faultCode: 30, faultString: `FAILED: response larger than ${MAX_RESPONSE_BYTES} bytes` } });
    // Two halves are over the cap: the third read never happens.
    expect(reads).toBe(2);
  });
});
