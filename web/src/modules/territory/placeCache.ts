import type { QueryClient } from '@tanstack/react-query';
import { fullPath, territoryKeys, type TerritoryNode } from './api';

/**
 * After a place was added or renamed under `node`: fetch again the child lists along its path (the
 * tree keeps those even when nothing on screen watches them), and mark counts, nodes, roots and
 * searches stale so whatever is shown reloads.
 */
export async function refreshAround(queryClient: QueryClient, node: TerritoryNode): Promise<void> {
  const codes = fullPath(node).map((p) => p.code);
  await Promise.all([
    ...codes.map((code) => queryClient.invalidateQueries({ queryKey: territoryKeys.children(code), refetchType: 'all' })),
    queryClient.invalidateQueries({ queryKey: ['territory', 'node'] }),
    queryClient.invalidateQueries({ queryKey: ['territory', 'stats'] }),
    queryClient.invalidateQueries({ queryKey: territoryKeys.roots }),
    queryClient.invalidateQueries({ queryKey: ['territory', 'search'] }),
  ]);
}
