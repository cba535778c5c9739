// Events: the tracked events, newest first, with filters; new ones arrive at the top as eventTracked reports them.
import { useMemo, useState, type FormEvent } from 'react';
import { ConnectionHandler, graphql, useLazyLoadQuery, useSubscription } from 'react-relay';
import { TableWrap } from '../components/TableWrap';
import type { GraphQLSubscriptionConfig } from 'relay-runtime';
import { useViewer } from '../app/viewer';
import { Empty } from '../components/Loading';
import { formatDateTime, formatMoney } from '../lib/format';
import { eventMatches, eventWhere, type EventFilter } from '../lib/events';
import type { EventsQuery } from './__generated__/EventsQuery.graphql';
import type { EventsSubscription } from './__generated__/EventsSubscription.graphql';
import { nodes } from '../relay/connection';

const FEED = 'Events_attributionEvents';

export default function Events() {
  const [filter, setFilter] = useState<EventFilter>({});

  function apply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = (k: string) => String(f.get(k) ?? '').trim() || undefined;
    setFilter({ eventType: v('eventType'), source: v('source'), campaign: v('campaign'), visitorId: v('visitorId') });
  }

  return (
    <>
      <div className="screen-head">
        <h1>Events</h1>
      </div>
      <form className="panel filters" onSubmit={apply} aria-label="Filters">
        <label>
          Event type
          <input name="eventType" placeholder="purchase" defaultValue={filter.eventType} />
        </label>
        <label>
          Source
          <input name="source" placeholder="google" defaultValue={filter.source} />
        </label>
        <label>
          Campaign
          <input name="campaign" defaultValue={filter.campaign} />
        </label>
        <label>
          Visitor
          <input name="visitorId" defaultValue={filter.visitorId} />
        </label>
        <button type="submit">Filter</button>
        <button type="reset" onClick={() => setFilter({})}>
          Clear
        </button>
      </form>
      <Feed filter={filter} />
    </>
  );
}

function Feed({ filter }: { filter: EventFilter }) {
  const { organization } = useViewer();
  const where = eventWhere(filter);
  const data = useLazyLoadQuery<EventsQuery>(
    graphql`
      query EventsQuery($where: AttributionEventWhereInput) {
        attributionEvents(first: 50, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) @connection(key: "Events_attributionEvents") {
          totalCount
          edges {
            node {
              id
              eventType
              visitorId
              userId
              value
              currency
              source
              medium
              campaign
              url
              createdAt
            }
          }
        }
      }
    `,
    { where },
    { fetchPolicy: 'store-and-network' },
  );
  useLiveFeed(filter);
  const events = nodes(data.attributionEvents);
  const tz = organization.timezone;

  return (
    <section className="panel" aria-labelledby="feed-title">
      <h2 id="feed-title">
        Latest events <span className="muted">({data.attributionEvents.totalCount} in all)</span>
      </h2>
      {events.length === 0 ? (
        <Empty>No events match. Put the tracking snippet (Settings) on your landing pages.</Empty>
      ) : (
        <TableWrap label="Events">
          <table className="data" data-testid="events">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Source / medium</th>
                <th scope="col">Campaign</th>
                <th scope="col">Visitor</th>
                <th scope="col" className="num">
                  Value
                </th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} data-event={e.id}>
                  <td>{formatDateTime(e.createdAt, tz)}</td>
                  <th scope="row">{e.eventType}</th>
                  <td>
                    {e.source ?? '—'} / {e.medium ?? '—'}
                  </td>
                  <td>{e.campaign ?? '—'}</td>
                  <td>
                    <code>{e.visitorId}</code>
                    {e.userId && <div className="muted">{e.userId}</div>}
                  </td>
                  <td className="num">{e.value == null ? '' : formatMoney(e.value, e.currency ?? organization.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

/** Puts each tracked event that matches the filter at the top of the feed. */
function useLiveFeed(filter: EventFilter) {
  const config = useMemo<GraphQLSubscriptionConfig<EventsSubscription>>(
    () => ({
      subscription: graphql`
        subscription EventsSubscription {
          eventTracked {
            id
            eventType
            visitorId
            userId
            value
            currency
            source
            medium
            campaign
            url
            createdAt
          }
        }
      `,
      variables: {},
      updater: (store, data) => {
        const ev = store.getRootField('eventTracked');
        const feed = ConnectionHandler.getConnection(store.getRoot(), FEED, { where: eventWhere(filter) });
        if (!ev || !feed || !data || !eventMatches(data.eventTracked, filter)) return;
        const id = ev.getDataID();
        if ((feed.getLinkedRecords('edges') ?? []).some((e) => e?.getLinkedRecord('node')?.getDataID() === id)) return;
        ConnectionHandler.insertEdgeBefore(feed, ConnectionHandler.createEdge(store, feed, ev, 'AttributionEventEdge'));
        feed.setValue(((feed.getValue('totalCount') as number | undefined) ?? 0) + 1, 'totalCount');
      },
    }),
    [filter],
  );
  useSubscription(config);
}
