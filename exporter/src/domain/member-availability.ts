import type { QueueMember } from './state';

/** How far a queue member can take a queue call now; the API's member counts and the members metric use it. */
export const MEMBER_AVAILABILITIES = ['available', 'ringing', 'in_call', 'paused', 'unavailable'] as const;
export type MemberAvailability = (typeof MEMBER_AVAILABILITIES)[number];

/**
 * One member counts once. Unreachable first (a paused, unregistered phone takes no calls either way), then paused
 * (a paused agent on a call is still not taking queue calls), then busy with a call, ringing, available.
 */
export function memberAvailability(m: QueueMember): MemberAvailability {
  if (m.state === 'unavailable' || m.state === 'unknown') return 'unavailable';
  if (m.paused) return 'paused';
  if (m.inCall || m.state === 'in_call' || m.state === 'on_hold' || m.state === 'busy') return 'in_call';
  if (m.state === 'ringing') return 'ringing';
  return 'available';
}
