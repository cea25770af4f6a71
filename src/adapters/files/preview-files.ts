/** Write a preview to a folder: <recipient>.eml (the exact bytes), <recipient>.html, and index.html. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { safeFileName } from '../mail/file-transport.js';
import { indexPage, type IndexEntry } from '../../app/preview/index-page.js';
import type { PreviewFile, WrittenPreview } from '../../ports.js';

export type { PreviewFile, WrittenPreview };

export function writePreviewFiles(dir: string, project: string, items: PreviewFile[]): WrittenPreview {
  fs.mkdirSync(dir, { recursive: true });
  const used = new Set<string>();
  const files: WrittenPreview['files'] = [];
  const entries: IndexEntry[] = [];
  for (const item of items) {
    const base = uniqueName(safeFileName(item.recipient), used);
    const eml = path.join(dir, `${base}.eml`);
    const html = path.join(dir, `${base}.html`);
    fs.writeFileSync(eml, item.raw);
    fs.writeFileSync(html, item.html);
    files.push({ recipient: item.recipient, eml, html });
    entries.push({ headers: item.headers, status: item.status, eml: `${base}.eml`, html: `${base}.html` });
  }
  const index = path.join(dir, 'index.html');
  fs.writeFileSync(index, indexPage(project, entries));
  return { index, files };
}

/** A fresh folder outside the project for a preview that is only opened, never kept. */
export function tempPreviewDir(project: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `notify-preview-${project}-`));
}

function uniqueName(base: string, used: Set<string>): string {
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}-${n}`;
  used.add(name.toLowerCase());
  return name;
}
