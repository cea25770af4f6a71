/**
 * Strict e-mail address checks. A contact is exactly one plain address, optionally with a
 * display name: `marie@exemple.fr` or `Marie Dupont <marie@exemple.fr>`. Anything richer
 * (groups, comments, several addresses, quoted local parts, CR/LF) is refused, because every
 * contact ends up in an envelope and in headers.
 */

export interface Address {
  address: string;
  name?: string;
}

const LOCAL = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DOMAIN = `${LABEL}(?:\\.${LABEL})+`;
const PLAIN = new RegExp(`^${LOCAL}@${DOMAIN}$`);
// A display name: letters (any script), digits, spaces and a few harmless marks; no <>",;:()@\[] or controls.
const NAME = /^[\p{L}\p{M}\p{N} .'’_&\/-]+$/u;

export function parseAddress(raw: string): Address | string {
  if (/[\r\n\t\0]/.test(raw)) return 'contains a line break or control character';
  const text = raw.trim();
  if (PLAIN.test(text)) return text.length > 254 ? 'is longer than 254 characters' : { address: text };
  const m = /^(?:"([^"\\]*)"|([^<>"]*?))\s*<([^<>]*)>$/.exec(text);
  if (!m) {
    if (/[,;]/.test(text)) return 'holds more than one address; list each contact separately';
    return 'is not one plain e-mail address (write "name@domain" or "Name <name@domain>")';
  }
  const name = (m[1] ?? m[2] ?? '').trim();
  const address = m[3].trim();
  if (!PLAIN.test(address)) return `has "${address}" inside <>, which is not a plain e-mail address`;
  if (name && !NAME.test(name)) return `has a display name "${name}" with characters that are not allowed (<>",;:()@\\[])`;
  return name ? { address, name } : { address };
}

export function formatAddress(a: Address): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

/** The key under which one person is recognised across parties. */
export function addressKey(address: string): string {
  return address.toLowerCase();
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}
