// Overview: the KPIs of the range with their change against the previous period, revenue against spend per day,
// and the top sources. dashboardUpdated keeps the numbers moving as events arrive.
import { useMemo } from 'react';
import { graphql, useFragment, useLazyLoadQuery, useSubscription } from 'react-relay';
import type { GraphQLSubscriptionConfig } from 'relay-runtime';
import { useViewer } from '../app/viewer';
import { Chart } from '../components/Chart';
import { Kpi } from '../components/Kpi';
import { Empty } from '../components/Loading';
import { RangePicker, useRangeChoice } from '../components/RangePicker';
import { formatDateTime, formatMoney, formatMultiple, formatNumber, formatPercent } from '../lib/format';
import { resolveRange } from '../lib/range';
import type { OverviewQuery } from './__generated__/OverviewQuery.graphql';
import type { OverviewSubscription } from './__generated__/OverviewSubscription.graphql';
import type { Overview_dashboard$key } from './__generated__/Overview_dashboard.graphql';

export default function Overview() {
  const { organization } = useViewer();
  const [choice, setChoice] = useRangeChoice();
  const range = resolveRange(choice, organization.timezone);
  const fallback = resolveRange({ kind: 'last', days: 30 }, organization.timezone)!;
  const r = range ?? fallback;

  return (
    <>
      <div className="screen-head">
        <h1>Overview</h1>
        <RangePicker choice={choice} onChange={setChoice} timeZone={organization.timezone} invalid={!range} />
      </div>
      <OverviewBody from={r.from} to={r.to} previousFrom={r.previousFrom} previousTo={r.previousTo} />
    </>
  );
}

interface Range {
  from: string;
  to: string | null;
  previousFrom: string;
  previousTo: string;
}

function OverviewBody({ from, to, previousFrom, previousTo }: Range) {
  const data = useLazyLoadQuery<OverviewQuery>(
    graphql`
      query OverviewQuery($from: Time!, $to: Time, $previousFrom: Time!, $previousTo: Time!) {
        dashboard(from: $from, to: $to) {
          ...Overview_dashboard
        }
        previous: dashboard(from: $previousFrom, to: $previousTo) {
          revenue
          spend
          roas
          conversionRate
          visitors
          conversions
          activeCampaigns
        }
      }
    `,
    { from, to, previousFrom, previousTo },
    { fetchPolicy: 'store-and-network' },
  );
  useLiveDashboard(from, to);
  return <DashboardView dashboard={data.dashboard} previous={data.previous} />;
}

/**
 * useLiveDashboard subscribes to dashboardUpdated for the range. A push carries the id of the dashboard query of
 * the same range, so Relay writes it over the record on screen and every number moves without a reload.
 */
function useLiveDashboard(from: string, to: string | null) {
  const config = useMemo<GraphQLSubscriptionConfig<OverviewSubscription>>(
    () => ({
      subscription: graphql`
        subscription OverviewSubscription($from: Time!, $to: Time) {
          dashboardUpdated(from: $from, to: $to) {
            ...Overview_dashboard
          }
        }
      `,
      variables: { from, to },
    }),
    [from, to],
  );
  useSubscription(config);
}

interface ViewProps {
  dashboard: Overview_dashboard$key;
  previous: OverviewQuery['response']['previous'];
}

function DashboardView({ dashboard, previous }: ViewProps) {
  const { organization } = useViewer();
  const d = useFragment(
    graphql`
      fragment Overview_dashboard on Dashboard {
        id
        from
        to
        revenue
        currency
        spend
        roas
        averageRoas
        conversionRate
        conversions
        visitors
        activeCampaigns
        updatedAt
        series {
          date
          revenue
          spend
          visitors
          conversions
        }
        topSources {
          source
          revenue
          conversions
        }
      }
    `,
    dashboard,
  );
  const money = (v: number | null) => (v == null ? '—' : formatMoney(v, d.currency));
  const count = (v: number | null) => (v == null ? '—' : formatNumber(v));
  const tz = organization.timezone;

  return (
    <>
      <p className="range-note" data-testid="range" data-from={d.from} data-to={d.to}>
        {formatDateTime(d.from, tz)} – {formatDateTime(d.to, tz)} · updated {formatDateTime(d.updatedAt, tz)}
      </p>
      <section className="kpis" aria-label="Key figures">
        <Kpi id="revenue" label="Revenue" value={d.revenue} previous={previous.revenue} format={money} />
        <Kpi id="spend" label="Spend" value={d.spend} previous={previous.spend} format={money} higherIsBetter={false} />
        <Kpi id="roas" label="ROAS" value={d.roas ?? null} previous={previous.roas ?? null} format={formatMultiple} />
        <Kpi
          id="conversionRate"
          label="Conversion rate"
          value={d.conversionRate ?? null}
          previous={previous.conversionRate ?? null}
          format={formatPercent}
        />
        <Kpi id="visitors" label="Visitors" value={d.visitors} previous={previous.visitors} format={count} />
        <Kpi id="conversions" label="Conversions" value={d.conversions} previous={previous.conversions} format={count} />
        <Kpi id="activeCampaigns" label="Active campaigns" value={d.activeCampaigns} previous={previous.activeCampaigns} format={count} />
      </section>
      <section className="panel" aria-labelledby="revenue-spend-title">
        <h2 id="revenue-spend-title">Revenue and spend per day</h2>
        {d.series.length === 0 ? (
          <Empty>No days in this range.</Empty>
        ) : (
          <Chart
            label={`Revenue and spend per day, ${d.series.length} days`}
            days={d.series.map((p) => p.date)}
            timeZone={tz}
            series={[
              { label: 'Revenue', values: d.series.map((p) => p.revenue), color: '#1f7a4d', format: (v) => formatMoney(v, d.currency) },
              { label: 'Spend', values: d.series.map((p) => p.spend), color: '#b4461f', format: (v) => formatMoney(v, d.currency) },
            ]}
          />
        )}
      </section>
      <section className="panel" aria-labelledby="top-sources-title">
        <h2 id="top-sources-title">Top sources</h2>
        {d.topSources.length === 0 ? (
          <Empty>No attributed revenue in this range yet.</Empty>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col" className="num">
                  Revenue
                </th>
                <th scope="col" className="num">
                  Conversions
                </th>
              </tr>
            </thead>
            <tbody>
              {d.topSources.map((s) => (
                <tr key={s.source}>
                  <th scope="row">{s.source}</th>
                  <td className="num">{formatMoney(s.revenue, d.currency)}</td>
                  <td className="num">{formatNumber(s.conversions)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
