/** Temporary git repositories for the release tests, isolated from the user's git configuration. */
import fs from 'node:fs';
import path from 'node:path';
import { execaSync } from 'execa';
import { scratchDir } from '../fixtures/scratch.js';

export const RELEASE_MAP = `version: 1
organization: Test Co
from: "Releases <releases@example.test>"
locale: en
actions:
  pricing: { description: "A price change" }
  customer-email: { description: "A mailing to customers" }
parties:
  billing:
    name: Billing
    contacts: ["billing@example.test", "Ann <ann@example.test>"]
    paths: ["src/billing/**"]
  support:
    name: Support
    contacts: ["support@example.test"]
    affected_by: [customer-email]
  legal:
    name: Legal
    contacts: ["legal@example.test"]
    affected_by: [pricing]
  ops:
    name: Ops
    contacts: ["ops@example.test"]
    paths: ["deploy/**", "*.tf"]
  board:
    name: Board
    contacts: ["board@example.test"]
    always: true
projects:
  spring:
    title: Spring release
    actions: [customer-email]
    summary: "The spring release is out"
`;

/** Every address of the map above, by party. */
export const CONTACTS: Record<string, string[]> = {
  billing: ['billing@example.test', 'ann@example.test'],
  support: ['support@example.test'],
  legal: ['legal@example.test'],
  ops: ['ops@example.test'],
  board: ['board@example.test'],
};

const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.test',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.test',
};

export function git(dir: string, ...args: string[]): string {
  return String(execaSync('git', args, { cwd: dir, env: GIT_ENV }).stdout);
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

export function commit(dir: string, files: Record<string, string>, message = 'change'): void {
  writeFiles(dir, files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

/** A repository on main with the map committed; `files` are committed with it. Removed when the test ends. */
export function makeRepo(files: Record<string, string> = {}, map = RELEASE_MAP): string {
  const dir = scratchDir('notify-release-');
  git(dir, 'init', '-q', '-b', 'main');
  commit(dir, { 'notify.yaml': map, 'README.md': 'app\n', ...files }, 'initial');
  return dir;
}

/** Neutralise the CI's own branch variables, so a spawned run reads the test repository's branch. */
export const NO_CI_BRANCH = { GITHUB_REF_NAME: '', GITHUB_HEAD_REF: '', CI_COMMIT_REF_NAME: '' };
