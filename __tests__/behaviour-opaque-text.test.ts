import { describe, expect, it } from '@jest/globals';
import { formatText } from '../src/report/text.js';
import { scanBehaviour } from './behaviour.js';

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
