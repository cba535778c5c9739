// Settings: the organization's settings, the tracking snippet, members and invitations, API keys and job runs.
// Invitations and API keys are an ADMIN's (the server refuses the whole query to anyone else), so they have a
// query of their own, sent only for admins.
import { Suspense, useState, type FormEvent, type ReactNode } from 'react';
import { graphql, useLazyLoadQuery, useMutation } from 'react-relay';
import { useViewer } from '../app/viewer';
import { can, grantableRoles } from '../auth/permissions';
import { TableWrap } from '../components/TableWrap';
import type { Role } from '../auth/session';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { FormErrors, SelectField, TextField } from '../components/Field';
import { Empty, Loading } from '../components/Loading';
import { formatDateTime } from '../lib/format';
import { errorMessage, fieldErrors, type FieldErrors } from '../relay/errors';
import type { SettingsAdminQuery } from './__generated__/SettingsAdminQuery.graphql';
import type { SettingsCreateKeyMutation } from './__generated__/SettingsCreateKeyMutation.graphql';
import type { SettingsInviteMutation } from './__generated__/SettingsInviteMutation.graphql';
import type { SettingsQuery } from './__generated__/SettingsQuery.graphql';
import type { SettingsRemoveMemberMutation } from './__generated__/SettingsRemoveMemberMutation.graphql';
import type { SettingsRevokeInvitationMutation } from './__generated__/SettingsRevokeInvitationMutation.graphql';
import type { SettingsRevokeKeyMutation } from './__generated__/SettingsRevokeKeyMutation.graphql';
import type { SettingsRoleMutation } from './__generated__/SettingsRoleMutation.graphql';
import type { SettingsRotateMutation } from './__generated__/SettingsRotateMutation.graphql';
import type { SettingsUpdateMutation, UpdateOrganizationInput } from './__generated__/SettingsUpdateMutation.graphql';
import { nodes } from '../relay/connection';

const noErrors: FieldErrors = { fields: {}, form: [] };

