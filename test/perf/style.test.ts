import { describe, expect, it } from 'vitest';
import { loadStyle } from '../../src/adapters/terminal/style.js';

describe('colours through chalk, loaded only when colour is on', () => {
  it('writes the basic ANSI styles, nests them and closes each line', async () => {
    const s = await loadStyle(true);
    expect(s.ok('done')).toBe('\u001b[32mdone\u001b[39m');
    expect(s.tick).toBe('\u001b[32m✔\u001b[39m');
    expect(s.cross).toBe('\u001b[31m✖\u001b[39m');
    expect(s.bold(`a ${s.dim('b')} c`)).toBe('\u001b[1ma \u001b[2mb\u001b[22m\u001b[1m c\u001b[22m');
    expect(s.warn('one\ntwo')).toBe('\u001b[33mone\u001b[39m\n\u001b[33mtwo\u001b[39m');
    expect(s.bad('')).toBe('');
  });

  it('writes plain text when colour is off', async () => {
    const s = await loadStyle(false);
    expect([s.ok('a'), s.bad('b'), s.warn('c'), s.dim('d'), s.bold('e'), s.tick, s.cross]).toEqual(['a', 'b', 'c', 'd', 'e', '✔', '✖']);
  });
});
