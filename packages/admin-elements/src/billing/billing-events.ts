/** What a billing action did, in `member-admin-billing`. */
export type BillingAction = 'refund' | 'cancel_now' | 'cancel_at_period_end' | 'comp_granted' | 'comp_revoked';

/** Detail of `member-admin-billing`: a staff billing action on a member finished. */
export interface MemberAdminBillingDetail {
  memberId: string;
  action: BillingAction;
}

declare global {
  interface MemberkitEventMap {
    'member-admin-billing': MemberAdminBillingDetail;
  }
  interface HTMLElementEventMap {
    'member-admin-billing': CustomEvent<MemberAdminBillingDetail>;
  }
}
