import { builtinRules, SecretScanner, type Rule } from '@deploy-actions/secret-scan';
import { ruleExamples } from './rule-examples.js';

function scanWith(rule: Rule, text: string): string[] {
  const scanner = new SecretScanner({ rules: [rule], allowlists: [], source: 'test' }, {}, new Set([rule.id]));
  return scanner.scan({ file: 'example.txt', data: Buffer.from(`${text}\n`) }).findings.map((f) => f.secret);
}

const rules = builtinRules();
const examples = ruleExamples();

describe('the built-in rule pack', () => {
  it('holds at least 120 rules with unique ids', () => {
    expect(rules.length).toBeGreaterThanOrEqual(120);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('has an example for every rule and no example for a rule it lacks', () => {
    expect(Object.keys(examples).sort()).toEqual(rules.map((r) => r.id).sort());
  });

  it('gives every rule with a regex at least one keyword, so the prefilter can skip lines', () => {
    expect(rules.filter((r) => r.regex && r.keywords.length === 0).map((r) => r.id)).toEqual([]);
  });
});

describe.each(rules.map((rule) => ({ id: rule.id, rule })))('rule $id', ({ id, rule }) => {
  const example = examples[id];

  it('reports its example token', () => {
    expect(scanWith(rule, example!.yes)).toHaveLength(1);
  });

  it('stays quiet on the near miss', () => {
    let near = example!.no;
    if (near === undefined) {
      const [secret] = scanWith(rule, example!.yes);
      near = example!.yes.replace(secret!, secret!.slice(0, 6));
    }
    expect(scanWith(rule, near)).toEqual([]);
  });
});
