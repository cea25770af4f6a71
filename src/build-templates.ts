/** `npm run build`, after tsc: the shipped templates as programs (adapters/mail/shipped-programs.ts). */
import { writeShippedPrograms } from './adapters/mail/make-programs.js';

for (const name of writeShippedPrograms()) process.stderr.write(`templates/${name}: uses more than values, #if and #each; it renders with Handlebars\n`);
