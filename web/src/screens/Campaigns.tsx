// Campaigns: the list with status, spend, revenue, ROAS and ROI (kept live by campaignUpdated), a form to create
// one on Google Ads or Meta, and pause, resume and sync.
import { useMemo, useState, type FormEvent } from 'react';
import { graphql, useFragment, useLazyLoadQuery, useMutation, useSubscription } from 'react-relay';
import { TableWrap } from '../components/TableWrap';
import type { GraphQLSubscriptionConfig } from 'relay-runtime';
import { useViewer } from '../app/viewer';
import { can } from '../auth/permissions';
import { FormErrors, SelectField, TextAreaField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Empty } from '../components/Loading';
import { formatMoney, formatMultiple, formatPercent } from '../lib/format';
import { errorMessage, fieldErrors } from '../relay/errors';
import type { CampaignsCreateMutation, CreateCampaignInput } from './__generated__/CampaignsCreateMutation.graphql';
import type { CampaignsPauseMutation } from './__generated__/CampaignsPauseMutation.graphql';
import type { CampaignsQuery } from './__generated__/CampaignsQuery.graphql';
import type { CampaignsResumeMutation } from './__generated__/CampaignsResumeMutation.graphql';
import type { CampaignsSubscription } from './__generated__/CampaignsSubscription.graphql';
import type { CampaignsSyncMutation } from './__generated__/CampaignsSyncMutation.graphql';
import type { Campaigns_campaign$key } from './__generated__/Campaigns_campaign.graphql';
import { nodes } from '../relay/connection';

