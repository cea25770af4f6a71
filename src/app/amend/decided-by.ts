/** Who decided an amendment, as the close records it (one function, so both stay the same). */
import type { Context } from '../../context.js';

export function decidedBy(ctx: Context): string | undefined {
  return ctx.env.NOTIFY_DECIDED_BY ?? ctx.env.USER ?? ctx.env.USERNAME;
}
