/**
 * What every shell command sees: the session's client (through the narrow port below), two
 * printers standing for Java's System.out and System.err, and the time zone dates print in.
 * A command either returns (success) or throws a CliError (zkCli's CliException).
 */
import type { ACL, ClientInfo, Stat } from '../jute/records.js';
import type { OptionTable } from './cli-options.js';
import type { EventText } from './event-text.js';

/** `PrintStream` as zkCli's commands use it. */
export interface Printer {
  print(text: string): void;
  println(text?: string): void;
}

export type SessionStateName =
  | 'connecting'
  | 'connected'
  | 'connected-read-only'
  | 'disconnected'
  | 'expired'
  | 'auth-failed'
  | 'closed';

/** The creation modes zkCli can ask for (`create -s -e -c -t`). */
export type CreateModeName =
  | 'PERSISTENT'
  | 'EPHEMERAL'
  | 'PERSISTENT_SEQUENTIAL'
  | 'EPHEMERAL_SEQUENTIAL'
  | 'CONTAINER'
  | 'PERSISTENT_WITH_TTL'
  | 'PERSISTENT_SEQUENTIAL_WITH_TTL';

export type RemoveWatchKind = 'children' | 'data' | 'any';

/**
 * The operations the shell needs of a ZooKeeper session. zk-client-port.ts adapts the
 * project's ZkClient to it. Failures reject with an error carrying `code` (and `path`)
 * like ZkError. `watch: true` means "deliver to the session's default watcher", which the
 * shell prints (zkCli's `-w`).
 */
export interface ShellClient {
  readonly state: SessionStateName;
  /** 0n until a session is established. */
  readonly sessionId: bigint;
  create(path: string, data: Buffer | null, acl: ACL[], mode: CreateModeName, ttl?: number): Promise<string>;
  delete(path: string, version: number): Promise<void>;
  exists(path: string, watch: boolean): Promise<Stat | null>;
  getData(path: string, watch: boolean): Promise<{ data: Buffer | null; stat: Stat }>;
  setData(path: string, data: Buffer | null, version: number): Promise<Stat>;
  getChildren(path: string, watch: boolean): Promise<{ children: string[]; stat: Stat }>;
  getACL(path: string): Promise<{ acl: ACL[]; stat: Stat }>;
  setACL(path: string, acl: ACL[], version: number): Promise<Stat>;
  sync(path: string): Promise<void>;
  getEphemerals(prefixPath?: string): Promise<string[]>;
  getAllChildrenNumber(path: string): Promise<number>;
  addWatch(path: string, recursive: boolean): Promise<void>;
  removeAllWatches(path: string, kind: RemoveWatchKind, local: boolean): Promise<void>;
  addAuth(scheme: string, auth: Buffer | null): void;
  whoAmI(): Promise<ClientInfo[]>;
  getConfig(watch: boolean): Promise<{ data: Buffer | null; stat: Stat }>;
  /** Deletes as one multi; resolves false if the server refused it (deleteall's batches). */
  deleteBatch(paths: string[]): Promise<boolean>;
  /** Dynamic reconfiguration (opcode 16); resolves with the new config and its Stat. */
  reconfig(
    joining: string | null,
    leaving: string | null,
    members: string | null,
    fromConfig: bigint,
  ): Promise<{ data: Buffer | null; stat: Stat }>;
  close(): Promise<void>;
}

export interface CommandContext {
  client: ShellClient;
  out: Printer;
  err: Printer;
  /** IANA zone dates print in; undefined = this process's zone, like the JVM's default. */
  timeZone: string | undefined;
}

/** One zkCli command: its name, the option text usage prints, and how it runs. */
export interface ShellCommand {
  readonly name: string;
  /** The text after the name in zkCli's usage list, e.g. `[-s] [-w] path`. */
  readonly optionStr: string;
  /** Flags for completion and parsing. */
  readonly options: OptionTable;
  /** `words[0]` is the command name. Throws CliError on failure. */
  run(ctx: CommandContext, words: string[]): Promise<void>;
}

export const usageOf = (c: { name: string; optionStr: string }): string => `${c.name} ${c.optionStr}`;

/** What a session's client reports to the shell. */
export interface ClientListener {
  /** Events of the default watcher: session changes (type None) and `-w`/addWatch events. */
  event(e: EventText): void;
  /** Every session state change (the prompt shows it). */
  state(s: SessionStateName): void;
}

export interface ClientOpenOptions {
  /** Requested session timeout in ms (`-timeout`). */
  sessionTimeout: number;
  /** Accept a read-only server (`-r`). */
  canBeReadOnly: boolean;
}

/** Opens a session to `connectString` (`host:port[,host:port][/chroot]`); zk-client-port.ts has the real one. */
export type ClientFactory = (connectString: string, options: ClientOpenOptions, listener: ClientListener) => ShellClient;
