import { describe, expect, it } from '@jest/globals';
import { withPlainEnv } from '../src/plain-env.js';
import { cliAt, REPO } from './helpers.js';

describe('the scan runs on a plain copy of process.env', () => {
  it('sees the same variables, keeps its own writes to itself, and gives the real object back', () => {
    const real = process.env;
    real.CRG_PLAIN_ENV_PROBE = 'before';
    try {
      const seen = withPlainEnv(() => {
        expect(process.env).not.toBe(real);
        process.env.CRG_PLAIN_ENV_PROBE = 'inside';
        return { ...process.env };
      });
      expect(seen).toEqual({ ...real, CRG_PLAIN_ENV_PROBE: 'inside' });
      expect(process.env).toBe(real);
      expect(real.CRG_PLAIN_ENV_PROBE).toBe('before');
    } finally {
      delete real.CRG_PLAIN_ENV_PROBE;
    }
  });

  it('gives the real object back when the work throws', () => {
    const real = process.env;
    expect(() =>
      withPlainEnv(() => {
        throw new Error('stop');
      }),
    ).toThrow('stop');
    expect(process.env).toBe(real);
  });

  it('leaves process.env as it was after a whole CLI scan', () => {
    const real = process.env;
    const { code, out } = cliAt(REPO, ['--format', 'json', '--fail-on', 'never', '.']);
    expect(code).toBe(0);
    expect(JSON.parse(out).routes.length).toBeGreaterThan(0);
    expect(process.env).toBe(real);
  });
});
