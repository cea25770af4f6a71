/** --within DURATION: "2wd" or "2 working days", "3d" or "3 days", "12h" or "12 hours". */
import type { Notice } from '../../domain/calendar.js';
import { UsageError } from '../../errors.js';

const FORMS: [RegExp, 'working_days' | 'days' | 'hours'][] = [
  [/^(\d+)\s*(?:wd|working[ _-]?days?)$/i, 'working_days'],
  [/^(\d+)\s*(?:d|days?)$/i, 'days'],
  [/^(\d+)\s*(?:h|hours?)$/i, 'hours'],
];

export const DEFAULT_WITHIN: Notice = { working_days: 2 };

export function parseWithin(text: string | undefined): Notice {
  if (text === undefined) return DEFAULT_WITHIN;
  for (const [re, unit] of FORMS) {
    const m = re.exec(text.trim());
    if (m && Number(m[1]) <= 3650) return { [unit]: Number(m[1]) } as Notice;
  }
  throw new UsageError(`--within ${text}: not a duration`, 'give working days, days or hours: --within 2wd, --within "3 days", --within 12h');
}