export default function Settings() {
  const { role } = useViewer();
  const admin = can(role, 'organization.manage');
  const data = useLazyLoadQuery<SettingsQuery>(
    graphql`
      query SettingsQuery {
        viewer {
          organization {
            id
            name
            trackingKey
            currency
            timezone
            attributionWindowDays
            respectDnt
            allowedOrigins
            dailyPostCap
            autoPublishThreshold
            highValueThreshold
            ssoDomain
          }
        }
        members(first: 100) @connection(key: "Settings_members") {
          __id
          edges {
            node {
              id
              role
              createdAt
              user {
                id
                email
                name
                lastSignInAt
              }
            }
          }
        }
        jobRuns(first: 20, orderBy: { field: STARTED_AT, direction: DESC }) {
          edges {
            node {
              id
              job
              status
              trigger
              startedAt
              finishedAt
              error
            }
          }
        }
      }
    `,
    {},
    { fetchPolicy: 'store-and-network' },
  );
  const members = nodes(data.members);
  const runs = nodes(data.jobRuns);

  return (
    <>
      <div className="screen-head">
        <h1>Settings</h1>
      </div>
      <OrganizationSettings org={data.viewer.organization} admin={admin} />
      <TrackingSnippet trackingKey={data.viewer.organization.trackingKey} admin={admin} />
      <section className="panel" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <TableWrap label="Members">
          <table className="data" data-testid="members">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Last sign-in</th>
                {admin && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <MemberRow key={m.id} member={m} admin={admin} connection={data.members.__id} />
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
      {admin && (
        <Guarded what="Invitations and API keys">
          <AdminSettings />
        </Guarded>
      )}
      <section className="panel" aria-labelledby="jobs-title">
        <h2 id="jobs-title">Job runs</h2>
        {runs.length === 0 ? (
          <Empty>No job has run yet. The scheduler runs content generation and the ad metrics sync every 6 hours.</Empty>
        ) : (
          <TableWrap label="Job runs">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Status</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Started</th>
                  <th scope="col">Finished</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.job}</th>
                    <td>
                      <span className={`status status-${r.status}`}>{r.status}</span>
                    </td>
                    <td>{r.trigger.toLowerCase()}</td>
                    <td>{formatDateTime(r.startedAt, data.viewer.organization.timezone)}</td>
                    <td>{formatDateTime(r.finishedAt, data.viewer.organization.timezone)}</td>
                    <td>{r.error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
    </>
  );
}

function Guarded({ what, children }: { what: string; children: ReactNode }) {
  return (
    <ErrorBoundary what={what}>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </ErrorBoundary>
  );
}

type Org = SettingsQuery['response']['viewer']['organization'];

const ORG_FIELDS = [
  'name',
  'currency',
  'timezone',
  'attributionWindowDays',
  'respectDnt',
  'allowedOrigins',
  'dailyPostCap',
  'autoPublishThreshold',
  'highValueThreshold',
  'ssoDomain',
];

function OrganizationSettings({ org, admin }: { org: Org; admin: boolean }) {
  const [errors, setErrors] = useState<FieldErrors>(noErrors);
  const [saved, setSaved] = useState(false);
  const [commit, busy] = useMutation<SettingsUpdateMutation>(graphql`
    mutation SettingsUpdateMutation($input: UpdateOrganizationInput!) {
      updateOrganization(input: $input) {
        id
        name
        currency
        timezone
        attributionWindowDays
        respectDnt
        allowedOrigins
        dailyPostCap
        autoPublishThreshold
        highValueThreshold
        ssoDomain
      }
    }
  `);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    // A figure that is not a number is refused here, on its field: JSON cannot carry NaN to the server.
    const ints: Record<string, number> = {};
    const bad: Record<string, string> = {};
    for (const k of ['attributionWindowDays', 'dailyPostCap', 'autoPublishThreshold', 'highValueThreshold']) {
      const n = Number(text(k));
      if (text(k) === '' || Number.isNaN(n)) bad[k] = 'Enter a number.';
      else ints[k] = n;
    }
    if (Object.keys(bad).length) {
      setErrors({ fields: bad, form: [] });
      return;
    }
    const input: UpdateOrganizationInput = {
      name: text('name'),
      currency: text('currency').toUpperCase(),
      timezone: text('timezone'),
      attributionWindowDays: ints.attributionWindowDays,
      respectDnt: f.get('respectDnt') === 'on',
      allowedOrigins: text('allowedOrigins')
        .split(/[\s,]+/)
        .filter(Boolean),
      dailyPostCap: ints.dailyPostCap,
      autoPublishThreshold: ints.autoPublishThreshold,
      highValueThreshold: ints.highValueThreshold,
      ssoDomain: text('ssoDomain'),
    };
    setErrors(noErrors);
    setSaved(false);
    commit({ variables: { input }, onCompleted: () => setSaved(true), onError: (err) => setErrors(fieldErrors(err, ORG_FIELDS)) });
  }
  const err = errors.fields;
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="org-title">
      <h2 id="org-title">Organization</h2>
      {!admin && <p className="muted">Only an administrator can change these settings.</p>}
      <FormErrors errors={errors.form} />
      <fieldset disabled={!admin} className="plain">
        <div className="form-grid">
          <TextField form="org" name="name" label="Name" defaultValue={org.name} error={err.name} />
          <TextField form="org" name="currency" label="Currency (ISO 4217)" defaultValue={org.currency} error={err.currency} />
          <TextField form="org" name="timezone" label="Time zone (IANA)" defaultValue={org.timezone} error={err.timezone} hint="Day boundaries of every report." />
          <TextField
            form="org"
            name="attributionWindowDays"
            label="Attribution lookback (days)"
            inputMode="numeric"
            defaultValue={org.attributionWindowDays}
            error={err.attributionWindowDays}
          />
          <TextField form="org" name="dailyPostCap" label="Posts a day" inputMode="numeric" defaultValue={org.dailyPostCap} error={err.dailyPostCap} />
          <TextField
            form="org"
            name="autoPublishThreshold"
            label="Auto-publish from guard score"
            inputMode="numeric"
            defaultValue={org.autoPublishThreshold}
            error={err.autoPublishThreshold}
          />
          <TextField
            form="org"
            name="highValueThreshold"
            label={`High-value purchase (${org.currency})`}
            inputMode="decimal"
            defaultValue={org.highValueThreshold}
            error={err.highValueThreshold}
          />
          <TextField form="org" name="ssoDomain" label="Single sign-on domain" defaultValue={org.ssoDomain ?? ''} error={err.ssoDomain} />
          <TextField
            form="org"
            name="allowedOrigins"
            label="Origins allowed to send events"
            defaultValue={(org.allowedOrigins ?? []).join(', ')}
            error={err.allowedOrigins}
            hint="Comma-separated; empty allows any."
            className="wide"
          />
          <label className="inline">
            <input type="checkbox" name="respectDnt" defaultChecked={org.respectDnt} /> Drop hits from browsers that send Do Not Track
          </label>
        </div>
      </fieldset>
      {admin && (
        <div className="actions form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
          {saved && <span role="status">Saved.</span>}
        </div>
      )}
    </form>
  );
}

function TrackingSnippet({ trackingKey, admin }: { trackingKey: string; admin: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [rotate, rotating] = useMutation<SettingsRotateMutation>(graphql`
    mutation SettingsRotateMutation {
      rotateTrackingKey {
        id
        trackingKey
      }
    }
  `);
  const snippet = `<script defer src="${window.location.origin}/s.js" data-key="${trackingKey}"></script>`;
  return (
    <section className="panel" aria-labelledby="snippet-title">
      <h2 id="snippet-title">Tracking snippet</h2>
      <p>Put this tag in the &lt;head&gt; of every landing page. The key is public.</p>
      <pre className="snippet" data-testid="snippet">
        <code>{snippet}</code>
      </pre>
      <div className="actions">
        <CopyButton text={snippet} label="Copy snippet" />
        {admin && (
          <button
            type="button"
            disabled={rotating}
            onClick={() => {
              if (!window.confirm('Make a new tracking key? The old one keeps working for 24 hours.')) return;
              setError(null);
              rotate({ variables: {}, onError: (e) => setError(errorMessage(e)) });
            }}
          >
            Rotate tracking key
          </button>
        )}
        {error && (
          <span className="form-error" role="alert">
            {error}
          </span>
        )}
      </div>
    </section>
  );
}

/** Copies text to the clipboard and says so. */
function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <>
      <button
        type="button"
        onClick={() =>
          navigator.clipboard.writeText(text).then(
            () => setState('copied'),
            () => setState('failed'),
          )
        }
      >
        {label}
      </button>
      <span role="status" className="muted">
        {state === 'copied' ? 'Copied.' : state === 'failed' ? 'The browser refused the clipboard: select the text and copy it.' : ''}
      </span>
    </>
  );
}

