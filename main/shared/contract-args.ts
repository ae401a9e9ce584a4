/**
 * The argument schemas of every method, keyed by the contract. They live beside each
 * capability's interface (./contract/*.ts) and are merged in ./contract.ts; this entry stays for
 * the code that only needs the schemas.
 */
export { apiArgSchemas } from './contract.ts';
