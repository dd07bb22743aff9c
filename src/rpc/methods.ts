// The supervisor.* and system.* XML-RPC methods: argument checks, types and faults, mapped onto
// the engine's SupervisorApi. No process logic lives here.

import { EngineError, Faults, type FaultName } from '../engine/errors.js';
import { MAX_LOG_WINDOW } from '../engine/log-access.js';
import type { Channel, SupervisorApi } from '../engine/types.js';
import { decodeRequest, encodeFault, encodeResponse, ResponseTooLarge, XmlRpcParseError, type XmlRpcValue } from './xmlrpc.js';

export const API_VERSION = '3.0';
export const SUPERVISOR_VERSION = '4.2.5';

/** svinit's limits (supervisord has none; see docs/limits.md): beyond them a call gets a Fault. */
export const MAX_MULTICALL_CALLS = 1000;
/** A log read may fill a whole response: the engine's window bound is the response cap. */
export const MAX_RESPONSE_BYTES = MAX_LOG_WINDOW;

/** Bytes a value's strings will take in the response, at least (a running bound for multicall). */
function stringBytes(v: XmlRpcValue): number {
  if (typeof v === 'string') return v.length;
  if (Buffer.isBuffer(v)) return v.length;
  if (Array.isArray(v)) return v.reduce<number>((n, x) => n + stringBytes(x), 0);
  if (v && typeof v === 'object' && !(v instanceof Date)) return Object.values(v).reduce<number>((n, x) => n + stringBytes(x as XmlRpcValue), 0);
  return 0;
}

type ParamType = 'string' | 'int' | 'boolean' | 'array' | 'struct';
interface Method {
  /** Parameter types; those after `required` are optional. */
  params: ParamType[];
  required?: number;
  returns: string;
  help: string;
  run(api: SupervisorApi, args: XmlRpcValue[]): XmlRpcValue | Promise<XmlRpcValue>;
  /** Exempt from SHUTDOWN_STATE (sendRemoteCommEvent, as supervisord). */
  anyState?: boolean;
}