type Member = NonNullable<NonNullable<NonNullable<SettingsQuery['response']['members']['edges']>[number]>['node']>;

function MemberRow({ member, admin, connection }: { member: Member; admin: boolean; connection: string }) {
  const { role, user, organization } = useViewer();
  const [error, setError] = useState<string | null>(null);
  const [changeRole, changing] = useMutation<SettingsRoleMutation>(graphql`
    mutation SettingsRoleMutation($id: ID!, $role: Role!) {
      updateMemberRole(id: $id, role: $role) {
        id
        role
      }
    }
  `);
  const [remove, removing] = useMutation<SettingsRemoveMemberMutation>(graphql`
    mutation SettingsRemoveMemberMutation($id: ID!, $connections: [ID!]!) {
      removeMember(id: $id) @deleteEdge(connections: $connections)
    }
  `);
  const roles = grantableRoles(role);
  // Only an OWNER changes an OWNER; nobody changes themselves here (the server would refuse the last OWNER).
  const editable = admin && member.user.id !== user?.id && (member.role !== 'OWNER' || role === 'OWNER');
  return (
    <tr data-member={member.user.email}>
      <th scope="row">{member.user.name}</th>
      <td>{member.user.email}</td>
      <td>
        {editable ? (
          <select
            aria-label={`Role of ${member.user.email}`}
            value={member.role}
            disabled={changing}
            onChange={(e) => {
              setError(null);
              changeRole({ variables: { id: member.id, role: e.target.value as Role }, onError: (x) => setError(errorMessage(x)) });
            }}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          member.role
        )}
      </td>
      <td>{formatDateTime(member.user.lastSignInAt, organization.timezone)}</td>
      {admin && (
        <td>
          {editable && (
            <button
              type="button"
              className="danger"
              disabled={removing}
              aria-label={`Remove ${member.user.email}`}
              onClick={() => {
                if (!window.confirm(`Remove ${member.user.email} from the organization?`)) return;
                setError(null);
                remove({ variables: { id: member.id, connections: [connection] }, onError: (x) => setError(errorMessage(x)) });
              }}
            >
              Remove
            </button>
          )}
          {error && (
            <span className="form-error" role="alert">
              {error}
            </span>
          )}
        </td>
      )}
    </tr>
  );
}