export default function Campaigns() {
  const { role } = useViewer();
  const [creating, setCreating] = useState(false);
  const data = useLazyLoadQuery<CampaignsQuery>(
    graphql`
      query CampaignsQuery {
        campaigns(first: 50, orderBy: { field: CREATED_AT, direction: DESC }) @connection(key: "Campaigns_campaigns") {
          __id
          edges {
            node {
              id
              ...Campaigns_campaign
            }
          }
        }
        products(first: 50, orderBy: { field: CREATED_AT, direction: DESC }) {
          edges {
            node {
              id
              name
            }
          }
        }
      }
    `,
    {},
    { fetchPolicy: 'store-and-network' },
  );
  useCampaignUpdates();
  const manage = can(role, 'campaigns.manage');
  const edges = nodes(data.campaigns);
  const products = nodes(data.products);

  return (
    <>
      <div className="screen-head">
        <h1>Campaigns</h1>
        {manage && !creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New campaign
          </button>
        )}
      </div>
      {manage && creating && <CreateCampaign connection={data.campaigns.__id} products={products} onDone={() => setCreating(false)} />}
      <section className="panel" aria-label="Campaigns">
        {edges.length === 0 ? (
          <Empty>No campaigns yet.{manage ? ' Create one to start tracking its return.' : ''}</Empty>
        ) : (
          <TableWrap label="Campaigns">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Campaign</th>
                  <th scope="col">Platform</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Spend
                  </th>
                  <th scope="col" className="num">
                    Revenue
                  </th>
                  <th scope="col" className="num">
                    ROAS
                  </th>
                  <th scope="col" className="num">
                    ROI
                  </th>
                  {manage && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {edges.map((c) => (
                  <CampaignRow key={c.id} campaign={c} manage={manage} />
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
    </>
  );
}

/** Keeps every campaign on screen current: campaignUpdated records are normalized over the shown ones. */
export function useCampaignUpdates() {
  const config = useMemo<GraphQLSubscriptionConfig<CampaignsSubscription>>(
    () => ({
      subscription: graphql`
        subscription CampaignsSubscription {
          campaignUpdated {
            id
            ...Campaigns_campaign
          }
        }
      `,
      variables: {},
    }),
    [],
  );
  useSubscription(config);
}

export const platformLabels: Record<string, string> = { GOOGLE: 'Google Ads', FACEBOOK: 'Meta' };

function CampaignRow({ campaign, manage }: { campaign: Campaigns_campaign$key; manage: boolean }) {
  const c = useFragment(
    graphql`
      fragment Campaigns_campaign on Campaign {
        id
        name
        platform
        status
        mock
        failureReason
        budget {
          daily
          currency
        }
        performance {
          spend
          revenue
          roas
          roi
        }
      }
    `,
    campaign,
  );
  const money = (v: number) => formatMoney(v, c.budget.currency);
  return (
    <tr data-campaign={c.id} data-name={c.name}>
      <th scope="row">
        <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
        {c.mock && <span className="muted"> (mock)</span>}
        <div className="muted">{money(c.budget.daily)} a day</div>
        {c.failureReason && <div className="form-error">{c.failureReason}</div>}
      </th>
      <td>{platformLabels[c.platform] ?? c.platform}</td>
      <td>
        <span className={`status status-${c.status}`} data-testid="status">
          {c.status}
        </span>
      </td>
      <td className="num">{money(c.performance.spend)}</td>
      <td className="num">{money(c.performance.revenue)}</td>
      <td className="num">{formatMultiple(c.performance.roas)}</td>
      <td className="num">{formatPercent(c.performance.roi)}</td>
      {manage && (
        <td>
          <CampaignActions id={c.id} name={c.name} status={c.status} />
        </td>
      )}
    </tr>
  );
}

/** Pause, resume (or launch a draft) and sync, each with its error in words beside it. */
export function CampaignActions({ id, name, status }: { id: string; name: string; status: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pause, pausing] = useMutation<CampaignsPauseMutation>(graphql`
    mutation CampaignsPauseMutation($id: ID!) {
      pauseCampaign(id: $id) {
        id
        ...Campaigns_campaign
      }
    }
  `);
  const [resume, resuming] = useMutation<CampaignsResumeMutation>(graphql`
    mutation CampaignsResumeMutation($id: ID!) {
      resumeCampaign(id: $id) {
        id
        ...Campaigns_campaign
      }
    }
  `);
  const [sync, syncing] = useMutation<CampaignsSyncMutation>(graphql`
    mutation CampaignsSyncMutation($id: ID!) {
      syncCampaignMetrics(id: $id) {
        id
        metricsSyncedAt
        ...Campaigns_campaign
      }
    }
  `);
  const run = (commit: typeof pause | typeof resume | typeof sync) => {
    setError(null);
    commit({ variables: { id }, onError: (e) => setError(errorMessage(e)) });
  };
  const busy = pausing || resuming || syncing;
  return (
    <div className="actions">
      {status === 'ACTIVE' && (
        <button type="button" onClick={() => run(pause)} disabled={busy} aria-label={`Pause ${name}`}>
          Pause
        </button>
      )}
      {(status === 'PAUSED' || status === 'DRAFT') && (
        <button type="button" onClick={() => run(resume)} disabled={busy} aria-label={`${status === 'DRAFT' ? 'Launch' : 'Resume'} ${name}`}>
          {status === 'DRAFT' ? 'Launch' : 'Resume'}
        </button>
      )}
      {status === 'ACTIVE' && (
        <button type="button" onClick={() => run(sync)} disabled={busy} aria-label={`Sync metrics of ${name}`}>
          {syncing ? 'Syncing…' : 'Sync'}
        </button>
      )}
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

const FIELDS = ['platform', 'name', 'productId', 'dailyBudget', 'currency', 'keywords', 'creatives', 'utmCampaign', 'targeting', 'startDate', 'endDate'];

interface CreateProps {
  connection: string;
  products: readonly { id: string; name: string }[];
  onDone: () => void;
}

function CreateCampaign({ connection, products, onDone }: CreateProps) {
  const { organization } = useViewer();
  const [platform, setPlatform] = useState<'GOOGLE' | 'FACEBOOK'>('GOOGLE');
  const [errors, setErrors] = useState<{ fields: Record<string, string>; form: string[] }>({ fields: {}, form: [] });
  const [commit, busy] = useMutation<CampaignsCreateMutation>(graphql`
    mutation CampaignsCreateMutation($input: CreateCampaignInput!, $connections: [ID!]!) {
      createCampaign(input: $input) @prependNode(connections: $connections, edgeTypeName: "CampaignEdge") {
        id
        ...Campaigns_campaign
      }
    }
  `);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const budget = Number(text('dailyBudget').replace(',', '.'));
    if (text('dailyBudget') === '' || Number.isNaN(budget)) {
      setErrors({ fields: { dailyBudget: 'Enter the daily budget as a number, such as 25 or 12.50.' }, form: [] });
      return;
    }
    const input: CreateCampaignInput = {
      platform,
      name: text('name'),
      dailyBudget: budget,
      productId: text('productId') || null,
      currency: text('currency') || null,
      utmCampaign: text('utmCampaign') || null,
    };
    if (platform === 'GOOGLE') {
      input.keywords = text('keywords')
        .split(/[\n,]/)
        .map((k) => k.trim())
        .filter(Boolean);
    } else {
      input.creatives = [{ headline: text('headline'), body: text('body'), linkUrl: text('linkUrl') }];
    }
    setErrors({ fields: {}, form: [] });
    commit({
      variables: { input, connections: [connection] },
      onCompleted: (_res, errs) => {
        if (errs?.length) setErrors({ fields: {}, form: errs.map((x) => x.message) });
        else onDone();
      },
      onError: (err) => setErrors(fieldErrors(err, FIELDS)),
    });
  }

  const err = errors.fields;
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="create-campaign-title">
      <h2 id="create-campaign-title">New campaign</h2>
      <FormErrors errors={errors.form} />
      <div className="form-grid">
        <fieldset className="wide">
          <legend>Platform</legend>
          <label className="inline">
            <input type="radio" name="platform" value="GOOGLE" checked={platform === 'GOOGLE'} onChange={() => setPlatform('GOOGLE')} /> Google Ads
          </label>
          <label className="inline">
            <input type="radio" name="platform" value="FACEBOOK" checked={platform === 'FACEBOOK'} onChange={() => setPlatform('FACEBOOK')} /> Meta
          </label>
        </fieldset>
        <TextField form="campaign" name="name" label="Name" error={err.name} autoComplete="off" />
        <SelectField form="campaign" name="productId" label="Product" error={err.productId} defaultValue="">
          <option value="">No product</option>
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <TextField form="campaign" name="dailyBudget" label="Daily budget" inputMode="decimal" error={err.dailyBudget} autoComplete="off" />
        <TextField form="campaign" name="currency" label="Currency" placeholder={organization.currency} error={err.currency} autoComplete="off" />
        <TextField
          form="campaign"
          name="utmCampaign"
          label="utm_campaign"
          hint="Joins tracked visits to the campaign; a slug of the name when empty."
          error={err.utmCampaign}
          autoComplete="off"
        />
        {platform === 'GOOGLE' ? (
          <TextAreaField form="campaign" name="keywords" label="Keywords" hint="One per line, or separated by commas." error={err.keywords} rows={3} className="wide" />
        ) : (
          <>
            <TextField form="campaign" name="headline" label="Ad headline" error={err.creatives} autoComplete="off" />
            <TextField form="campaign" name="linkUrl" label="Link" type="url" placeholder="https://" autoComplete="off" />
            <TextAreaField form="campaign" name="body" label="Ad text" rows={3} className="wide" />
          </>
        )}
      </div>
      <div className="actions form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create campaign'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
