/** The text of a new stakeholder map, with the comments a first-time reader needs. Pure. */

export interface InitParty {
  id: string;
  name: string;
  contacts: string[];
  always: boolean;
  affectedBy: string[];
}

export interface InitAnswers {
  organization: string;
  from: string;
  /** Where replies go when a project names no owner; none: the sender. */
  replyTo?: string;
  locale: string;
  actions: { id: string; description: string }[];
  parties: InitParty[];
  /** A first project to close. */
  project?: { id: string; title: string; actions: string[]; owner?: string; summary?: string };
}

/** What `notify init --yes` writes: placeholders to replace, every kind of rule shown once. */
export const STARTER: InitAnswers = {
  organization: 'Your organisation',
  from: 'Projects <projects@example.com>',
  locale: 'en',
  actions: [
    { id: 'customer-email', description: 'E-mail or mailing sent to customers or prospects' },
    { id: 'pricing', description: 'Change of price, offer or promotion' },
  ],
  parties: [
    { id: 'customer-service', name: 'Customer service', contacts: ['Customer advisers <advisers@example.com>'], always: false, affectedBy: ['customer-email', 'pricing'] },
    { id: 'sales', name: 'Sales', contacts: ['sales@example.com'], always: false, affectedBy: ['pricing'] },
    { id: 'management', name: 'Management', contacts: ['management@example.com'], always: true, affectedBy: [] },
  ],
  // A summary, so that preview and close --dry-run of the starter run without a terminal.
  project: { id: 'first-project', title: 'Our first project', actions: ['customer-email'], owner: 'Project owner <owner@example.com>', summary: 'Our first project is finished' },
};

const q = (s: string) => JSON.stringify(s);
const list = (items: string[]) => `[${items.map(q).join(', ')}]`;
const ids = (items: string[]) => `[${items.join(', ')}]`;

/** Pad a line to a column and add a comment. */
function c(line: string, comment: string): string {
  return `${line.padEnd(43)} # ${comment}`;
}

export function renderMap(a: InitAnswers, schemaRef: string): string {
  const out: string[] = [
    `# yaml-language-server: $schema=${schemaRef}`,
    '# The stakeholder map: who to tell when a project is finished, and how to reach them.',
    '# Check it with "notify validate"; see who a project concerns with "notify stakeholders".',
    'version: 1',
    c(`organization: ${q(a.organization)}`, 'shown in the subject of every message'),
    c(`from: ${q(a.from)}`, 'the sender of every notification'),
    a.replyTo ? c(`reply_to: ${q(a.replyTo)}`, "where replies go, unless a project names its owner") : c('# reply_to: "pm@example.com"', "where replies go, unless a project names its owner"),
    c(`locale: ${a.locale}`, 'language of the messages (en and fr ship); a party can set its own'),
    c('# smtp:', 'or set NOTIFY_SMTP_URL=smtp://host:587 in the environment'),
    '#   url: smtp://mail.example.com:587',
    '#   user: notify-bot',
    c('#   password_env: NOTIFY_SMTP_PASSWORD', 'the NAME of a variable holding the password'),
    c('actions:', 'the kinds of action a project can involve'),
    ...a.actions.map((x) => `  ${x.id}: { description: ${q(x.description)} }`),
    c('parties:', 'the teams to inform'),
  ];
  for (const p of a.parties) {
    out.push(`  ${p.id}:`, `    name: ${q(p.name)}`, c(`    contacts: ${list(p.contacts)}`, 'people or distribution lists'));
    if (p.always) out.push(c('    always: true', 'told of every closure; can never be skipped'));
    if (p.affectedBy.length > 0) out.push(c(`    affected_by: ${ids(p.affectedBy)}`, 'told when a project involves one of these'));
  }
  if (a.project) {
    out.push(
      c('projects:', 'optional: any other id can be closed ad hoc'),
      `  ${a.project.id}:`,
      `    title: ${q(a.project.title)}`,
      ...(a.project.owner ? [c(`    owner: ${q(a.project.owner)}`, 'answers questions: the Reply-To of its messages')] : []),
      c(`    actions: ${ids(a.project.actions)}`, 'decides, with the rules above, who is told'),
      ...(a.project.summary ? [c(`    summary: ${q(a.project.summary)}`, 'what changed, in one line (--summary overrides it)')] : []),
    );
  }
  return `${out.join('\n')}\n`;
}