function AdminSettings() {
  const { role, organization } = useViewer();
  const data = useLazyLoadQuery<SettingsAdminQuery>(
    graphql`
      query SettingsAdminQuery {
        invitations(first: 100) @connection(key: "SettingsAdmin_invitations") {
          __id
          edges {
            node {
              id
              email
              role
              expiresAt
            }
          }
        }
        apiKeys(first: 100) @connection(key: "SettingsAdmin_apiKeys") {
          __id
          edges {
            node {
              id
              name
              prefix
              role
              createdAt
              lastUsedAt
              revokedAt
            }
          }
        }
      }
    `,
    {},
    { fetchPolicy: 'store-and-network' },
  );
  const invitations = nodes(data.invitations);
  const keys = nodes(data.apiKeys);
  const tz = organization.timezone;
  const [revokeInvitation] = useMutation<SettingsRevokeInvitationMutation>(graphql`
    mutation SettingsRevokeInvitationMutation($id: ID!, $connections: [ID!]!) {
      revokeInvitation(id: $id) @deleteEdge(connections: $connections)
    }
  `);
  const [revokeKey] = useMutation<SettingsRevokeKeyMutation>(graphql`
    mutation SettingsRevokeKeyMutation($id: ID!) {
      revokeApiKey(id: $id) {
        id
        revokedAt
      }
    }
  `);
  const [error, setError] = useState<string | null>(null);

  return (
    <>
      <section className="panel" aria-labelledby="invitations-title">
        <h2 id="invitations-title">Invitations</h2>
        <InviteForm connection={data.invitations.__id} roles={grantableRoles(role)} />
        {invitations.length === 0 ? (
          <Empty>No open invitations.</Empty>
        ) : (
          <TableWrap label="Invitations">
            <table className="data" data-testid="invitations">
              <thead>
                <tr>
                  <th scope="col">E-mail</th>
                  <th scope="col">Role</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((i) => (
                  <tr key={i.id} data-invitation={i.email}>
                    <th scope="row">{i.email}</th>
                    <td>{i.role}</td>
                    <td>{formatDateTime(i.expiresAt, tz)}</td>
                    <td>
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Revoke the invitation of ${i.email}`}
                        onClick={() => revokeInvitation({ variables: { id: i.id, connections: [data.invitations.__id] }, onError: (e) => setError(errorMessage(e)) })}
                      >
                        Revoke
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <section className="panel" aria-labelledby="keys-title">
        <h2 id="keys-title">API keys</h2>
        <CreateKeyForm connection={data.apiKeys.__id} roles={grantableRoles(role).filter((r) => r !== 'OWNER')} />
        {keys.length === 0 ? (
          <Empty>No API keys.</Empty>
        ) : (
          <TableWrap label="API keys">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Prefix</th>
                  <th scope="col">Role</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id}>
                    <th scope="row">{k.name}</th>
                    <td>
                      <code>{k.prefix}…</code>
                    </td>
                    <td>{k.role}</td>
                    <td>{formatDateTime(k.createdAt, tz)}</td>
                    <td>{formatDateTime(k.lastUsedAt, tz)}</td>
                    <td>
                      {k.revokedAt ? (
                        `Revoked ${formatDateTime(k.revokedAt, tz)}`
                      ) : (
                        <button
                          type="button"
                          className="danger"
                          aria-label={`Revoke the key ${k.name}`}
                          onClick={() => {
                            if (!window.confirm(`Revoke the key ${k.name}? Whatever uses it stops working.`)) return;
                            revokeKey({ variables: { id: k.id }, onError: (e) => setError(errorMessage(e)) });
                          }}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </section>
    </>
  );
}

function InviteForm({ connection, roles }: { connection: string; roles: Role[] }) {
  const [errors, setErrors] = useState<FieldErrors>(noErrors);
  const [sent, setSent] = useState<string | null>(null);
  const [commit, busy] = useMutation<SettingsInviteMutation>(graphql`
    mutation SettingsInviteMutation($input: InviteMemberInput!, $connections: [ID!]!) {
      inviteMember(input: $input) @prependNode(connections: $connections, edgeTypeName: "InvitationEdge") {
        id
        email
        role
        expiresAt
      }
    }
  `);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const email = String(f.get('email') ?? '').trim();
    setErrors(noErrors);
    setSent(null);
    commit({
      variables: { input: { email, role: String(f.get('role')) as Role }, connections: [connection] },
      onCompleted: () => {
        setSent(`Invitation sent to ${email}.`);
        form.reset();
      },
      onError: (err) => setErrors(fieldErrors(err, ['email', 'role'])),
    });
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Invite a member" className="inline-form">
      <FormErrors errors={errors.form} />
      <div className="form-grid">
        <TextField form="invite" name="email" type="email" label="E-mail" autoComplete="off" error={errors.fields.email} />
        <SelectField form="invite" name="role" label="Role" defaultValue="MARKETER" error={errors.fields.role}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Inviting…' : 'Invite'}
        </button>
        {sent && <span role="status">{sent}</span>}
      </div>
    </form>
  );
}

function CreateKeyForm({ connection, roles }: { connection: string; roles: Role[] }) {
  const [errors, setErrors] = useState<FieldErrors>(noErrors);
  const [secret, setSecret] = useState<string | null>(null);
  const [commit, busy] = useMutation<SettingsCreateKeyMutation>(graphql`
    mutation SettingsCreateKeyMutation($input: CreateApiKeyInput!, $connections: [ID!]!) {
      createApiKey(input: $input) {
        secret
        apiKey @prependNode(connections: $connections, edgeTypeName: "ApiKeyEdge") {
          id
          name
          prefix
          role
          createdAt
          lastUsedAt
          revokedAt
        }
      }
    }
  `);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setErrors(noErrors);
    setSecret(null);
    commit({
      variables: { input: { name: String(f.get('name') ?? '').trim(), role: String(f.get('role')) as Role }, connections: [connection] },
      onCompleted: (res) => {
        setSecret(res.createApiKey.secret);
        form.reset();
      },
      onError: (err) => setErrors(fieldErrors(err, ['name', 'role'])),
    });
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Create an API key" className="inline-form">
      <FormErrors errors={errors.form} />
      <div className="form-grid">
        <TextField form="key" name="name" label="Key name" autoComplete="off" error={errors.fields.name} />
        <SelectField form="key" name="role" label="Role" defaultValue="MARKETER" error={errors.fields.role}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </div>
      {secret && (
        <div className="notice" role="status">
          <p>This is the key's secret. It is shown this once: copy it now.</p>
          <p className="secret" data-testid="api-key-secret">
            {secret}
          </p>
          <CopyButton text={secret} label="Copy secret" />
        </div>
      )}
    </form>
  );
}
