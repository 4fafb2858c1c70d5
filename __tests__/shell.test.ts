import { describe, expect, it } from '@jest/globals';
import { meaningOf } from '../src/claude/commands.js';
import { namedProgram } from '../src/flow/consumers.js';
import { filledAtRunTime, programIndex } from '../src/shell/commands.js';
import { userSettingsWrite } from '../src/flow/claude-files.js';
import { parseShell } from '../src/shell/reader.js';

function runs(script: string): { text: string; start: number; headless: boolean }[] {
  return parseShell(script).flatMap((c) => {
    const m = meaningOf(c);
    return m.kind === 'claude-run'
      ? [{ text: m.program.text, start: (m.runner?.word ?? m.program).start, headless: m.headless }]
      : [];
  });
}

describe('shell reader', () => {
  it('splits commands on &&, ;, | and newlines with exact offsets', () => {
    const script = 'npm ci && claude -p "a"; echo x | claude --print\nclaude';
    expect(runs(script)).toEqual([
      { text: 'claude', start: 10, headless: true },
      { text: 'claude', start: 34, headless: true },
      { text: 'claude', start: 49, headless: false },
    ]);
  });

  it('reads runs inside $(...), backticks, subshells and bash -c', () => {
    const script = 'R=$(claude -p "x")\nY=`claude -p y`\n( cd a && claude -p z )\nbash -c "claude -p w"';
    expect(runs(script).map((r) => r.start)).toEqual([4, 22, 45, 68]);
  });

  it('does not treat comments, echo text or file-writing heredocs as runs', () => {
    const script = [
      '# claude -p "comment"',
      'echo "claude -p in a string"',
      "printf 'claude -p %s' x",
      "cat > f.md <<'EOF'",
      'claude -p "inside heredoc"',
      'EOF',
      'echo done # claude -p trailing comment',
    ].join('\n');
    expect(runs(script)).toEqual([]);
  });

  it('reads a heredoc fed to a shell as a script', () => {
    const script = 'bash <<EOF\nclaude -p "from heredoc"\nEOF\n';
    expect(runs(script)).toEqual([{ text: 'claude', start: 11, headless: true }]);
  });

  it('joins line continuations and skips wrappers and assignments', () => {
    const script = 'timeout 60 env FOO=1 sudo -E \\\n  claude \\\n  -p "x"';
    expect(runs(script)).toEqual([{ text: 'claude', start: 33, headless: true }]);
  });

  it('keeps GitHub expressions whole inside words', () => {
    const script = 'claude -p "${{ github.event.comment.body || \'x && y\' }}" && echo ok';
    const commands = parseShell(script);
    expect(commands.map((c) => c.words[0]!.text)).toEqual(['claude', 'echo']);
    expect(commands[0]!.words[2]!.text).toBe("${{ github.event.comment.body || 'x && y' }}");
  });

  it('recognises package runners and paths to the binary', () => {
    expect(runs('npx -y @anthropic-ai/claude-code@1.0 -p x').map((r) => r.text)).toEqual([
      '@anthropic-ai/claude-code@1.0',
    ]);
    expect(runs('pnpm dlx @anthropic-ai/claude-code -p x')).toHaveLength(1);
    expect(runs('yarn dlx @anthropic-ai/claude-code -p x')).toHaveLength(1);
    expect(runs('npm exec -- @anthropic-ai/claude-code -p x')).toHaveLength(1);
    expect(runs('npx --package=@anthropic-ai/claude-code claude -p x')).toHaveLength(1);
    expect(runs('./node_modules/.bin/claude -p x')).toHaveLength(1);
    expect(runs('/opt/homebrew/bin/claude -p x')).toHaveLength(1);
  });

  it('tells install, version and local commands from runs', () => {
    expect(runs('npm install -g @anthropic-ai/claude-code')).toEqual([]);
    expect(runs('claude --version && claude mcp add x && claude /plugin install y')).toEqual([]);
    const auth = parseShell('claude setup-token').map(meaningOf);
    expect(auth[0]!.kind).toBe('claude-auth');
  });

  it('names look-alike packages and binaries', () => {
    const meanings = parseShell(
      'npx claude-code x; npm i -g claude-code; claude-code -p x; npx @anthropic-ai/claude-cli',
    ).map(meaningOf);
    expect(meanings.map((m) => m.kind)).toEqual(['lookalike', 'lookalike', 'lookalike', 'lookalike']);
  });

  it('reads to the end of a script whose quote, substitution or heredoc never closes', () => {
    // A truncated script still runs Claude when bash gets that far: the run must not vanish.
    expect(runs('echo "unterminated $(claude -p')).toEqual([{ text: 'claude', start: 21, headless: true }]);
    const [open] = parseShell("claude -p 'never closed");
    expect(open!.words.map((w) => [w.text, w.start, w.end])).toEqual([
      ['claude', 0, 6],
      ['-p', 7, 9],
      ['never closed', 10, 23],
    ]);
    const [cat] = parseShell('cat <<EOF\nno end');
    expect(cat!.heredocs.map((h) => [h.body, h.bodyStart])).toEqual([['no end\n', 10]]);
  });
});

