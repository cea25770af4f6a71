/** A small map for transport tests; `extra` is appended at the root (transport:, smtp:). */
export function transportMap(extra = ''): string {
  return `version: 1
organization: Acme
from: "Projects <projects@acme.test>"
locale: en
actions:
  customer-email: { description: "E-mail sent to customers" }
parties:
  support:
    name: Customer support
    contacts: ["Marie <marie@acme.test>", "support@acme.test"]
    affected_by: [customer-email]
  boss:
    name: Direction
    contacts: ["boss@acme.test"]
    always: true
projects:
  launch:
    title: "Spring launch"
    actions: [customer-email]
    summary: "The spring offer went out to 10,000 customers"
${extra}`;
}

export const RECIPIENTS = ['marie@acme.test', 'support@acme.test', 'boss@acme.test'];
