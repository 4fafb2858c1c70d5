import { describe, expect, it } from '@jest/globals';
import { formatText } from '../src/report/text.js';
import { scanBehaviour } from './behaviour.js';
import { scanAt, tempFolder } from './helpers.js';

describe('an opaque row in the text table', () => {
  it('says once what was not seen when its reason is that same sentence', () => {
    const text = formatText(scanBehaviour('opaque-said-once.yml'), () => undefined);
    const table = text.split('\n\n')[1]!.split('\n');
    expect(table).toEqual([
      'WHERE                                         JOB     ROUTE               VERDICT',
      '.github/workflows/opaque-said-once.yml:7:15   review  api-key (inferred)  ok',
      '    run: ./.github/actions/claude-review',
      '    credential: ANTHROPIC_API_KEY <- secrets.ANTHROPIC_API_KEY (action-input, 9:30)',
      '    why: `./.github/actions/claude-review` receives ANTHROPIC_API_KEY; its inside was not checked',
      '.github/workflows/opaque-said-once.yml:10:18  review  api-key (inferred)  ok',
      '    run: npx claude-wrapper',
      '    credential: ANTHROPIC_API_KEY <- secrets.ANTHROPIC_API_KEY (step, 12:30)',
      '    why: `npx claude-wrapper` receives ANTHROPIC_API_KEY; its inside was not checked',
    ]);
  });
});

describe('an opaque row read without its caller', () => {
  it('says what was not seen once, inside the reason that also names the input it depends on', () => {
    const repo = tempFolder({
      'action.yml':
        'name: claude review\ninputs:\n  api_key:\n    required: true\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: npm install -g @anthropic-ai/claude-code\n    - shell: bash\n      env:\n        ANTHROPIC_API_KEY: ${{ inputs.api_key }}\n      run: bun run review.ts\n',
    });
    const text = formatText(scanAt(repo, ['action.yml']), () => undefined);
    expect(text.split('\n\n')[1]!.split('\n')).toEqual([
      'WHERE             JOB          ROUTE               VERDICT',
      'action.yml:13:12  (composite)  api-key (inferred)  ok',
      '    run: bun run',
      '    credential: ANTHROPIC_API_KEY <- inputs.api_key (step, 12:28)',
      '    why: depends on the caller passing `inputs.api_key`; `bun run` receives ANTHROPIC_API_KEY; its',
      '         inside was not checked',
    ]);
  });
});
