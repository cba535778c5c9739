// A campaign: its figures and its daily platform metrics (cost against conversion value), live like the list.
import { graphql, useLazyLoadQuery } from 'react-relay';
import { useViewer } from '../app/viewer';
import { can } from '../auth/permissions';
import { Chart } from '../components/Chart';
import { Link } from '../components/Link';
import { Empty } from '../components/Loading';
import { formatDateTime, formatDay, formatMoney, formatMultiple, formatNumber, formatPercent } from '../lib/format';
import { CampaignActions, platformLabels, useCampaignUpdates } from './Campaigns';
import { TableWrap } from '../components/TableWrap';
import type { CampaignDetailQuery } from './__generated__/CampaignDetailQuery.graphql';

export default function CampaignDetail({ params }: { params: Record<string, string> }) {
  const { organization, role } = useViewer();
  const data = useLazyLoadQuery<CampaignDetailQuery>(
    graphql`
      query CampaignDetailQuery($id: ID!) {
        node(id: $id) {
          ... on Campaign {
            id
            name
            platform
            status
            externalId
            mock
            utmCampaign
            metricsSyncedAt
            budget {
              daily
              currency
            }
            performance {
              impressions
              clicks
              conversions
              spend
              revenue
              ctr
              cpa
              roas
              roi
            }
            metrics {
              date
              impressions
              clicks
              conversions
              cost
              conversionValue
            }
          }
        }
      }
    `,
    { id: params.id ?? '' },
    { fetchPolicy: 'store-and-network' },
  );
  useCampaignUpdates();
  const c = data.node;
  if (!c?.id) {
    return (
      <div className="panel">
        <h1>Campaign not found</h1>
        <p>
          It does not exist or belongs to another organization. <Link to="/campaigns">Back to the campaigns</Link>.
        </p>
      </div>
    );
  }
  const tz = organization.timezone;
  const money = (v: number) => formatMoney(v, c.budget!.currency);
  const p = c.performance!;
  const metrics = c.metrics ?? [];
  return (
    <>
      <div className="screen-head">
        <h1>{c.name}</h1>
        {can(role, 'campaigns.manage') && <CampaignActions id={c.id} name={c.name!} status={c.status!} />}
      </div>
      <p className="muted">
        {platformLabels[c.platform!] ?? c.platform} · <span className={`status status-${c.status}`}>{c.status}</span> · utm_campaign{' '}
        <code>{c.utmCampaign}</code> · {money(c.budget!.daily)} a day{c.mock ? ' · mock mode' : ''} · metrics synced{' '}
        {formatDateTime(c.metricsSyncedAt, tz)}
      </p>
      <section className="kpis" aria-label="Performance">
        {[
          ['Spend', money(p.spend)],
          ['Revenue', money(p.revenue)],
          ['ROAS', formatMultiple(p.roas)],
          ['ROI', formatPercent(p.roi)],
          ['Clicks', formatNumber(p.clicks)],
          ['CTR', formatPercent(p.ctr)],
          ['Conversions', formatNumber(p.conversions)],
          ['Cost per conversion', p.cpa == null ? '—' : money(p.cpa)],
        ].map(([label, value]) => (
          <div className="kpi" key={label}>
            <div className="kpi-label">{label}</div>
            <div className="kpi-value">{value}</div>
          </div>
        ))}
      </section>
      <section className="panel" aria-labelledby="metrics-title">
        <h2 id="metrics-title">Daily metrics, last 30 days</h2>
        {metrics.length === 0 ? (
          <Empty>No metrics synced yet.</Empty>
        ) : (
          <>
            <Chart
              label={`Cost and conversion value per day of ${c.name}`}
              days={metrics.map((m) => m.date)}
              timeZone="UTC"
              series={[
                { label: 'Cost', values: metrics.map((m) => m.cost), color: '#b4461f', format: money },
                { label: 'Conversion value', values: metrics.map((m) => m.conversionValue), color: '#1f7a4d', format: money },
              ]}
            />
            <TableWrap label="Daily metrics">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Day (UTC, as the platform reports)</th>
                    <th scope="col" className="num">Impressions</th>
                    <th scope="col" className="num">Clicks</th>
                    <th scope="col" className="num">Conversions</th>
                    <th scope="col" className="num">Cost</th>
                    <th scope="col" className="num">Conversion value</th>
                  </tr>
                </thead>
                <tbody>
                  {[...metrics].reverse().map((m) => (
                    <tr key={m.date}>
                      <th scope="row">{formatDay(m.date, 'UTC')}</th>
                      <td className="num">{formatNumber(m.impressions)}</td>
                      <td className="num">{formatNumber(m.clicks)}</td>
                      <td className="num">{formatNumber(m.conversions)}</td>
                      <td className="num">{money(m.cost)}</td>
                      <td className="num">{money(m.conversionValue)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </>
        )}
      </section>
    </>
  );
}
