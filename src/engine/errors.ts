// Errors the engine raises for control requests. Their kinds are supervisord's fault names
// (xmlrpc.py Faults) because group/all results carry them as status codes; the RPC layer turns an
// EngineError into an XML-RPC Fault and knows nothing else about them.

export const Faults = {
  UNKNOWN_METHOD: 1,
  INCORRECT_PARAMETERS: 2,
  BAD_ARGUMENTS: 3,
  SIGNATURE_UNSUPPORTED: 4,
  SHUTDOWN_STATE: 6,
  BAD_NAME: 10,
  BAD_SIGNAL: 11,
  NO_FILE: 20,
  NOT_EXECUTABLE: 21,
  FAILED: 30,
  ABNORMAL_TERMINATION: 40,
  SPAWN_ERROR: 50,
  ALREADY_STARTED: 60,
  NOT_RUNNING: 70,
  SUCCESS: 80,
  ALREADY_ADDED: 90,
  STILL_RUNNING: 91,
  CANT_REREAD: 92,
} as const;

export type FaultName = keyof typeof Faults;

export class EngineError extends Error {
  readonly code: number;
  constructor(
    public readonly fault: FaultName,
    public readonly extra?: string,
  ) {
    // supervisord's faultString: NAME, plus ": extra" when there is extra text.
    super(extra === undefined ? fault : `${fault}: ${extra}`);
    this.code = Faults[fault];
    this.name = 'EngineError';
  }
}
