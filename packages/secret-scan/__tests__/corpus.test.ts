import { builtinRules, defaultRuleSet, SecretScanner } from '@deploy-actions/secret-scan';
import { evaluateCorpus, generateLabelledCorpus } from '../../../test/fixtures/secret-scan/corpus.js';

describe('the labelled corpus (seed 20261122)', () => {
  const scanner = new SecretScanner(defaultRuleSet(), {}, new Set(builtinRules().map((r) => r.id)));
  const score = evaluateCorpus(generateLabelledCorpus(20261122), scanner);

  it('finds at least 95% of the real-format secrets', () => {
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps at least 95% precision against look-alike decoys', () => {
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
  });
});