export class RpcFault extends Error {
  constructor(
    public readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const fault = (name: keyof typeof Faults, extra?: string) => new RpcFault(Faults[name], extra === undefined ? name : `${name}: ${extra}`);

const str = (v: XmlRpcValue) => v as string;
const int = (v: XmlRpcValue) => v as number;
const bool = (v: XmlRpcValue | undefined, dflt = true) => (v === undefined ? dflt : (v as boolean));

const readLog = (channel: Channel) => (api: SupervisorApi, [name, offset, length]: XmlRpcValue[]) =>
  api.readProcessLog(str(name), channel, int(offset), int(length));
const tailLog = (channel: Channel) => (api: SupervisorApi, [name, offset, length]: XmlRpcValue[]) =>
  api.tailProcessLog(str(name), channel, int(offset), int(length)) as XmlRpcValue;

const SUPERVISOR: Record<string, Method> = {
  getAPIVersion: { params: [], returns: 'string', help: 'Return the version of the RPC API used by supervisord', run: () => API_VERSION },
  getSupervisorVersion: { params: [], returns: 'string', help: 'Return the version of the supervisor package in use by supervisord', run: () => SUPERVISOR_VERSION },
  getIdentification: { params: [], returns: 'string', help: 'Return identifying string of supervisord', run: (api) => api.identifier },
  getState: { params: [], returns: 'struct', help: 'Return current state of supervisord as a struct', run: (api) => api.getState() as unknown as XmlRpcValue },
  getPID: { params: [], returns: 'int', help: 'Return the PID of supervisord', run: (api) => api.pid },
  readLog: {
    params: ['int', 'int'],
    returns: 'string',
    help: 'Read length bytes from the main log starting at offset',
    run: (api, [o, l]) => api.readMainLog(int(o), int(l)),
  },
  clearLog: { params: [], returns: 'boolean', help: 'Clear the main log.', run: (api) => (api.clearMainLog(), true) },
  shutdown: { params: [], returns: 'boolean', help: 'Shut down the supervisor process', run: (api) => (api.shutdown(), true) },
  restart: { params: [], returns: 'boolean', help: 'Restart the supervisor process', run: (api) => (api.restart(), true) },
  reloadConfig: {
    params: [],
    returns: 'array',
    help: 'Reload the configuration. The result contains three arrays containing names of process groups: added, changed and removed.',
    run: (api) => {
      const d = api.reloadConfig();
      return [[d.added, d.changed, d.removed]];
    },
  },
  addProcessGroup: { params: ['string'], returns: 'boolean', help: 'Update the config for a running process from config file.', run: (api, [n]) => (api.addProcessGroup(str(n)), true) },
  removeProcessGroup: { params: ['string'], returns: 'boolean', help: 'Remove a stopped process from the active configuration.', run: (api, [n]) => (api.removeProcessGroup(str(n)), true) },
  startProcess: {
    params: ['string', 'boolean'],
    required: 1,
    returns: 'boolean',
    help: 'Start a process',
    run: (api, [n, w]) => api.startProcess(str(n), bool(w)) as Promise<XmlRpcValue>,
  },
  startProcessGroup: {
    params: ['string', 'boolean'],
    required: 1,
    returns: 'array',
    help: 'Start all processes in the group named name',
    run: (api, [n, w]) => api.startProcessGroup(str(n), bool(w)) as unknown as Promise<XmlRpcValue>,
  },
  startAllProcesses: { params: ['boolean'], required: 0, returns: 'array', help: 'Start all processes listed in the configuration file', run: (api, [w]) => api.startAllProcesses(bool(w)) as unknown as Promise<XmlRpcValue> },
  stopProcess: { params: ['string', 'boolean'], required: 1, returns: 'boolean', help: 'Stop a process named by name', run: (api, [n, w]) => api.stopProcess(str(n), bool(w)) as Promise<XmlRpcValue> },
  stopProcessGroup: {
    params: ['string', 'boolean'],
    required: 1,
    returns: 'array',
    help: 'Stop all processes in the process group named name',
    run: (api, [n, w]) => api.stopProcessGroup(str(n), bool(w)) as unknown as Promise<XmlRpcValue>,
  },
  stopAllProcesses: { params: ['boolean'], required: 0, returns: 'array', help: 'Stop all processes in the process list', run: (api, [w]) => api.stopAllProcesses(bool(w)) as unknown as Promise<XmlRpcValue> },
  signalProcess: { params: ['string', 'string'], returns: 'boolean', help: 'Send an arbitrary UNIX signal to the process named by name', run: (api, [n, s]) => api.signalProcess(str(n), String(s)) as XmlRpcValue },
  signalProcessGroup: { params: ['string', 'string'], returns: 'array', help: 'Send a signal to all processes in the group named name', run: (api, [n, s]) => api.signalProcessGroup(str(n), String(s)) as unknown as XmlRpcValue },
  signalAllProcesses: { params: ['string'], returns: 'array', help: 'Send a signal to all processes in the process list', run: (api, [s]) => api.signalAllProcesses(String(s)) as unknown as XmlRpcValue },
  getAllConfigInfo: { params: [], returns: 'array', help: 'Get info about all available process configurations.', run: (api) => api.getAllConfigInfo() as unknown as XmlRpcValue },
  getProcessInfo: { params: ['string'], returns: 'struct', help: 'Get info about a process named name', run: (api, [n]) => api.getProcessInfo(str(n)) as unknown as XmlRpcValue },
  getAllProcessInfo: { params: [], returns: 'array', help: 'Get info about all processes', run: (api) => api.getAllProcessInfo() as unknown as XmlRpcValue },
  readProcessStdoutLog: { params: ['string', 'int', 'int'], returns: 'string', help: "Read length bytes from name's stdout log starting at offset", run: readLog('stdout') },
  readProcessStderrLog: { params: ['string', 'int', 'int'], returns: 'string', help: "Read length bytes from name's stderr log starting at offset", run: readLog('stderr') },
  tailProcessStdoutLog: {
    params: ['string', 'int', 'int'],
    returns: 'array',
    help: "Provides a more efficient way to tail the (stdout) log than readProcessStdoutLog(). Returns [string bytes, int offset, bool overflow]",
    run: tailLog('stdout'),
  },
  tailProcessStderrLog: {
    params: ['string', 'int', 'int'],
    returns: 'array',
    help: "Provides a more efficient way to tail the (stderr) log than readProcessStderrLog(). Returns [string bytes, int offset, bool overflow]",
    run: tailLog('stderr'),
  },
  clearProcessLogs: { params: ['string'], returns: 'boolean', help: 'Clear the stdout and stderr logs for the named process and reopen them.', run: (api, [n]) => (api.clearProcessLogs(str(n)), true) },
  clearAllProcessLogs: { params: [], returns: 'array', help: 'Clear all process log files', run: (api) => api.clearAllProcessLogs() as unknown as XmlRpcValue },
  sendProcessStdin: {
    params: ['string', 'string'],
    returns: 'boolean',
    help: 'Send a string of chars to the stdin of the process name.',
    run: (api, [n, chars]) => (api.sendProcessStdin(str(n), str(chars)), true),
  },
  sendRemoteCommEvent: {
    params: ['string', 'string'],
    returns: 'boolean',
    help: 'Send an event that will be received by event listener subprocesses subscribing to the RemoteCommunicationEvent.',
    anyState: true,
    run: (api, [t, d]) => (api.sendRemoteCommEvent(str(t), str(d)), true),
  },
};
// supervisord's backwards-compatible aliases.
SUPERVISOR.getVersion = SUPERVISOR.getAPIVersion;
SUPERVISOR.readMainLog = SUPERVISOR.readLog;
SUPERVISOR.readProcessLog = SUPERVISOR.readProcessStdoutLog;
SUPERVISOR.tailProcessLog = SUPERVISOR.tailProcessStdoutLog;
SUPERVISOR.clearProcessLog = SUPERVISOR.clearProcessLogs;

const SYSTEM_HELP: Record<string, { params: ParamType[]; returns: string; help: string }> = {
  listMethods: { params: [], returns: 'array', help: 'Return an array listing the available method names' },
  methodHelp: { params: ['string'], returns: 'string', help: 'Return a string showing the method\'s documentation' },
  methodSignature: { params: ['string'], returns: 'array', help: "Return an array describing the method signature in the form [rtype, ptype, ptype...] where rtype is the return data type of the method, and ptypes are the parameter data types that the method accepts in method argument order." },
  multicall: { params: ['array'], returns: 'array', help: 'Process an array of calls, and return an array of results. Calls should be structs of the form {\'methodName\': string, \'params\': array}. Each result will either be a single-item array containing the result value, or a struct of the form {\'faultCode\': int, \'faultString\': string}. This is useful when you need to make lots of small calls without lots of round trips.' },
};

function typeOk(t: ParamType, v: XmlRpcValue): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'int':
      return typeof v === 'number' && Number.isInteger(v);
    case 'boolean':
      // Python truthiness: supervisord accepts ints for wait flags.
      return typeof v === 'boolean' || typeof v === 'number';
    case 'array':
      return Array.isArray(v);
    case 'struct':
      return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v);
  }
}

