// The config module's public API.
export * from './types.js';
export { loadConfig, loadCtlConfig, formatConfigError, type LoadOptions } from './load.js';
export { EVENT_TYPE_NAMES } from './event-types.js';
export { configForCommand, type CommandOptions } from './command.js';
export { findConfigFile, defaultConfigPaths } from './search.js';
export { processConfigEquals, groupConfigEquals } from './equality.js';
export { splitNamespec, makeNamespec } from './namespec.js';
export {
  splitCommand,
  parseByteSize,
  parseBoolean,
  parseOctal,
  parseExitCodes,
  parseEnvironment,
  parseInteger,
  ValueError,
} from './datatypes.js';
export { parseSignal, signalName, signame, signalNumber, SIGNAL_NAMES } from './signals.js';
export { lookupUser, resolveUser, type PasswdEntry } from './users.js';
