/**
 * The network vocabulary every part shares (adapters, the engine's CEL functions, the endpoint
 * join): addresses, networks, ranges, public space, protocols and service names. Pure; imports
 * nothing of the project.
 */
export { formatAddress, type IpAddress, type IpFamily, isIpAddress, parseAddress } from './address.js';
export {
  type CidrRelation,
  cidrContains,
  cidrFamily,
  cidrRelation,
  formatCidr,
  type IpNet,
  normalizeCidr,
  parseCidr,
} from './cidr.js';
export { normalizeAddress } from './entry.js';
export { normalizeProtocol } from './protocol.js';
export { entryIncludesPublic, rangeIncludesPublic } from './public.js';
export { parseRange, rangeToCidrs } from './range.js';
export { portNumber } from './services.js';
export { ALLOW_LIST_MAX_ADDRESSES, addressCount, publicAllowList } from './allow-list.js';
