/** Request preparation (pure): requests → transactions, plus the ACL and path helpers the read path shares. */
export { Prep, encodeCreateSessionBody, decodeCreateSessionBody, type PrepRequest } from './prep.js';
export type { PrepOptions } from './context.js';
export { PrepError } from './errors.js';
export {
  checkAcl,
  digestAuthIds,
  digestId,
  fixupAcl,
  isValidAclId,
  removeDuplicateAcls,
  type AclCheckOptions,
} from './acl.js';
export { addressBytes, ipMatches, isValidIpAcl } from './ip-address.js';
export { decodeMulti, type MultiOp } from './multi.js';
export { PROTECTED_PATHS, isValidPath, parentOf, pathError } from '../../tree/paths.js';
