// The live connection's states and its reconnection schedule.

/** connecting: first attempt; live: subscriptions flow; reconnecting: dropped, retrying; offline: given up. */
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export const liveLabels: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

const BASE_MS = 1_000;
const MAX_MS = 30_000;

/**
 * How long to wait before reconnection attempt number retries (0 for the first): exponential from 1 s, capped at
 * 30 s, with up to 30 % jitter so that many dashboards dropped at once by a restarting server do not come back
 * in one wave. random is injectable for tests.
 */
export function retryDelay(retries: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_MS, BASE_MS * 2 ** Math.max(0, retries));
  return Math.round(base * (1 + 0.3 * random()));
}
