/** amend on a terminal: it asks what close would (who, why), offers only the parties not told, and confirms before sending. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Choice } from '../../src/context.js';
import { workspace, type Workspace } from '../fixtures/close-workspace.js';
import { scriptedPrompter } from '../helpers/workspace.js';
import { MAP } from './fixture.js';

let ws: Workspace | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

describe('notify amend, interactive', () => {
  it('a checkbox of the parties not told; then the reason and the confirmation; the party chosen is told once', async () => {
    ws = await workspace({}, MAP);
    expect((await ws.run(['close', 'voeux-2027', '--yes'])).code).toBe(0);
    let offered: string[] = [];
    const asked: string[] = [];
    const prompter = scriptedPrompter(
      [
        { checkbox: (choices: Choice[]) => ((offered = choices.map((c) => c.value)), ['marketing']) },
        { input: 'left out of the close' },
        { confirm: true },
      ],
      asked,
    );
    const r = await ws.run(['amend', 'voeux-2027'], { interactive: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(offered).toEqual(['marketing', 'legal']);
    expect(asked).toEqual(['Which parties were left out? (select none to send a correction to everyone told instead)', 'Why is the close amended? (one line, recorded in the log)', 'Send 1 message now?']);
    expect(ws.smtp.countFor('mkt@acme.test')).toBe(1);
    expect(ws.events().find((e) => e.event === 'close.amended')).toMatchObject({ kind: 'parties', parties: ['marketing'], reason: 'left out of the close' });
  });

  it('none chosen: a correction to everyone told; declining at the confirmation records and sends nothing', async () => {
    ws = await workspace({}, MAP);
    expect((await ws.run(['close', 'voeux-2027', '--yes'])).code).toBe(0);
    const before = ws.smtp.received.length;
    const lines = ws.events().length;
    const answers = () => [{ checkbox: () => [] }, { input: 'New date: 6 January' }, { input: 'wrong date' }, { confirm: false }];
    const declined = await ws.run(['amend', 'voeux-2027'], { interactive: true, prompter: scriptedPrompter([...answers(), { confirm: false }]) });
    expect(declined.code).toBe(2);
    expect(declined.stderr).toContain('not sent: you declined at the confirmation; the amendment is not recorded');
    expect(ws.smtp.received.length).toBe(before);
    expect(ws.events().length).toBe(lines);

    const sent = await ws.run(['amend', 'voeux-2027'], { interactive: true, prompter: scriptedPrompter([...answers(), { confirm: true }]) });
    expect(sent.code, sent.stderr).toBe(0);
    expect(ws.smtp.received.slice(before).map((m) => m.subject.slice(0, 12))).toEqual(['Correction: ', 'Correction: ', 'Correction: ']);
  });
});
