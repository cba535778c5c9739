// Screens whose figures are reports (sums the server computes) rather than records refetch when the events that
// change them arrive: eventTracked says that something happened, and the screen asks again, at most every 2 s
// however many events arrive.
import { useEffect, useMemo, useRef, useState } from 'react';
import { graphql, useSubscription } from 'react-relay';
import type { GraphQLSubscriptionConfig } from 'relay-runtime';
import type { useLiveRefetchSubscription } from './__generated__/useLiveRefetchSubscription.graphql';

const MIN_INTERVAL_MS = 2_000;

/** A key that changes when an event of one of eventTypes (any, when null) was tracked: pass it as fetchKey. */
export function useLiveRefetch(eventTypes: readonly string[] | null): number {
  const [key, setKey] = useState(0);
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const types = eventTypes?.join(',') ?? '';

  const config = useMemo<GraphQLSubscriptionConfig<useLiveRefetchSubscription>>(
    () => ({
      subscription: graphql`
        subscription useLiveRefetchSubscription {
          eventTracked {
            id
            eventType
          }
        }
      `,
      variables: {},
      onNext: (res) => {
        const type = res?.eventTracked.eventType;
        if (!type || (types && !types.split(',').includes(type)) || timer.current) return;
        const wait = Math.max(0, last.current + MIN_INTERVAL_MS - Date.now());
        timer.current = setTimeout(() => {
          timer.current = undefined;
          last.current = Date.now();
          setKey((k) => k + 1);
        }, wait);
      },
    }),
    [types],
  );
  useSubscription(config);
  return key;
}
