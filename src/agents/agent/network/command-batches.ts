// Consecutive commands for one tool in one namespace become one process reading a script on stdin:
// `ip -n NS -force -batch -`, `bridge -force -batch -`, `ip netns exec NS nft -f -`. A switchover delta
// of a dozen commands then costs a few process starts, not a dozen. Pure.

export interface CommandBatch {
  /** The process to start. */
  argv: string[];
  /** Its stdin script, one line per original command; undefined when the command runs on its own. */
  input?: string;
  /** The original commands, in order (a batch's line N is commands[N-1]). */
  commands: string[][];
}

/** A word a batch line can carry as is: ip/bridge split their script lines on blanks and treat `#` as a comment. */
const PLAIN_WORD = /^[^\s#"'\\]+$/;

function batchKey(argv: readonly string[]): { key: string; prefix: string[]; line: string[] } | null {
  const [tool, ...rest] = argv;
  const plain = (words: readonly string[]) => words.length > 0 && !words[0]?.startsWith('-') && words.every((w) => PLAIN_WORD.test(w));
  if (tool === 'bridge' && plain(rest)) return { key: 'bridge', prefix: ['bridge', '-force', '-batch', '-'], line: rest };
  if (tool !== 'ip') return null;
  if (rest[0] === '-n' && rest[1] !== undefined) {
    const line = rest.slice(2);
    return plain(line) && line[0] !== 'netns'
      ? { key: `ip ${rest[1]}`, prefix: ['ip', '-n', rest[1], '-force', '-batch', '-'], line }
      : null;
  }
  if (rest[0] === 'netns' && rest[1] === 'exec' && rest[2] !== undefined && rest[3] === 'nft') {
    // nft joins its arguments with blanks and parses the result, so a script line is the same command.
    const line = rest.slice(4);
    return line.length > 0 && !line[0]?.startsWith('-') && line.every((w) => !/[\n\r]/.test(w))
      ? { key: `nft ${rest[2]}`, prefix: ['ip', 'netns', 'exec', rest[2], 'nft', '-f', '-'], line }
      : null;
  }
  return plain(rest) && rest[0] !== 'netns' ? { key: 'ip', prefix: ['ip', '-force', '-batch', '-'], line: rest } : null;
}

export interface BatchOptions {
  /** A lone batchable command becomes a one-line script too, so its process can be started ahead of time. */
  scriptSingles?: boolean;
}

/** Groups runs of batchable commands, keeping the order; a single command stays a plain process unless scriptSingles. */
export function batchCommands(commands: readonly (readonly string[])[], options: BatchOptions = {}): CommandBatch[] {
  const batches: Array<CommandBatch & { key: string | null; lines: string[] }> = [];
  for (const argv of commands) {
    const k = batchKey(argv);
    const last = batches.at(-1);
    if (k && last?.key === k.key) {
      last.lines.push(k.line.join(' '));
      last.commands.push([...argv]);
      continue;
    }
    batches.push({ key: k?.key ?? null, argv: k ? k.prefix : [...argv], lines: k ? [k.line.join(' ')] : [], commands: [[...argv]] });
  }
  return batches.map(({ key, argv, lines, commands: cmds }) =>
    key === null || (cmds.length === 1 && !options.scriptSingles)
      ? { argv: [...(cmds[0] ?? [])], commands: cmds }
      : { argv, input: `${lines.join('\n')}\n`, commands: cmds },
  );
}

/** The commands of a batch that failed, from ip's and bridge's `Command failed -:N` lines. */
export function failedLines(batch: CommandBatch, stderr: string): string[][] {
  if (batch.input === undefined) return [batch.commands[0] ?? []];
  const lines = [...stderr.matchAll(/Command failed -:(\d+)/g)].map((m) => Number(m[1]));
  if (lines.length === 0) return batch.commands; // nft fails the whole script
  return lines.flatMap((n) => (batch.commands[n - 1] ? [batch.commands[n - 1]] : []));
}
