import test from 'node:test';
import assert from 'node:assert/strict';
import { parseCons, parseDump, parseJavaUtcDate, parseWchc } from '../../engine/src/lab/sessions-inspector.js';

// Captured from a member (ZooKeeper 3.8's formats, wire-protocol.md §16).
const CONS = ` /127.0.0.1:60480[1](queued=0,recved=4,sent=4,sid=0x100000001db0000,lop=GETC,est=1795329171472,to=4000,lcxid=0x3,lzxid=0x2,lresp=1231,llat=0,minlat=0,avglat=1,maxlat=5)
 /127.0.0.1:60496[0](queued=0,recved=1,sent=0)

`;
const DUMP = `SessionTracker dump:
Session Sets (2)/(2):
1 expire at Sun Nov 22 06:32:55 UTC 2026:
\t0x100000001db0000
1 expire at Sun Nov 22 06:33:01 UTC 2026:
\t0x100000001db0001
ephemeral nodes dump:
Sessions with Ephemerals (1):
0x100000001db0000:
\t/e
\t/f
Connections dump:
Connections Sets (1)/(2):
2 expire at Sun Nov 22 06:32:55 UTC 2026:
\tip: /127.0.0.1:60480 sessionId: 0x100000001db0000
`;
const WCHC = `0x100000001db0000
\t/e
\t/
0x100000001db0001
\t/x
`;

test('cons: sessions with their timeout and address; connections without a session are skipped', () => {
  assert.deepEqual(parseCons(CONS), [{ sessionId: '0x100000001db0000', timeoutMs: 4000, address: '127.0.0.1:60480' }]);
});

test('dump: expiry time per session and ephemerals per session', () => {
  const d = parseDump(DUMP);
  assert.deepEqual([...d.expiry], [
    ['0x100000001db0000', Date.UTC(2026, 10, 22, 6, 32, 55)],
    ['0x100000001db0001', Date.UTC(2026, 10, 22, 6, 33, 1)],
  ]);
  assert.deepEqual([...d.ephemerals], [['0x100000001db0000', ['/e', '/f']]]);
});

test('wchc: watched paths per session', () => {
  assert.deepEqual([...parseWchc(WCHC)], [
    ['0x100000001db0000', ['/e', '/']],
    ['0x100000001db0001', ['/x']],
  ]);
});

test("Java's Date.toString is read in UTC only", () => {
  assert.equal(parseJavaUtcDate('Thu Jan 01 00:00:01 UTC 1970'), 1000);
  assert.equal(parseJavaUtcDate('Thu Jan 01 00:00:01 PST 1970'), null);
  assert.equal(parseJavaUtcDate('yesterday'), null);
});
