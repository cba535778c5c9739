// Attribution: channels (sources, media, campaigns) × the five models side by side — attributed revenue and
// conversions, and, where the channel's ad spend is known, ROAS and ROI — with a CSV of the same table.
import { useState } from 'react';
import { graphql, useLazyLoadQuery } from 'react-relay';
import { useViewer } from '../app/viewer';
import { Empty } from '../components/Loading';
import { RangePicker, useRangeChoice } from '../components/RangePicker';
import {
  MODELS,
  attributionCSV,
  attributionTable,
  modelLabels,
  spendByChannel,
  type Dimension,
  type Model,
} from '../lib/attribution';
import { download } from '../lib/csv';
import { formatDayISO, dayOf, resolveRange } from '../lib/range';
import { formatMoney, formatMultiple, formatNumber, formatPercent } from '../lib/format';
import { useLiveRefetch } from '../relay/useLiveRefetch';
import { TableWrap } from '../components/TableWrap';
import type { AttributionQuery } from './__generated__/AttributionQuery.graphql';

const dimensions: { value: Dimension; label: string; column: string }[] = [
  { value: 'SOURCE', label: 'Sources', column: 'Source' },
  { value: 'MEDIUM', label: 'Media', column: 'Medium' },
  { value: 'CAMPAIGN', label: 'Campaigns', column: 'Campaign' },
];

