/**
 * Client protocol opcodes (wire-protocol.md §6), special xids (§5) and the
 * transaction types our log uses. One table: the server dispatches from it and the
 * client and the shell name things from it.
 */
export const OpCode = {
  notification: 0,
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getACL: 6,
  setACL: 7,
  getChildren: 8,
  sync: 9,
  ping: 11,
  getChildren2: 12,
  check: 13,
  multi: 14,
  create2: 15,
  reconfig: 16,
  checkWatches: 17,
  removeWatches: 18,
  createContainer: 19,
  deleteContainer: 20,
  createTTL: 21,
  multiRead: 22,
  auth: 100,
  setWatches: 101,
  sasl: 102,
  getEphemerals: 103,
  getAllChildrenNumber: 104,
  setWatches2: 105,
  addWatch: 106,
  whoAmI: 107,
  createSession: -10,
  closeSession: -11,
  error: -1,
} as const;
export type OpCode = (typeof OpCode)[keyof typeof OpCode];

const opNames = new Map<number, string>(Object.entries(OpCode).map(([k, v]) => [v, k]));
/** The opcode's name, or `op<N>` for an unknown one. */
export function opName(op: number): string {
  return opNames.get(op) ?? `op${op}`;
}

/** Reserved xids (§5). */
export const Xid = {
  notification: -1,
  ping: -2,
  auth: -4,
  setWatches: -8,
} as const;

/** Ops that change state: they go through prep and consume a zxid, even when they fail (§5). */
export const WRITE_OPS: ReadonlySet<number> = new Set<number>([
  OpCode.create,
  OpCode.delete,
  OpCode.setData,
  OpCode.setACL,
  OpCode.check,
  OpCode.multi,
  OpCode.create2,
  OpCode.reconfig,
  OpCode.createContainer,
  OpCode.deleteContainer,
  OpCode.createTTL,
]);

/** The short op tags `cons` prints as `lop=` (§16). */
export const OP_TAGS: ReadonlyMap<number, string> = new Map<number, string>([
  [OpCode.notification, 'NOTI'],
  [OpCode.create, 'CREA'],
  [OpCode.delete, 'DELE'],
  [OpCode.exists, 'EXIS'],
  [OpCode.getData, 'GETD'],
  [OpCode.setData, 'SETD'],
  [OpCode.getACL, 'GETA'],
  [OpCode.setACL, 'SETA'],
  [OpCode.getChildren, 'GETC'],
  [OpCode.sync, 'SYNC'],
  [OpCode.ping, 'PING'],
  [OpCode.getChildren2, 'GETC'],
  [OpCode.check, 'CHEC'],
  [OpCode.multi, 'MULT'],
  [OpCode.create2, 'CREA'],
  [OpCode.reconfig, 'RECO'],
  [OpCode.checkWatches, 'CHKW'],
  [OpCode.removeWatches, 'REMW'],
  [OpCode.createContainer, 'CCON'],
  [OpCode.deleteContainer, 'DCON'],
  [OpCode.createTTL, 'CTTL'],
  [OpCode.multiRead, 'MLTR'],
  [OpCode.auth, 'AUTH'],
  [OpCode.setWatches, 'SETW'],
  [OpCode.sasl, 'SASL'],
  [OpCode.getEphemerals, 'GETE'],
  [OpCode.getAllChildrenNumber, 'GETACN'],
  [OpCode.setWatches2, 'STW2'],
  [OpCode.addWatch, 'ADDW'],
  [OpCode.whoAmI, 'HOMI'],
  [OpCode.createSession, 'SESS'],
  [OpCode.closeSession, 'CLOS'],
]);
