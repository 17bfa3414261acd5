import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MEMBER_STATUSES,
  MemberkitError,
  allowedMemberStatuses,
  canChangeMemberStatus,
  type Memberkit,
} from '../../src/index.js';
import { email, startApi, type Api } from '../support/api.js';

let api: Api;
let mk: Memberkit;
beforeAll(async () => {
  api = await startApi();
  mk = api.client({ secretKey: (await api.tenant()).secret_key });
});
afterAll(() => api.close());

// The table is generated from the one the API publishes in openapi.yaml: this checks it
// against what the API does, every pair of statuses.
describe('the member status transitions the SDK exports', () => {
  it('allow exactly the status changes the API accepts', async () => {
    for (const from of MEMBER_STATUSES) {
      for (const to of MEMBER_STATUSES) {
        const member = await mk.members.create({ email: email(), first_name: 'Ada', last_name: 'L', status: from });
        const accepted = await mk.members.update(member.id, { status: to }).then(
          () => true,
          (error: unknown) => {
            if (error instanceof MemberkitError && error.code === 'MEMBER_INVALID_TRANSITION') return false;
            throw error;
          },
        );
        expect(accepted, `${from} → ${to}`).toBe(canChangeMemberStatus(from, to));
      }
    }
  });

  it('offer the current status first, then where it may go', () => {
    expect(allowedMemberStatuses('pending')).toEqual(['pending', 'active', 'inactive']);
    expect(allowedMemberStatuses('suspended')[0]).toBe('suspended');
  });
});
