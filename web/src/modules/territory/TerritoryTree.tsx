import { useCallback, useEffect, useMemo, useRef, useState, type Key } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Tree, type TreeDataNode } from 'antd';
import { useLang } from '../../app/LangContext';
import { showError } from '../../app/feedback';
import { isLeafLevel, territoryApi, territoryKeys, type TerritoryNode } from './api';

interface Props {
  roots: TerritoryNode[];
  selectedCode?: string;
  /** codes from the top of the territory down to the selected node, used to open the tree there */
  selectedPath?: string[];
  onSelect: (code: string) => void;
}

/** A lazily loaded tree from the user's scope roots down to houses. */
export function TerritoryTree({ roots, selectedCode, selectedPath, onSelect }: Props) {
  const queryClient = useQueryClient();
  const { tc } = useLang();
  const [childrenOf, setChildrenOf] = useState<Record<string, TerritoryNode[]>>({});
  const [expanded, setExpanded] = useState<Key[]>([]);
  const boxRef = useRef<HTMLDivElement>(null);

  const loadChildren = useCallback(
    async (code: string) => {
      const items = await queryClient.fetchQuery({
        queryKey: territoryKeys.children(code),
        queryFn: () => territoryApi.children(code),
        staleTime: 60_000,
      });
      setChildrenOf((prev) => (prev[code] === items ? prev : { ...prev, [code]: items }));
      return items;
    },
    [queryClient],
  );

  // A list fetched again after a change (a new grid or building, a renamed grid) replaces the one shown.
  useEffect(
    () =>
      queryClient.getQueryCache().subscribe((event) => {
        if (event.type !== 'updated' || event.action.type !== 'success') return;
        const [scope, kind, code] = event.query.queryKey as unknown[];
        if (scope !== 'territory' || kind !== 'children' || typeof code !== 'string') return;
        const items = event.query.state.data as TerritoryNode[] | undefined;
        if (!items) return;
        setChildrenOf((prev) => (code in prev && prev[code] !== items ? { ...prev, [code]: items } : prev));
      }),
    [queryClient],
  );

  // Open the tree down to a node chosen elsewhere (search, breadcrumb, a door-plate URL).
  const pathKey = selectedPath?.join('/') ?? '';
  useEffect(() => {
    if (!selectedPath?.length) return;
    const rootIndex = selectedPath.findIndex((code) => roots.some((r) => r.code === code));
    if (rootIndex < 0) return;
    const ancestors = selectedPath.slice(rootIndex, -1);
    let cancelled = false;
    (async () => {
      try {
        for (const code of ancestors) {
          if (cancelled) return;
          await loadChildren(code);
        }
      } catch (e) {
        showError((e as Error).message);
      }
      if (!cancelled) setExpanded((prev) => Array.from(new Set([...prev, ...ancestors])));
    })();
    return () => {
      cancelled = true;
    };
    // pathKey stands for selectedPath's contents
  }, [pathKey, roots, loadChildren]);

  // Keep the selected node visible inside the tree's own scroll box, without scrolling the page.
  useEffect(() => {
    if (!selectedCode) return;
    const box = boxRef.current;
    const el = box?.querySelector<HTMLElement>(`[data-testid="tree-node-${CSS.escape(selectedCode)}"]`);
    if (!box || !el) return;
    const boxRect = box.getBoundingClientRect();
    const elRect = el.getBoundingClientRect();
    if (elRect.top < boxRect.top || elRect.bottom > boxRect.bottom) {
      box.scrollTop += elRect.top - boxRect.top - box.clientHeight / 3;
    }
  }, [selectedCode, expanded, childrenOf]);

  const treeData = useMemo(() => {
    const build = (node: TerritoryNode): TreeDataNode => {
      const kids = childrenOf[node.code];
      return {
        key: node.code,
        title: (
          <span className="tree-node-title" data-testid={`tree-node-${node.code}`}>
            <span>{node.name}</span>
            <span className="tree-node-level">{tc('level', node.level)}</span>
          </span>
        ),
        isLeaf: isLeafLevel(node.level) || node.childCount === 0 || (kids !== undefined && kids.length === 0),
        children: kids?.map(build),
      };
    };
    return roots.map(build);
  }, [roots, childrenOf, tc]);

  return (
    <div className="territory-tree-box" ref={boxRef}>
      <Tree
        blockNode
        treeData={treeData}
        expandedKeys={expanded}
        onExpand={(keys) => setExpanded(keys)}
        loadedKeys={Object.keys(childrenOf)}
        loadData={async (node) => {
          const code = String(node.key);
          try {
            await loadChildren(code);
          } catch (e) {
            showError((e as Error).message);
            // collapse it, or the tree would ask again at once, forever
            setExpanded((prev) => prev.filter((k) => k !== code));
          }
        }}
        selectedKeys={selectedCode ? [selectedCode] : []}
        onSelect={(_keys, info) => {
          const code = String(info.node.key);
          onSelect(code);
          if (!info.node.isLeaf) setExpanded((prev) => (prev.includes(code) ? prev : [...prev, code]));
        }}
      />
    </div>
  );
}
