/**
 * The zkCli.sh scripts the compatibility test feeds (on stdin) to the real Java
 * client from Debian's zookeeper package, once against Apache ZooKeeper 3.8 and once
 * against our member. Together they touch every zkCli command that talks to the
 * server, with their flags and their error paths. Lines hitting an intended
 * difference (intended-differences.ts) are left out: e.g. `removewatches -d` on a
 * path that also holds a persistent watch.
 */

/** The main session: everything except what needs a second session. */
export const MAIN_SCRIPT = [
  // create in every mode, and its errors (NodeExists, NoNode, client-side path checks)
  'create /a hello',
  'create /a again',
  'create -s /a/s- x',
  'create -s /a/s- y',
  'create -e /a/e',
  'create -s -e /a/es- z',
  'create -c /c',
  'create /c/child',
  'create -t 5000 /t ttl-data',
  'create -s -t 5000 /t/ts- q',
  'create /a/missing/deep',
  'create /a/e/under-ephemeral',
  'create /bad/',
  'create zzz',
  // reads
  'ls /',
  'ls -s /a',
  'ls -R /a',
  'ls /nope',
  'get /a',
  'get -s /a',
  'get /nope',
  'stat /a',
  'stat /a/e',
  'stat /c',
  'stat /t',
  'stat /nope',
  // versions
  'set /a world',
  'set -s /a world2',
  'set -v 0 /a nope',
  'set -v 2 /a ok',
  'delete -v 7 /a/s-0000000000',
  'delete /a',
  'delete /a/s-0000000000',
  'delete /zookeeper',
  'delete /nope',
  // ACLs and auth
  'getAcl /a',
  'getAcl -s /a',
  'setAcl /a world:anyone:crwa',
  'setAcl -v 9 /a world:anyone:cdrwa',
  'setAcl -s /a world:anyone:cdrwa',
  'getAcl /zookeeper/config',
  'set /zookeeper/config x',
  'create /noauth n auth::cdrwa',
  'addauth digest alice:secret',
  'create /p p auth::cdrwa',
  'create /q q digest:bob:ZvVEbGvWfn3m1IwTgHd8OHI1SfE=:r,world:anyone:c',
  'getAcl /p',
  'getAcl /q',
  'setAcl /p ip:127.0.0.1:cdrwa',
  'setAcl /q world:anyone:cdrwa',
  'get /q',
  'create /bad1 x world:someone:r',
  'create /bad2 x foo:bar:r',
  'create /bad3 x ip:300.1.1.1:r',
  'whoami',
  // session-scoped reads
  'getEphemerals',
  'getEphemerals /a/e',
  'getEphemerals /nope',
  'getAllChildrenNumber /',
  'getAllChildrenNumber /a',
  'getAllChildrenNumber /nope',
  'sync /a',
  'sync /nope',
  // watches: standard, persistent, recursive; removal (events print from another thread)
  'stat -w /a',
  'set /a fires-stat-watch',
  'get -w /a',
  'removewatches /a -d',
  'ls -w /a',
  'create /a/w1',
  'addWatch /c',
  'create /c/x',
  'set /c/x deep',
  'addWatch -m PERSISTENT /t',
  'set /t new',
  'removewatches /c -a',
  'removewatches /t',
  'removewatches /nope',
  // quotas: the server keeps the stats node current
  'setquota -n 5 /a',
  'setquota -b 100 /c',
  'create /a/counted',
  'listquota /a',
  'listquota /c',
  'listquota /nope',
  'delquota /a',
  'delquota -b /c',
  'listquota /c',
  // admin
  'reconfig -add server.5=127.0.0.1:1234:1235;1236',
  'config',
  'deleteall /c',
  'ls /',
  'get -s /zookeeper',
  'ls /zookeeper',
  'ls /zookeeper/quota',
  'close',
];

/** A second session, after the first one closed: its ephemerals must be gone. */
export const AFTER_CLOSE_SCRIPT = ['ls /a', 'getEphemerals', 'stat /a', 'getAllChildrenNumber /'];

/** One-shot commands (`zkCli.sh -server X cmd args`): output and exit code. */
export const ONE_SHOT_COMMANDS: string[][] = [['get', '/nope'], ['get', '/a']];

export const asStdin = (lines: string[]): string => lines.join('\n') + '\n';
