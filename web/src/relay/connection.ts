/** The nodes of a Relay connection, in order, without the null edges and nodes the schema allows. */
export function nodes<N>(connection: {
  readonly edges?: ReadonlyArray<{ readonly node?: N | null } | null | undefined> | null;
}): N[] {
  return (connection.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
}
