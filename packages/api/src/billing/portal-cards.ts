import type Stripe from 'stripe';

/** A payment method as the portal shows it: enough to recognise the card, nothing to charge it with. */
export interface CardView {
  id: string;
  brand: string;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
}

/** The portal's view of a Stripe PaymentMethod (cards; other types show their type and last digits). */
export function toCardView(pm: Stripe.PaymentMethod): CardView {
  if (pm.card) {
    return {
      id: pm.id,
      brand: pm.card.brand,
      last4: pm.card.last4,
      expMonth: pm.card.exp_month,
      expYear: pm.card.exp_year,
    };
  }
  const last4 = pm.sepa_debit?.last4 ?? pm.us_bank_account?.last4 ?? null;
  return { id: pm.id, brand: pm.type, last4, expMonth: null, expYear: null };
}

/** The id of an expandable Stripe reference. */
export function refId(ref: string | { id: string } | null | undefined): string | null {
  if (!ref) return null;
  return typeof ref === 'string' ? ref : ref.id;
}
