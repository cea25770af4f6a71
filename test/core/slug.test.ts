import { describe, expect, it } from 'vitest';
import { closest, didYouMean, slugProblem } from '../../src/domain/slug.js';

describe('slugProblem: ids end up in file names, headers and Message-IDs', () => {
  it.each(['voeux-2027', 'a', 'customer_service', '2027', `a${'b'.repeat(62)}c`])('accepts %j', (id) => {
    expect(slugProblem(id)).toBeUndefined();
  });

  it.each([
    ['Voeux', /not a simple id/],
    ['-lead', /not a simple id/],
    ['trail-', /not a simple id/],
    ['has space', /not a simple id/],
    ['a.b', /not a simple id/],
    ['a/b', /not a simple id/],
    ['vœux', /not a simple id/],
    ['', /not a simple id/],
    [`a${'b'.repeat(63)}c`, /not a simple id/],
    ['__proto__', /reserved name/],
    ['constructor', /reserved name/],
    ['prototype', /reserved name/],
    ['tostring', undefined],
    ['hasownproperty', undefined],
  ])('%j', (id, problem) => {
    if (problem) expect(slugProblem(id)).toMatch(problem);
    else expect(slugProblem(id)).toBeUndefined();
  });
});

describe('did you mean', () => {
  it('suggests the nearest candidate only when it is close', () => {
    expect(closest('pricng', ['pricing', 'customer-email'])).toBe('pricing');
    expect(closest('contact', ['contacts', 'name'])).toBe('contacts');
    expect(closest('zzzzzz', ['pricing', 'customer-email'])).toBeUndefined();
    expect(didYouMean('afected_by', ['affected_by', 'always'])).toBe(' (did you mean "affected_by"?)');
    expect(didYouMean('qqq', ['affected_by'])).toBe('');
  });
});
