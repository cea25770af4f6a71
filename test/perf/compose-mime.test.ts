import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import MailComposer from 'nodemailer/lib/mail-composer';
import { buildMime } from '../../src/adapters/mail/compose-mime.js';
import { composeMessage, composeMessageSync, type ComposeInput } from '../../src/adapters/mail/compose.js';

/** Text a template can produce: ASCII, accents, CJK, emoji, long words, blank runs, CRs, trailing blanks. */
const pieces = fc.constantFrom('Bonjour', 'é', 'Ünïcödé', '日本語のテキスト', '😀', ' ', '  ', '\t', '\n', '\r\n', '\r', '=', '.', '..', 'a'.repeat(90), 'mot-'.repeat(30), '<p>', '&amp;', '— ', '\u00a0');
const text = fc.array(pieces, { maxLength: 60 }).map((xs) => xs.join(''));
const line = fc.array(fc.constantFrom('Prix', 'é', '日本', '😀', ' ', '"', '=?', 'x'.repeat(40), ','), { minLength: 1, maxLength: 12 }).map((xs) => xs.join('').trim() || 'x');

type Sample = { subject: string; text: string; html: string; name: string; parties: string };

/** nodemailer's own message tree for a sample, before any bytes are built. */
function oneNode(m: Sample) {
  return new MailComposer({
    from: 'Projets <projets@example.test>',
    to: `"${m.name.replace(/"/g, '')}" <gerant@example.test>`,
    subject: m.subject,
    text: m.text,
    html: m.html,
    messageId: '<m1@example.test>',
    date: new Date('2027-01-05T09:00:00Z'),
    baseBoundary: '0123456789abcdef',
    headers: { 'X-Notify-Parties': m.parties },
  }).compile();
}

/** The bytes nodemailer's streamed build gives for a sample. */
function streamed(m: Sample): Promise<Buffer> {
  return oneNode(m).build();
}

describe('building a message without a stream pipeline', () => {
  it('gives the bytes of nodemailer\'s streamed build, or declines', async () => {
    let built = 0;
    await fc.assert(
      fc.asyncProperty(fc.record({ subject: line, text, html: text, name: line, parties: line }), async (m) => {
        const expected = await streamed(m);
        const one = buildMime(oneNode(m));
        if (one === undefined) return;
        built++;
        expect(Buffer.from(one, 'utf8').toString('latin1')).toBe(expected.toString('latin1'));
      }),
      { numRuns: 300 },
    );
    // Declining is for rare shapes (a body ending in blanks), not the rule.
    expect(built).toBeGreaterThan(200);
  });

  it('declines a body the streamed encoder would see in two calls, and composeMessage still gives its bytes', async () => {
    const input: ComposeInput = {
      from: { name: 'Projets', address: 'projets@example.test' },
      to: { name: 'Gérant', address: 'gerant@example.test' },
      messageId: '<m2@example.test>',
      date: new Date('2027-01-05T09:00:00Z'),
      project: 'prix',
      parties: ['magasin-1'],
      rendered: { subject: 'Prix', text: 'Les prix changent é  ', html: '<p>é</p>' },
    };
    expect(composeMessageSync(input)).toBeUndefined();
    const raw = (await composeMessage(input)).toString('latin1');
    expect(raw).toContain('Les prix changent =C3=A9 =20');
    const short = { ...input, rendered: { ...input.rendered, text: 'Les prix changent é\n' } };
    expect(composeMessageSync(short)?.equals(await composeMessage(short))).toBe(true);
  });
});
