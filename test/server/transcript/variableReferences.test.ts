import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { countReferences, MAX_REFERENCE_NESTING, ReferenceCount, scanVariableReferences } from '../../../server/src/transcript/variableReferences';

describe('scanVariableReferences', () => {
  it('finds plain references with their ranges', () => {
    const { references, problems } = scanVariableReferences('C: EHLO {{ client }}.{{domain}}', 4, 3);
    assert.deepEqual(references.map((r) => r.name.text), ['client', 'domain']);
    assert.deepEqual(references[0].range, { start: { line: 4, character: 8 }, end: { line: 4, character: 20 } });
    assert.deepEqual(references[0].name.range, { start: { line: 4, character: 11 }, end: { line: 4, character: 17 } });
    assert.equal(references[0].system, false);
    assert.deepEqual(problems, []);
  });

  it('reads system functions and their literal arguments', () => {
    const [secret] = scanVariableReferences('{{$secret SMTP_PASSWORD}}', 0, 0).references;
    assert.equal(secret.system, true);
    assert.equal(secret.name.text, '$secret');
    assert.deepEqual(secret.args.map((a) => a.kind === 'literal' && a.token.text), ['SMTP_PASSWORD']);
  });

  it('reads nested references as arguments', () => {
    const { references } = scanVariableReferences('C: AUTH PLAIN {{$authPlain {{user}} {{$secret PASS}}}}', 0, 3);
    assert.equal(references.length, 1);
    const [outer] = references;
    assert.equal(outer.name.text, '$authPlain');
    assert.deepEqual(outer.args.map((a) => (a.kind === 'reference' ? a.reference.name.text : a.token.text)), ['user', '$secret']);
    assert.deepEqual(outer.range.end, { line: 0, character: 54 });
  });

  it('starts scanning at the given column', () => {
    assert.equal(scanVariableReferences('{{a}} {{b}}', 0, 1).references.length, 1);
  });

  it('reports an unclosed {{ as a warning and goes on scanning', () => {
    const { references, problems } = scanVariableReferences('{{name} and {{other}}', 2, 0);
    assert.deepEqual(problems.map((p) => [p.code, p.severity, p.range.start.character]), [['unclosed-variable', 'warning', 0]]);
    assert.deepEqual(references.map((r) => r.name.text), ['other']);
  });

  it('reports a nested reference that never closes', () => {
    const { references, problems } = scanVariableReferences('{{$base64 {{user}', 0, 0);
    assert.equal(references.length, 0);
    assert.equal(problems.length, 2);
  });

  it('substitutes complete references inside a {{ that never closes', () => {
    const { references, problems } = scanVariableReferences('{{$base64 {{user}} {{host}} and no end', 0, 0);
    assert.deepEqual(references.map((r) => [r.name.text, r.range.start.character]), [['user', 10], ['host', 19]]);
    assert.deepEqual(problems.map((p) => [p.code, p.range.start.character]), [['unclosed-variable', 0]]);
  });

  it('reports five unclosed {{ of a line one by one and the rest in one warning', () => {
    const { problems } = scanVariableReferences('{{'.repeat(20_000), 3, 0);
    assert.equal(problems.length, 6);
    assert.deepEqual(problems.map((p) => p.range.start.character), [0, 2, 4, 6, 8, 10]);
    assert.match(problems[5].message, /^19995 more "\{\{" from here on have no closing "\}\}"/);
  });

  it(`accepts references nested ${MAX_REFERENCE_NESTING} deep and refuses one level more, whole`, () => {
    const nest = (depth: number) => `${'{{$base64 '.repeat(depth - 1)}{{user}}${'}}'.repeat(depth - 1)}`;
    assert.equal(scanVariableReferences(nest(MAX_REFERENCE_NESTING), 0, 0).references.length, 1);
    const { references, problems } = scanVariableReferences(`x ${nest(MAX_REFERENCE_NESTING + 1)} {{after}}`, 0, 0);
    assert.deepEqual(references.map((r) => r.name.text), ['after']);
    assert.deepEqual(problems.map((p) => [p.code, p.severity, p.range.start.character]), [['variable-nesting', 'error', 2]]);
    assert.match(problems[0].message, /nest 17 deep here; the limit is 16/);
  });

  it('reads 20,000 nested references without recursion', () => {
    const text = `${'{{$base64 '.repeat(20_000)}${'}}'.repeat(20_000)}`;
    const { references, problems } = scanVariableReferences(text, 0, 0);
    assert.equal(references.length, 0);
    assert.deepEqual(problems.map((p) => p.code), ['variable-nesting']);
  });
});

describe('countReferences', () => {
  it('says whether a line has references and whether it has problems, as the full scan would', () => {
    assert.equal(countReferences('C: EHLO client', 3), ReferenceCount.None);
    assert.equal(countReferences('C: {{$base64 {{user}}}}', 3), ReferenceCount.Clean);
    assert.equal(countReferences('C: {{user', 3), ReferenceCount.Problems);
    assert.equal(countReferences('{{user}}: not counted before the offset', 8), ReferenceCount.None);
    const tooDeep = `${'{{$base64 '.repeat(MAX_REFERENCE_NESTING + 1)}x${'}}'.repeat(MAX_REFERENCE_NESTING + 1)}`;
    assert.equal(countReferences(tooDeep, 0), ReferenceCount.Problems);
  });

  it('agrees with scanVariableReferences on any line', () => {
    const piece = fc.constantFrom('{{', '}}', '{', '}', ' ', '\t', 'a', '$x', 'user', '.', '-', '9', '{{$secret ', '{{ name }}');
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), fc.nat(4), (pieces, offset) => {
      const text = pieces.join('');
      const scanned = scanVariableReferences(text, 0, offset);
      const expected = scanned.problems.length > 0 ? ReferenceCount.Problems : scanned.references.length > 0 ? ReferenceCount.Clean : ReferenceCount.None;
      assert.equal(countReferences(text, offset), expected, JSON.stringify(text));
    }), { numRuns: 2000 });
  });
});
