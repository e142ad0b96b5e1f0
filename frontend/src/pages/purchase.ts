import { api, data } from '../api/client.ts';

export type Target = { event_id: number } | { packet_id: number };

const storageKey = (userId: number, target: Target) =>
  `tix.purchase:${userId}:${'event_id' in target ? `event:${target.event_id}` : `packet:${target.packet_id}`}`;

/**
 * One Idempotency-Key per purchase intent. The key is kept (sessionStorage) from the first click
 * until the purchase is known to have succeeded, so a double click, a retry after a network error
 * or a reload in the middle resend the same key, and the API sells at most one ticket for it.
 */
export const purchaseIntent = {
  key(userId: number, target: Target): string {
    const name = storageKey(userId, target);
    let key = sessionStorage.getItem(name);
    if (!key) {
      key = crypto.randomUUID();
      sessionStorage.setItem(name, key);
    }
    return key;
  },
  /** The intent is fulfilled: the next Buy is a new purchase. */
  done(userId: number, target: Target) {
    sessionStorage.removeItem(storageKey(userId, target));
  },
};

export async function buyTicket(userId: number, target: Target): Promise<string> {
  const key = purchaseIntent.key(userId, target);
  const res = await data(
    api().POST('/api/user-manager/clients/{user_id}/tickets', {
      params: { path: { user_id: userId }, header: { 'Idempotency-Key': key } },
      body: target,
    }),
  );
  purchaseIntent.done(userId, target);
  return res.ticket_code;
}
