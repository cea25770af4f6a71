import { describe, expect, it } from 'vitest';
import { addressKey, domainOf, formatAddress, parseAddress } from '../../src/domain/address.js';

describe('parseAddress: exactly one plain address, optionally with a display name', () => {
  it.each([
    ['marie@exemple.fr', { address: 'marie@exemple.fr' }],
    ['  marie@exemple.fr  ', { address: 'marie@exemple.fr' }],
    ['Marie <marie@exemple.fr>', { address: 'marie@exemple.fr', name: 'Marie' }],
    ['Marie-Daba Diop <marie.daba+notify@sub.exemple.fr>', { address: 'marie.daba+notify@sub.exemple.fr', name: 'Marie-Daba Diop' }],
    ['"Service client" <sc@exemple.fr>', { address: 'sc@exemple.fr', name: 'Service client' }],
    ['Jean-François <jf@exemple.fr>', { address: 'jf@exemple.fr', name: 'Jean-François' }],
    ['<bare@exemple.fr>', { address: 'bare@exemple.fr' }],
  ])('accepts %j', (raw, expected) => {
    expect(parseAddress(raw)).toEqual(expected);
  });

  it.each([
    ['a@x.com\r\nBcc: y@z.com', /line break/],
    ['a@x.com\nBcc: y@z.com', /line break/],
    ['A <a@x.com>, b@y.com', /more than one address/],
    ['a@x.com, b@y.com', /more than one address/],
    ['a@x.com; b@y.com', /more than one address/],
    ['not an address', /not one plain e-mail address/],
    ['marie@localhost', /not one plain e-mail address/],
    ['"quoted local"@x.com', /not one plain e-mail address/],
    ['Group: a@x.com;', /more than one address|not one plain/],
    ['Name <a@@x.com>', /inside <>/],
    ['Name <a@x.com> (comment)', /not one plain/],
    ['Evil (x) <a@x.com>', /display name/],
    ['Evil: name <a@x.com>', /display name/],
    ['tab\t<a@x.com>', /control character/],
    ['nul\0@x.com', /control character/],
  ])('refuses %j', (raw, message) => {
    const r = parseAddress(raw);
    expect(typeof r).toBe('string');
    expect(r).toMatch(message);
  });

  it('refuses an address longer than 254 characters', () => {
    const long = `${'a'.repeat(60)}@${Array.from({ length: 4 }, () => 'b'.repeat(60)).join('.')}.fr`;
    expect(parseAddress(long)).toMatch(/longer than 254/);
  });

  it('formats back to what it parsed, keys case-insensitively, and finds the domain', () => {
    expect(formatAddress({ address: 'a@x.fr', name: 'Ana' })).toBe('Ana <a@x.fr>');
    expect(formatAddress({ address: 'a@x.fr' })).toBe('a@x.fr');
    expect(addressKey('Marie@Exemple.FR')).toBe(addressKey('marie@exemple.fr'));
    expect(domainOf('a.b@sub.exemple.fr')).toBe('sub.exemple.fr');
  });
});
