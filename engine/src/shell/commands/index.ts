/**
 * Every zkCli command the shell runs through a session's client, by name. The session
 * itself handles connect, history, redo, printwatches and quit (ZooKeeperMain does too).
 */
import type { ShellCommand } from '../command.js';
import { addauth } from './addauth.js';
import { addWatch } from './add-watch.js';
import { close } from './close.js';
import { config } from './config.js';
import { create } from './create.js';
import { del } from './delete.js';
import { deleteall } from './deleteall.js';
import { delquota } from './del-quota.js';
import { get } from './get.js';
import { getAcl } from './get-acl.js';
import { getAllChildrenNumber } from './get-all-children-number.js';
import { getEphemerals } from './get-ephemerals.js';
import { listquota } from './list-quota.js';
import { ls } from './ls.js';
import { reconfig } from './reconfig.js';
import { removewatches } from './remove-watches.js';
import { set } from './set.js';
import { setAcl } from './set-acl.js';
import { setquota } from './set-quota.js';
import { stat } from './stat.js';
import { sync } from './sync.js';
import { version } from './version.js';
import { whoami } from './whoami.js';

export const CLIENT_COMMANDS: ReadonlyMap<string, ShellCommand> = new Map(
  [
    close,
    create,
    del,
    deleteall,
    set,
    get,
    ls,
    getAcl,
    setAcl,
    stat,
    sync,
    setquota,
    listquota,
    delquota,
    addauth,
    reconfig,
    config,
    removewatches,
    getEphemerals,
    getAllChildrenNumber,
    version,
    addWatch,
    whoami,
  ].map((c) => [c.name, c]),
);
