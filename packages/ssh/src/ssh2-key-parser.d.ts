// ssh2 ships no types for its key parser module; @types/ssh2 types the same function as utils.parseKey.
declare module 'ssh2/lib/protocol/keyParser.js' {
  import type { utils } from 'ssh2';
  const keyParser: { parseKey: typeof utils.parseKey };
  export default keyParser;
}