const toFault = (e: unknown): RpcFault => {
  if (e instanceof RpcFault) return e;
  if (e instanceof EngineError) return new RpcFault(e.code, e.message);
  return new RpcFault(Faults.FAILED, `FAILED: ${(e as Error)?.name ?? 'Error'}:${(e as Error)?.message ?? String(e)}`);
};

export interface RpcDispatcher {
  call(method: string, params: XmlRpcValue[]): Promise<XmlRpcValue>;
  /** Decodes a request body and returns the response XML; throws XmlRpcParseError for a bad body. */
  handle(body: Buffer): Promise<string>;
  methodNames(): string[];
}

/** The fault's name for /metrics (e.g. BAD_NAME), or its number when it has none. */
function faultNameOf(code: number): string {
  return (Object.keys(Faults) as FaultName[]).find((k) => Faults[k] === code) ?? String(code);
}

export function createRpcDispatcher(api: SupervisorApi, onRequest?: (method: string, fault: string | null) => void): RpcDispatcher {
  const names = [...Object.keys(SUPERVISOR).map((m) => `supervisor.${m}`), ...Object.keys(SYSTEM_HELP).map((m) => `system.${m}`)].sort();

  const lookup = (name: string) => {
    const parts = name.split('.');
    if (parts.length !== 2 || parts[1].startsWith('_')) return null;
    const [ns, m] = parts;
    if (ns === 'supervisor' && Object.prototype.hasOwnProperty.call(SUPERVISOR, m)) return { ns, m, spec: SUPERVISOR[m] };
    if (ns === 'system' && Object.prototype.hasOwnProperty.call(SYSTEM_HELP, m)) return { ns, m, spec: SYSTEM_HELP[m] };
    return null;
  };

  const checkArgs = (params: ParamType[], required: number, args: XmlRpcValue[]) => {
    if (args.length < required || args.length > params.length) throw fault('INCORRECT_PARAMETERS');
    args.forEach((a, i) => {
      if (!typeOk(params[i], a)) throw fault('INCORRECT_PARAMETERS');
    });
  };

  const system = async (m: string, args: XmlRpcValue[]): Promise<XmlRpcValue> => {
    checkArgs(SYSTEM_HELP[m].params, SYSTEM_HELP[m].params.length, args);
    if (m === 'listMethods') return names;
    if (m === 'methodHelp' || m === 'methodSignature') {
      const found = lookup(str(args[0]));
      if (!found) throw fault('SIGNATURE_UNSUPPORTED');
      if (m === 'methodHelp') return found.spec.help;
      return [found.spec.returns, ...found.spec.params];
    }
    // multicall: calls run in order; a deferred call holds the later ones (supervisord's quirk:
    // successes are bare values, not one-element arrays).
    const calls = args[0] as XmlRpcValue[];
    if (calls.length > MAX_MULTICALL_CALLS) throw fault('INCORRECT_PARAMETERS', `a multicall holds at most ${MAX_MULTICALL_CALLS} calls, got ${calls.length}`);
    const results: XmlRpcValue[] = [];
    let bytes = 0;
    for (const call of calls) {
      // Stop as soon as the results cannot fit one response (each call alone may be up to the cap).
      if (bytes > MAX_RESPONSE_BYTES) throw new ResponseTooLarge();
      try {
        const c = call as { methodName?: XmlRpcValue; params?: XmlRpcValue };
        if (typeof call !== 'object' || call === null || Array.isArray(call) || c.methodName === undefined) throw fault('INCORRECT_PARAMETERS', 'No methodName');
        if (c.methodName === 'system.multicall') throw fault('INCORRECT_PARAMETERS', 'Recursive system.multicall forbidden');
        const params = c.params === undefined ? [] : c.params;
        if (!Array.isArray(params)) throw fault('INCORRECT_PARAMETERS');
        const result = await dispatch(String(c.methodName), params);
        bytes += stringBytes(result);
        results.push(result);
      } catch (e) {
        const f = toFault(e);
        results.push({ faultCode: f.code, faultString: f.message });
      }
    }
    return results;
  };

  const dispatch = async (method: string, args: XmlRpcValue[]): Promise<XmlRpcValue> => {
    const found = lookup(method);
    if (!found) throw fault('UNKNOWN_METHOD');
    if (found.ns === 'system') return system(found.m, args);
    const spec = found.spec as Method;
    checkArgs(spec.params, spec.required ?? spec.params.length, args);
    if (!spec.anyState) api.assertRunning();
    return await spec.run(api, args);
  };

  return {
    call: dispatch,
    methodNames: () => names,
    async handle(body: Buffer): Promise<string> {
      const { method, params } = decodeRequest(body);
      try {
        const response = encodeResponse(await dispatch(method, params), MAX_RESPONSE_BYTES);
        onRequest?.(method, null);
        return response;
      } catch (e) {
        if (e instanceof XmlRpcParseError) throw e;
        if (e instanceof ResponseTooLarge) {
          onRequest?.(method, 'FAILED');
          return encodeFault(Faults.FAILED, `FAILED: response larger than ${MAX_RESPONSE_BYTES} bytes`);
        }
        const f = toFault(e);
        onRequest?.(method, faultNameOf(f.code));
        return encodeFault(f.code, f.message);
      }
    },
  };
}
