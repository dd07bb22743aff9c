// The config module's public API.
export * from './types.js';
export { loadConfig, loadCtlConfig, formatConfigError, EVENT_TYPE_NAMES, type LoadOptions } from './load.js';
export { configForCommand, type CommandOptions } from './command.js';
export { findConfigFile, defaultConfigPaths } from './search.js';
export { processConfigEquals, groupConfigEquals } from './equality.js';
export { splitNamespec, makeNamespec } from './namespec.js';
export {
  splitCommand,
  parseSignal,
  signalName,
  parseByteSize,
  parseBoolean,
  parseOctal,
  parseExitCodes,
  parseEnvironment,
  parseInteger,
  ValueError,
} from './datatypes.js';
export { lookupUser, resolveUser, type PasswdEntry } from './users.js';
