import { describe, expect, it } from 'vitest';
import { nodes } from './connection';

describe('nodes', () => {
  it('keeps the nodes in order and drops null edges and nodes', () => {
    const connection = { edges: [{ node: { id: 'a' } }, null, { node: null }, undefined, { node: { id: 'b' } }] };
    expect(nodes(connection)).toEqual([{ id: 'a' }, { id: 'b' }]);
  });
  it('reads a connection without edges as empty', () => {
    expect(nodes<{ id: string }>({ edges: null })).toEqual([]);
    expect(nodes<{ id: string }>({})).toEqual([]);
  });
});
