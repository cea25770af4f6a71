/** Each command's run function, imported only when that command runs: `notify --help` loads none of them. */
import type { AckOptions } from './commands/ack.js';
import type { AcksOptions } from './commands/acks.js';
import type { AmendOptions } from './commands/amend.js';
import type { CheckOptions } from './commands/check.js';
import type { CloseOptions } from './commands/close.js';
import type { CompleteOptions } from './commands/complete.js';
import type { CompletionOptions } from './commands/completion.js';
import type { InitOptions } from './commands/init.js';
import type { LogOptions } from './commands/log.js';
import type { PlanOptions } from './commands/plan.js';
import type { PreviewOptions } from './commands/preview.js';
import type { RemindOptions } from './commands/remind.js';
import type { ReportOptions } from './commands/report.js';
import type { SchemaOptions } from './commands/schema.js';
import type { StakeholdersOptions } from './commands/stakeholders.js';
import type { StatusOptions } from './commands/status.js';
import type { ValidateOptions } from './commands/validate.js';
import type { Context } from './context.js';

export type Run<O> = (o: O, ctx: Context) => Promise<number>;

export interface Runners {
  stakeholders: Run<StakeholdersOptions>;
  close: Run<CloseOptions>;
  amend: Run<AmendOptions>;
  check: Run<CheckOptions>;
  status: Run<StatusOptions>;
  log: Run<LogOptions>;
  plan: Run<PlanOptions>;
  report: Run<ReportOptions>;
  init: Run<InitOptions>;
  validate: Run<ValidateOptions>;
  schema: Run<SchemaOptions>;
  completion: Run<CompletionOptions>;
  complete: Run<CompleteOptions>;
  preview: Run<PreviewOptions>;
  acks: Run<AcksOptions>;
  ack: Run<AckOptions>;
  remind: Run<RemindOptions>;
}

export type RunnerLoaders = { [K in keyof Runners]: () => Promise<Runners[K]> };

export const RUNNERS: RunnerLoaders = {
  stakeholders: async () => (await import('./commands/stakeholders.js')).runStakeholders,
  close: async () => (await import('./commands/close.js')).runClose,
  amend: async () => (await import('./commands/amend.js')).runAmend,
  check: async () => (await import('./commands/check.js')).runCheck,
  status: async () => (await import('./commands/status.js')).runStatus,
  log: async () => (await import('./commands/log.js')).runLog,
  plan: async () => (await import('./commands/plan.js')).runPlan,
  report: async () => (await import('./commands/report.js')).runReport,
  init: async () => (await import('./commands/init.js')).runInit,
  validate: async () => (await import('./commands/validate.js')).runValidate,
  schema: async () => (await import('./commands/schema.js')).runSchema,
  completion: async () => (await import('./commands/completion.js')).runCompletion,
  complete: async () => (await import('./commands/complete.js')).runComplete,
  preview: async () => (await import('./commands/preview.js')).runPreview,
  acks: async () => (await import('./commands/acks.js')).runAcks,
  ack: async () => (await import('./commands/ack.js')).runAck,
  remind: async () => (await import('./commands/remind.js')).runRemind,
};
