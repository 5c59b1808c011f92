import { secretRedactor } from '@deploy-actions/action-kit';

describe('secretRedactor', () => {
  it('hides every secret, the longer one whole when one contains another', () => {
    const redact = secretRedactor(['abc123def', 'Bearer abc123def']);
    expect(redact('got Bearer abc123def and abc123def')).toBe('got *** and ***');
  });

  it('leaves text without secrets alone', () => {
    expect(secretRedactor([])('nothing to hide')).toBe('nothing to hide');
  });

  it('hides each line of a multi-line secret on its own', () => {
    const key = '-----BEGIN KEY-----\nMIIBsecretline\n-----END KEY-----';
    expect(secretRedactor([key])('line: MIIBsecretline')).toBe('line: ***');
  });
});
