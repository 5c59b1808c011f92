import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

// The runner's workflow-command and file-command protocol, spoken directly.
// @actions/core does the same, but importing it also loads @actions/http-client
// and undici for OIDC (about 80 ms on every step, measured in bench/cold-start);
// these few functions are all an action of ours needs.

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface CommandProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const PROPERTY_NAMES: Record<keyof CommandProperties, string> = {
  title: 'title',
  file: 'file',
  startLine: 'line',
  endLine: 'endLine',
  startColumn: 'col',
  endColumn: 'endColumn',
};

function issueCommand(command: string, message: string, properties: CommandProperties = {}): void {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${PROPERTY_NAMES[k as keyof CommandProperties]}=${escapeProperty(String(v))}`);
  const head = props.length > 0 ? `${command} ${props.join(',')}` : command;
  process.stdout.write(`::${head}::${escapeData(message)}${EOL}`);
}

/** Appends `name<<delimiter` … to a runner file (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV). */
function issueFileCommand(variable: string, name: string, value: string): boolean {
  const file = process.env[variable];
  if (!file) return false;
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`Unexpected input: the name or value of '${name}' contains the delimiter`);
  }
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
  return true;
}

export function setOutput(name: string, value: string): void {
  if (!issueFileCommand('GITHUB_OUTPUT', name, value)) {
    process.stdout.write(EOL);
    issueCommand(`set-output name=${escapeProperty(name)}`, value);
  }
}

export function saveState(name: string, value: string): void {
  if (!issueFileCommand('GITHUB_STATE', name, value))
    issueCommand(`save-state name=${escapeProperty(name)}`, value);
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? '';
}

export function exportVariable(name: string, value: string): void {
  process.env[name] = value;
  if (!issueFileCommand('GITHUB_ENV', name, value))
    issueCommand(`set-env name=${escapeProperty(name)}`, value);
}

export function setSecret(secret: string): void {
  issueCommand('add-mask', secret);
}

export function annotate(level: AnnotationLevel, message: string, properties?: CommandProperties): void {
  issueCommand(level, message, properties);
}

export function info(message: string): void {
  process.stdout.write(`${message}${EOL}`);
}

export function debug(message: string): void {
  issueCommand('debug', message);
}

export async function group<T>(title: string, fn: () => Promise<T>): Promise<T> {
  issueCommand('group', title);
  try {
    return await fn();
  } finally {
    issueCommand('endgroup', '');
  }
}

/** Marks the step failed: an error annotation and a non-zero exit code. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  annotate('error', message);
}
