import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { commandData, commandProperty } from './report/escape.js';

/**
 * The runner's side of the Actions protocol, byte for byte as @actions/core writes it: inputs from the
 * environment, workflow commands on stdout, outputs and the job summary appended to the files the runner
 * names. @actions/core itself loads its OIDC client (and with it undici and Node's http/tls) on import,
 * which the action only needs when it talks to a server, and that alone made its start twice as slow.
 */

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

type CommandValue = string | number | boolean | undefined;

function issue(command: string, properties: Record<string, CommandValue>, message: string): void {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '' && value !== 0 && value !== false)
    .map(([key, value]) => `${key}=${commandProperty(String(value))}`)
    .join(',');
  process.stdout.write(`::${command}${props ? ` ${props}` : ''}::${commandData(message)}${EOL}`);
}

export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** Registers a value with the runner's log masker before anything could print it. */
export function setSecret(secret: string): void {
  issue('add-mask', {}, secret);
}

function annotation(level: string, message: string, p: AnnotationProperties): void {
  issue(
    level,
    {
      title: p.title,
      file: p.file,
      line: p.startLine,
      endLine: p.endLine,
      col: p.startColumn,
      endColumn: p.endColumn,
    },
    message,
  );
}

export const error = (message: string, properties: AnnotationProperties = {}): void =>
  annotation('error', message, properties);
export const warning = (message: string, properties: AnnotationProperties = {}): void =>
  annotation('warning', message, properties);
export const notice = (message: string, properties: AnnotationProperties = {}): void =>
  annotation('notice', message, properties);

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** A step output; a random delimiter keeps a value from ending the block early. */
export function setOutput(name: string, value: string | number): void {
  const text = String(value);
  const path = process.env.GITHUB_OUTPUT;
  if (!path) {
    process.stdout.write(EOL);
    issue('set-output', { name }, text);
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || text.includes(delimiter))
    throw new Error(`output ${name} holds its own delimiter`);
  appendFileSync(path, `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`, 'utf8');
}

/** Adds to the job summary, the file the runner names in GITHUB_STEP_SUMMARY. */
export function appendSummary(path: string, markdown: string): void {
  appendFileSync(path, markdown + EOL, 'utf8');
}
