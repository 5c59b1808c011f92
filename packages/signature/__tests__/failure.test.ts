import { ERROR_CODES, failureFor } from '@deploy-actions/signature';

describe('failure reasons and error codes', () => {
  it('keeps every error code that was public before reasons were typed', () => {
    const before = [
      'no-signature',
      'wrong-signer',
      'invalid-signature',
      'attestation-missing',
      'image-not-found',
      'registry-tampered',
      'registry-unauthorized',
      'registry-denied',
      'registry-too-large',
      'registry-bad-response',
      'registry-unreachable',
    ];
    expect(Object.values(ERROR_CODES)).toEqual(expect.arrayContaining(before));
  });

  it('reports the rejected signature that came closest to passing', () => {
    expect(failureFor(['bad-signature', 'wrong-identity'])).toBe('wrong-signer');
    expect(failureFor(['wrong-identity', 'wrong-source-repository'])).toBe('wrong-source');
    expect(failureFor(['wrong-source-ref', 'wrong-docker-reference'])).toBe('wrong-docker-reference');
    expect(failureFor(['other-image', 'malformed'])).toBe('invalid-signature');
    expect(failureFor(['wrong-kind'])).toBe('wrong-signer');
  });
});
