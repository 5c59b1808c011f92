const PROTOCOLS = new Set(['http:', 'https:', 'tcp:']);

/**
 * Parses a probe URL (`http://`, `https://` or `tcp://host:port`). Throws an Error
 * saying what is wrong and the accepted forms.
 */
export function parseProbeUrl(text: string): URL {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim())) {
    throw new Error(
      `'${redactUrlText(text.trim())}' has no scheme; write http://, https:// or tcp:// in front`,
    );
  }
  if (/\s/.test(text.trim())) {
    throw new Error(
      `'${redactUrlText(text.trim())}' contains a space; one URL a line, and comments on lines of their own`,
    );
  }
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(
      `'${redactUrlText(text)}' is not a URL; use http(s)://host[:port]/path or tcp://host:port`,
    );
  }
  if (!PROTOCOLS.has(url.protocol)) {
    throw new Error(`'${displayUrl(url)}' uses ${url.protocol.replace(/:$/, '')}; use http, https or tcp`);
  }
  if (url.hostname === '') throw new Error(`'${displayUrl(url)}' has no host`);
  if (url.protocol === 'tcp:' && url.port === '') {
    throw new Error(`'${displayUrl(url)}' has no port; use tcp://host:port`);
  }
  return url;
}

/** The URL as it may be shown: as written, except that a password in it is replaced by `***`. */
export function displayUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return redactUrlText(String(url));
  }
  if (parsed.password === '') return typeof url === 'string' ? url.trim() : parsed.href;
  const copy = new URL(parsed.href);
  copy.password = '***';
  return copy.href;
}

/** The host part as net.connect wants it: IPv6 literals without brackets. */
export function connectHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export function defaultPort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

function redactUrlText(text: string): string {
  return text.replace(/\/\/([^/@:\s]*):[^/@\s]*@/, '//$1:***@');
}