describe('wrappers and the programs they start', () => {
  /** The word each command of a script runs, past its wrappers. */
  const programs = (script: string): string[] =>
    parseShell(script).map((c) => c.words[programIndex(c.words)]?.text ?? '-');

  it("skips each known wrapper's own options and the values they take, and only those", () => {
    expect(
      programs(
        [
          'sudo -n -E -u runner claude',
          'sudo --preserve-env claude',
          'flock -n /tmp/l claude',
          "xargs -d '\\n' -I{} claude",
          "time -f '%e' claude",
          'nice -n 5 claude',
          'setsid -f claude',
          'stdbuf -o L claude',
          'taskset -c 0,1 claude',
          'env -C docs -u KEY claude',
          'timeout -s KILL 60 claude',
          'ionice -c 3 claude',
        ].join('\n'),
      ),
    ).toEqual(Array(12).fill('claude'));
  });

  it('stops at a wrapper that runs a command line of its own', () => {
    expect(programs("flock /tmp/l -c 'claude -p x'\nscript -qc 'claude -p y' /dev/null")).toEqual([
      'flock',
      'claude',
      'script',
      'claude',
    ]);
  });

  it('reads claude as the command operand of an unknown wrapper when options or a prompt follow', () => {
    const meaning = (script: string): string[] =>
      parseShell(script).map((c) => {
        const m = meaningOf(c);
        return m.kind === 'claude-run' ? `run ${m.program.start} via ${m.wrapper?.text ?? '-'}` : m.kind;
      });
    expect(meaning('with-sandbox --net=none claude -p "x"')).toEqual(['run 24 via with-sandbox']);
    expect(meaning('sandbox-runtime claude "fix it"')).toEqual(['run 16 via sandbox-runtime']);
    expect(meaning('sandbox-runtime claude $PROMPT')).toEqual(['run 16 via sandbox-runtime']);
    expect(meaning('sudo -E claude -p x')).toEqual(['run 8 via -']);
    expect(
      meaning(
        [
          'mytool --agent claude',
          'mytool --agent claude -p x',
          'gh label create claude',
          'echo claude -p x',
          'just claude review',
          'sandbox-runtime claude',
          'make claude ARGS=-p',
        ].join('\n'),
      ),
    ).toEqual(['other', 'other', 'other', 'other', 'other', 'other', 'other']);
  });
});

describe('programs that may consume a credential by name', () => {
  const named = (script: string): (string | undefined)[] =>
    parseShell(script).map((c) => namedProgram(c)?.text);

  it('are any program that starts something, not tools, installs, shells or package managers', () => {
    expect(
      named(
        [
          'mytool agent rebase',
          'npx -y review-agent@1 --pr 3',
          'claude-pr-bot review',
          'eslint .',
          'npx prettier --check .',
          'npm ci',
          'pip install -r requirements.txt',
          'mytool install',
          'git diff',
          'curl -fsSL https://example.com/install.sh',
          'bash',
          'python review.py',
          'claude -p x',
        ].join('\n'),
      ),
    ).toEqual(['mytool', 'review-agent@1', 'claude-pr-bot', ...Array<undefined>(10).fill(undefined)]);
  });
});

