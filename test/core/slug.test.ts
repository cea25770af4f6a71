import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance, slugProblem, typoLimit } from '../../src/domain/slug.js';

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

describe('editDistance: optimal string alignment (a swap of two neighbours is one edit)', () => {
  it.each([
    ['voeux-2072', 'voeux-2027', 1],
    ['ab', 'ba', 1],
    ['abc', 'abc', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['voeux-202', 'voeux-2027', 1],
    ['voeux-20277', 'voeux-2027', 1],
    ['voeux-2127', 'voeux-2027', 1],
    ['ca', 'abc', 3], // OSA does not edit a swapped pair again (true Damerau would say 2)
    ['kitten', 'sitting', 3],
  ])('%j -> %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('stops counting past the cap', () => {
    expect(editDistance('aaaaaaaa', 'bbbbbbbb', 2)).toBe(3);
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
    expect(editDistance('voeux-2072', 'voeux-2027', 2)).toBe(1);
  });
});

describe('typoLimit: the edits allowed grow with the length', () => {
  it.each([
    [1, 1],
    [4, 1],
    [5, 2],
    [8, 2],
    [9, 3],
    [16, 3],
    [17, 4],
    [32, 5],
  ])('a word of %i characters: %i', (n, limit) => expect(typoLimit(n)).toBe(limit));
});

const LONG = 'newsletter-printemps-2027-relance';
const PROJECTS = ['voeux-2026', 'voeux-2027', 'promo-ete', LONG, 'newsletter-automne-2027-relance', 'ops'];

describe('closest: the intended id for a dropped, doubled, wrong or swapped character', () => {
  it.each([
    ['voeux-2072', 'voeux-2027', 'two digits swapped'],
    ['veoux-2027', 'voeux-2027', 'two letters swapped'],
    ['voeux-207', 'voeux-2027', 'a digit dropped'],
    ['voeux-20227', 'voeux-2027', 'a digit doubled'],
    ['vooeux-2027', 'voeux-2027', 'a letter doubled'],
    ['promo-eet', 'promo-ete', 'swapped at the end'],
    ['promoete', 'promo-ete', 'the hyphen dropped'],
    ['newsletter-printemps-2027-relane', LONG, 'one letter dropped from a long id'],
    ['newsletter-printems-2027-relance', LONG, 'one letter dropped mid-word'],
    ['newsletter-printemps2027-relance', LONG, 'a hyphen dropped from a long id'],
    ['newsletter-printemps-2072-relance', LONG, 'digits swapped in a long id'],
    ['newsleter-printemps-2027-relnace', LONG, 'a drop and a swap in a long id'],
    ['newsletter-printemps-2027-relances', LONG, 'a letter added at the end'],
    ['opz', 'ops', 'a wrong letter in a short id'],
    ['osp', 'ops', 'a swap in a short id'],
  ])('%j -> %j (%s)', (typed, meant) => {
    expect(closest(typed, PROJECTS)).toBe(meant);
    expect(didYouMean(typed, PROJECTS)).toBe(` (did you mean "${meant}"?)`);
  });

  it('prefers the closest candidate, whatever the order', () => {
    expect(closest('voeux-2072', ['voeux-2061', 'voeux-2027'])).toBe('voeux-2027');
    expect(closest('voeux-2072', ['voeux-2089', 'voeux-2027'])).toBe('voeux-2027');
    expect(closest('voeux-2026x', ['voeux-2027', 'voeux-2026'])).toBe('voeux-2026');
    // Equally near: the first given.
    expect(closest('voeux-202', ['voeux-2026', 'voeux-2027'])).toBe('voeux-2026');
  });

  it.each([
    ['zzzzzz', 'nothing alike'],
    ['x', 'a single character is one edit from any other'],
    ['ab', 'two edits from every candidate'],
    ['spring-2027', 'shares only the year'],
    ['relance', 'a part of a long id is too far from the whole'],
    ['opsxx', 'two edits from a three-letter id'],
    ['o', 'one character'],
  ])('%j: no suggestion (%s)', (typed) => {
    expect(closest(typed, PROJECTS)).toBeUndefined();
    expect(didYouMean(typed, PROJECTS)).toBe('');
  });

  it('is case-insensitive and returns the candidate as spelt', () => {
    expect(closest('Voeux-2072', ['voeux-2027'])).toBe('voeux-2027');
    expect(closest('afected_By', ['affected_by'])).toBe('affected_by');
  });

  it('takes any iterable, once', () => {
    const map = new Map([['pricing', 1], ['customer-email', 2]]);
    expect(closest('pricnig', map.keys())).toBe('pricing');
    expect(closest('nothing-alike', [])).toBeUndefined();
  });
});
