import { describe, expect, it } from 'vitest';
import { decodeWords, readableHeaders } from '../../src/app/preview/headers.js';
import { composeMessage } from '../../src/adapters/mail/compose.js';

describe('readable headers of a composed message', () => {
  it('decodes UTF-8 encoded words, B and Q, across folded lines', () => {
    expect(decodeWords('=?UTF-8?Q?Jean-Fran=C3=A7ois?= <jf@x.fr>')).toBe('Jean-François <jf@x.fr>');
    expect(decodeWords('=?utf-8?B?w6l0w6k=?=')).toBe('été');
    expect(decodeWords('=?UTF-8?Q?a_b?= =?UTF-8?Q?_c?=')).toBe('a b c');
    expect(decodeWords('plain, untouched')).toBe('plain, untouched');
  });

  it('shows From, To, Subject, Date and Message-ID first, decoded, and hides the MIME structure', async () => {
    const raw = await composeMessage({
      from: { address: 'projets@x.fr', name: 'Projets' },
      to: { address: 'marie@x.fr', name: 'Marie-Hélène' },
      messageId: '<notify.p.0123456789abcdef01234567@x.fr>',
      date: new Date('2027-01-05T09:00:00Z'),
      project: 'p',
      parties: ['support'],
      rendered: { subject: '[Mutuelle Exemple] Dès le 4 janvier : carte de vœux envoyée à 40 000 clients', text: 'Bonjour\n', html: '<p>Bonjour</p>' },
    });
    const h = readableHeaders(raw);
    expect(h.slice(0, 5).map(([k]) => k)).toEqual(['From', 'To', 'Subject', 'Date', 'Message-ID']);
    expect(Object.fromEntries(h)).toMatchObject({
      To: expect.stringContaining('Marie-Hélène'),
      Subject: '[Mutuelle Exemple] Dès le 4 janvier : carte de vœux envoyée à 40 000 clients',
      Date: 'Tue, 05 Jan 2027 09:00:00 +0000',
      'Message-ID': '<notify.p.0123456789abcdef01234567@x.fr>',
    });
    expect(h.some(([k]) => /^Content-Type$/i.test(k))).toBe(false);
    expect(/(?<!\r)\n/.test(raw.toString('latin1'))).toBe(false);
  });
});
