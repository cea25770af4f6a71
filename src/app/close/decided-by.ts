/**
 * Who made the decisions of a close (or an amendment), for the log's decided_by:
 * NOTIFY_DECIDED_BY, else git's "user.name <user.email>", else the operating system's user.
 */
import type { Context } from '../../context.js';

/** `dir`: where git looks for a repository's own user (the map's folder); default the working directory. */
export async function decidedBy(ctx: Context, dir: string = ctx.cwd): Promise<string | undefined> {
  // One line: it goes into a plan's front matter and the report's header.
  const one = (s: string | undefined) => s?.replace(/[\r\n]+/g, ' ').trim() || undefined;
  return one(ctx.env.NOTIFY_DECIDED_BY) ?? one(await ctx.ports.identity.git(dir, ctx.env)) ?? one(ctx.ports.identity.osUser(ctx.env));
}