export default function Attribution() {
  const { organization } = useViewer();
  const [choice, setChoice] = useRangeChoice();
  const [by, setBy] = useState<Dimension>('SOURCE');
  const range = resolveRange(choice, organization.timezone) ?? resolveRange({ kind: 'last', days: 30 }, organization.timezone)!;

  return (
    <>
      <div className="screen-head">
        <h1>Attribution</h1>
        <RangePicker choice={choice} onChange={setChoice} timeZone={organization.timezone} invalid={!resolveRange(choice, organization.timezone)} />
      </div>
      <div className="filters">
        <label>
          Group by
          <select value={by} onChange={(e) => setBy(e.target.value as Dimension)}>
            {dimensions.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <p className="muted" data-testid="lookback" data-value={organization.attributionWindowDays}>
          Lookback window: {organization.attributionWindowDays} days before each conversion. Time decay halves a touch's
          weight every 7 days; position based gives 40 % to the first and the last touch and shares 20 % between the others.
        </p>
      </div>
      <AttributionTable from={range.from} to={range.to} by={by} />
    </>
  );
}

graphql`
  fragment Attribution_report on AttributionReport {
    model
    currency
    from
    to
    rows {
      source
      medium
      campaign
      conversions
      revenue
    }
  }
`;

function AttributionTable({ from, to, by }: { from: string; to: string | null; by: Dimension }) {
  const { organization } = useViewer();
  const fetchKey = useLiveRefetch(['purchase', 'refund']);
  const data = useLazyLoadQuery<AttributionQuery>(
    graphql`
      query AttributionQuery($from: Time!, $to: Time, $groupBy: AttributionDimension!) {
        firstTouch: attributionReport(model: FIRST_TOUCH, from: $from, to: $to, groupBy: $groupBy) {
          ...Attribution_report @relay(mask: false)
        }
        lastTouch: attributionReport(model: LAST_TOUCH, from: $from, to: $to, groupBy: $groupBy) {
          ...Attribution_report @relay(mask: false)
        }
        linear: attributionReport(model: LINEAR, from: $from, to: $to, groupBy: $groupBy) {
          ...Attribution_report @relay(mask: false)
        }
        timeDecay: attributionReport(model: TIME_DECAY, from: $from, to: $to, groupBy: $groupBy) {
          ...Attribution_report @relay(mask: false)
        }
        positionBased: attributionReport(model: POSITION_BASED, from: $from, to: $to, groupBy: $groupBy) {
          ...Attribution_report @relay(mask: false)
        }
        # The spend of each campaign in the range. Daily metrics cost 31 each in the complexity budget (2,000), so
        # the first 20 campaigns, newest first: an organization running more sees the spend of those.
        campaigns(first: 20, orderBy: { field: CREATED_AT, direction: DESC }) {
          edges {
            node {
              id
              platform
              utmCampaign
              metrics(from: $from, to: $to) {
                cost
              }
            }
          }
        }
      }
    `,
    { from, to, groupBy: by },
    { fetchPolicy: 'store-and-network', fetchKey },
  );
  const reports = [data.firstTouch, data.lastTouch, data.linear, data.timeDecay, data.positionBased];
  const campaigns = (data.campaigns.edges ?? []).flatMap((e) =>
    e?.node ? [{ platform: e.node.platform, utmCampaign: e.node.utmCampaign, spend: e.node.metrics.reduce((s, m) => s + m.cost, 0) }] : [],
  );
  const table = attributionTable(reports, by, spendByChannel(campaigns, by));
  const currency = data.lastTouch.currency;
  const money = (v: number | null) => (v == null ? '—' : formatMoney(v, currency));
  const tz = organization.timezone;

  function saveCSV() {
    const first = formatDayISO(dayOf(Date.parse(data.lastTouch.from), tz));
    const last = formatDayISO(dayOf(Date.parse(data.lastTouch.to), tz));
    download(`attribution-${by.toLowerCase()}-${first}-to-${last}.csv`, attributionCSV(table, by));
  }

  return (
    <section className="panel" aria-labelledby="attribution-title" data-testid="attribution" data-from={data.lastTouch.from} data-to={data.lastTouch.to}>
      <div className="screen-head">
        <h2 id="attribution-title">Attributed revenue by model</h2>
        <button type="button" onClick={saveCSV} disabled={table.length === 0}>
          Download CSV
        </button>
      </div>
      {table.length === 0 ? (
        <Empty>No conversions in this range.</Empty>
      ) : (
        <TableWrap label="Attribution by model">
          <table className="data attribution">
            <thead>
              <tr>
                <th scope="col" rowSpan={2}>
                  {dimensions.find((d) => d.value === by)?.column}
                </th>
                <th scope="col" rowSpan={2} className="num">
                  Spend
                </th>
                {MODELS.map((m) => (
                  <th key={m} scope="colgroup" colSpan={4} className="model-head">
                    {modelLabels[m]}
                  </th>
                ))}
              </tr>
              <tr>
                {MODELS.flatMap((m) => [
                  <th key={`${m}-r`} scope="col" className="num">
                    Revenue
                  </th>,
                  <th key={`${m}-c`} scope="col" className="num">
                    Conv.
                  </th>,
                  <th key={`${m}-roas`} scope="col" className="num">
                    ROAS
                  </th>,
                  <th key={`${m}-roi`} scope="col" className="num">
                    ROI
                  </th>,
                ])}
              </tr>
            </thead>
            <tbody>
              {table.map((r) => (
                <tr key={r.channel} data-channel={r.channel}>
                  <th scope="row">{r.channel}</th>
                  <td className="num" data-field="spend" data-value={r.spend ?? ''}>
                    {money(r.spend)}
                  </td>
                  {MODELS.flatMap((m: Model) => {
                    const f = r.byModel[m];
                    return [
                      <td key={`${m}-r`} className="num" data-model={m} data-field="revenue" data-value={f.revenue}>
                        {money(f.revenue)}
                      </td>,
                      <td key={`${m}-c`} className="num" data-model={m} data-field="conversions" data-value={f.conversions}>
                        {formatNumber(f.conversions)}
                      </td>,
                      <td key={`${m}-roas`} className="num" data-model={m} data-field="roas" data-value={f.roas ?? ''}>
                        {formatMultiple(f.roas)}
                      </td>,
                      <td key={`${m}-roi`} className="num" data-model={m} data-field="roi" data-value={f.roi ?? ''}>
                        {formatPercent(f.roi)}
                      </td>,
                    ];
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
