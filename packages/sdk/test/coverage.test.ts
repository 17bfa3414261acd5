import { describe, expect, it } from 'vitest';
import { coverageGaps, specOperationIds } from '../scripts/coverage.js';

describe('operation coverage', () => {
  it('has a callable SDK method for every operationId in openapi.yaml', () => {
    const ids = specOperationIds();
    expect(ids.length).toBeGreaterThan(60);
    expect(coverageGaps(ids)).toEqual({ missing: [], notCallable: [], stale: [] });
  });

  it('notices an operation without a method', () => {
    expect(coverageGaps([...specOperationIds(), 'listUnicorns']).missing).toEqual(['listUnicorns']);
  });
});