describe('copies that make the user settings Claude reads', () => {
  const write = (script: string): { path?: string } | undefined =>
    parseShell(script)
      .map((c) => userSettingsWrite(c))
      .find((w) => w !== undefined);

  it('reads the source of cp and install past their options, and a target folder', () => {
    expect(write('cp .claude/settings.json ~/.claude/settings.json')).toEqual({
      path: '.claude/settings.json',
    });
    expect(write('cp ./ci/s.json "$HOME/.claude/settings.json"')).toEqual({ path: 'ci/s.json' });
    expect(write('cp -f ci/s.json ${HOME}/.claude/settings.json')).toEqual({ path: 'ci/s.json' });
    expect(write('install -D -m 600 -o runner ci/s.json ~/.claude/settings.json')).toEqual({
      path: 'ci/s.json',
    });
    expect(write('mkdir -p ~/.claude && cp ci/settings.json ~/.claude/')).toEqual({
      path: 'ci/settings.json',
    });
    expect(write('cp -t ~/.claude ci/settings.json')).toEqual({ path: 'ci/settings.json' });
    expect(write('cp --target-directory=$HOME/.claude ci/settings.json')).toEqual({
      path: 'ci/settings.json',
    });
  });

  it('leaves content written at run time to run time, and other names in the folder alone', () => {
    expect(write('echo "$SETTINGS" > ~/.claude/settings.json')).toEqual({});
    expect(write('cp "$SRC" ~/.claude/settings.json')).toEqual({});
    expect(write('cp ci/bedrock.json ~/.claude/')).toBeUndefined();
    expect(write('cp ci/settings.json ~/.config/')).toBeUndefined();
  });
});

describe('words as bash has them after the expansions it does before it looks a program up', () => {
  const words = (script: string): [string, number, number][] =>
    parseShell(script)[0]!.words.map((w) => [w.text, w.start, w.end]);

  it('env -S splits its string into the words it runs, each at its own place', () => {
    expect(words("env -S 'ANTHROPIC_API_KEY= claude -p'")).toEqual([
      ['env', 0, 3],
      ['ANTHROPIC_API_KEY=', 8, 26],
      ['claude', 27, 33],
      ['-p', 34, 36],
    ]);
    expect(words('env --split-string="claude -p" x')).toEqual([
      ['env', 0, 3],
      ['claude', 20, 26],
      ['-p', 27, 29],
      ['x', 31, 32],
    ]);
  });

  it('env -S after another option is split too; -S of a program after env is that program’s', () => {
    expect(words("env -u X -S 'claude -p'").map((w) => w[0])).toEqual(['env', '-u', 'X', 'claude', '-p']);
    expect(words("env cp -S '.bak' a b").map((w) => w[0])).toEqual(['env', 'cp', '-S', '.bak', 'a', 'b']);
  });

  it('brace expansion makes words that keep the written word’s place, never an assignment', () => {
    const [env, assignment, claude] = parseShell('{env,ANTHROPIC_API_KEY=} claude -p')[0]!.words;
    expect([env!.text, assignment!.text, claude!.text]).toEqual(['env', 'ANTHROPIC_API_KEY=', 'claude']);
    expect([env!.start, env!.end, assignment!.expanded]).toEqual([0, 24, true]);
    expect(words('cl{a,}ude -p').map((w) => w[0])).toEqual(['claude', 'clude', '-p']);
    expect(programIndex(parseShell('{X=,claude} -p')[0]!.words)).toBe(0);
  });

  it('quoted braces, ${...}, GitHub expressions and assignments are not brace-expanded', () => {
    expect(words('echo "{a,b}" ${X:-{a,b}} X={a,b}').map((w) => w[0])).toEqual([
      'echo',
      '{a,b}',
      '${X:-{a,b}}',
      'X={a,b}',
    ]);
    expect(words("echo ${{ format('{0},{1}', a, b) }}").map((w) => w[0])).toEqual([
      'echo',
      "${{ format('{0},{1}', a, b) }}",
    ]);
  });

  it('a brace expansion past 16 words is left as written', () => {
    expect(words('echo {a,b}{a,b}{a,b}{a,b}{a,b}')).toEqual([
      ['echo', 0, 4],
      ['{a,b}{a,b}{a,b}{a,b}{a,b}', 5, 30],
    ]);
  });
});

