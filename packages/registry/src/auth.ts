/** One challenge from a `WWW-Authenticate` header. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses `Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"`
 * (and `Basic realm="..."`). Quoted values may contain commas, so this is a small
 * tokenizer rather than a split on ','.
 */
export function parseAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  const re = /\s*([A-Za-z][\w-]*)(?:\s+|$)|\s*([\w-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?/gy;
  let current: AuthChallenge | undefined;
  let match: RegExpExecArray | null;
  while (re.lastIndex < header.length && (match = re.exec(header)) !== null) {
    if (match[0] === '') break;
    if (match[1] !== undefined && match[2] === undefined) {
      current = { scheme: match[1].toLowerCase(), params: {} };
      challenges.push(current);
    } else if (match[2] !== undefined && current) {
      let value = match[3] ?? '';
      if (value.startsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
      current.params[match[2].toLowerCase()] = value;
    }
  }
  return challenges;
}

export interface Credentials {
  username: string;
  password: string;
}

export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
