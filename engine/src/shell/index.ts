/**
 * The zkCli-compatible shell: public API (see docs/shell.md).
 */
export { startShell, type ShellHandle, type ShellOptions } from './repl.js';
export { ShellSession, type SessionOptions } from './session.js';
export { zkClientFactory, type ZkClientFactoryOptions } from './zk-client-port.js';
export type { ClientFactory, ClientListener, ShellClient, SessionStateName, Printer } from './command.js';
export { parseMainArgs, type MainArgs } from './main-args.js';
export { completeLine, type ChildrenLister } from './completer.js';
export { COMMAND_NAMES, usageText } from './usage.js';
