/** notify remind <project>: placeholder replaced below. */
import type { Context } from '../context.js';
import type { MapOptions } from '../app/workspace.js';

export interface RemindOptions extends MapOptions {
  project: string;
  yes: boolean;
  dryRun: boolean;
  transport?: string;
}

export async function runRemind(_o: RemindOptions, _ctx: Context): Promise<number> {
  return 2;
}