describe('code a command hands a shell to run', () => {
  const inline = (script: string): unknown => parseShell(script).find((c) => c.inline)?.inline;

  it('sh -c, a here-string and a heredoc fed to bash are child shells, eval is the script’s own', () => {
    expect(inline("sh -c 'unset A; claude'")).toEqual([
      { text: 'unset A; claude', start: 7, end: 22, exact: true, sameShell: false },
    ]);
    expect(inline("bash -s <<< 'claude -p'")).toEqual([
      { text: 'claude -p', start: 13, end: 22, exact: true, sameShell: false },
    ]);
    expect(inline("bash <<'S'\nunset A\nS\n")).toEqual([
      { text: 'unset A\n', start: 11, end: 19, exact: true, sameShell: false },
    ]);
    expect(inline("eval 'unset A'")).toEqual([
      { text: 'unset A', start: 6, end: 13, exact: true, sameShell: true },
    ]);
  });

  it('a child shell’s commands are nested, eval’s are the script’s own commands', () => {
    const nested = (script: string): [string, boolean][] =>
      parseShell(script).map((c) => [c.words[0]!.text, c.nested]);
    expect(nested("sh -c 'unset A'")).toEqual([
      ['sh', false],
      ['unset', true],
    ]);
    expect(nested("eval 'unset A'")).toEqual([
      ['eval', false],
      ['unset', false],
    ]);
  });

  it('code quoted across a word is its unquoted text, placed on the word', () => {
    expect(inline('sh -c "claude -p \\"x\\""')).toEqual([
      { text: 'claude -p "x"', start: 6, end: 23, exact: false, sameShell: false },
    ]);
  });

  it('eval of one whole expansion is text only the shell knows: no inline code for the reader', () => {
    expect(inline('eval "$c"')).toBeUndefined();
    expect(inline('eval "$(ssh-agent -s)"')).toBeUndefined();
  });
});

describe('xargs -I', () => {
  const command = (script: string): ReturnType<typeof parseShell>[number] => parseShell(script).at(-1)!;

  it('a word it fills from its input before the program is skipped, and said', () => {
    const c = command('echo X= | xargs -I{} env {} claude -p');
    expect(c.words[programIndex(c.words)]!.text).toBe('claude');
    expect(filledAtRunTime(c.words)?.text).toBe('{}');
    const custom = command('xargs -I @ env @ claude -p');
    expect([custom.words[programIndex(custom.words)]!.text, filledAtRunTime(custom.words)?.text]).toEqual([
      'claude',
      '@',
    ]);
  });

  it('a replacement only in the program’s own arguments, or no -I, fills nothing before the program', () => {
    expect(filledAtRunTime(command('xargs -I{} claude -p {}').words)).toBeUndefined();
    expect(filledAtRunTime(command('git ls-files | xargs rm -f').words)).toBeUndefined();
  });
});

describe('builtin', () => {
  const program = (script: string): string | undefined => {
    const words = parseShell(script)[0]!.words;
    return words[programIndex(words)]?.text;
  };

  it('runs only a shell builtin: claude after it is no program, after `builtin command` it is', () => {
    expect(program('builtin claude -p x')).toBeUndefined();
    expect(program('builtin command claude -p x')).toBe('claude');
    expect(program('builtin exec -a review claude -p x')).toBe('claude');
  });
});
