import { displayUrl, parseProbeUrl } from '../src/probe-url.js';

describe('parseProbeUrl', () => {
  it.each([
    ['http://127.0.0.1:8080/api/ready', 'http:', '127.0.0.1', '8080', '/api/ready'],
    ['https://app.example.test/', 'https:', 'app.example.test', '', '/'],
    ['tcp://db:5432', 'tcp:', 'db', '5432', ''],
    // Port 80 is http's default, so the URL keeps no explicit port.
    ['http://[::1]:80/', 'http:', '[::1]', '', '/'],
  ])('accepts %s as scheme %s, host %s, port %j, path %j', (text, protocol, hostname, port, pathname) => {
    const url = parseProbeUrl(text);
    expect({
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      pathname: url.pathname,
    }).toEqual({ protocol, hostname, port, pathname });
  });

  it('accepts a URL with spaces around it, as a multiline input line has', () => {
    expect(parseProbeUrl('  http://127.0.0.1:8080/ ').href).toBe('http://127.0.0.1:8080/');
  });

  it.each([
    ['localhost:8080', /has no scheme; write http:\/\/, https:\/\/ or tcp:\/\/ in front/],
    ['ftp://files.example.test/', /uses ftp; use http, https or tcp/],
    ['tcp://db', /has no port; use tcp:\/\/host:port/],
    ['http://a.test/  # the app', /contains a space; one URL a line/],
    ['http://', /is not a URL/],
  ])('rejects %j, saying why', (text, why) => {
    expect(() => parseProbeUrl(text)).toThrow(why);
  });

  it('never repeats a password from a rejected URL', () => {
    expect(() => parseProbeUrl('ftp://user:hunter2@files.example.test/')).toThrow(/user:\*\*\*@/);
    expect(() => parseProbeUrl('http://user:hunter2@a.test/ x')).not.toThrow(/hunter2/);
  });
});

describe('displayUrl', () => {
  it('shows a URL as written, with its password replaced', () => {
    expect(displayUrl('HTTP://A.test')).toBe('HTTP://A.test');
    expect(displayUrl('https://probe:s3cret@a.test/x')).toBe('https://probe:***@a.test/x');
  });
});
