import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const scratch = here('./.readme-check/');

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The ```ts blocks of a README section range, in order. */
function blocks(markdown: string, from: string, to: string): string[] {
  const section = markdown.slice(markdown.indexOf(from), markdown.indexOf(to));
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('README', () => {
  // A whole TypeScript program over the SDK: slow on a busy machine.
  it('has per-resource examples that compile against the SDK as published (by package name)', {
    timeout: 120_000,
  }, () => {
    const readme = readFileSync(here('../README.md'), 'utf8');
    const examples = blocks(readme, '## Resources', '## Development');
    expect(examples.length).toBeGreaterThanOrEqual(10);
    // What the prose leaves to the reader: a token received from the browser.
    const source = ['declare const token: string;', ...examples, 'export {};'].join('\n');
    mkdirSync(scratch, { recursive: true });
    const file = `${scratch}examples.ts`;
    writeFileSync(file, source);

    const config = ts.getParsedCommandLineOfConfigFile(
      here('./tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
    );
    const program = ts.createProgram([file], { ...config!.options, noEmit: true, noUnusedLocals: false });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file);
    const messages = diagnostics.map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${source.split('\n')[line]}\n  → ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(messages).toEqual([]);
  });
});
