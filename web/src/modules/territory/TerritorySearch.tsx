import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { AutoComplete, Input, Spin, Tag } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useDebounced } from '../../app/useDebounced';
import { useLang } from '../../app/LangContext';
import { LEVEL_COLORS, territoryApi, territoryKeys, type TerritoryNode } from './api';

export function useTerritorySearch(text: string) {
  const q = useDebounced(text.trim(), 250);
  return useQuery({
    queryKey: territoryKeys.search(q),
    queryFn: () => territoryApi.search(q),
    enabled: q.length > 0,
    staleTime: 60_000,
  });
}

export function NodeOptionLabel({ node }: { node: TerritoryNode }) {
  const { tc } = useLang();
  const parent = node.path?.length ? node.path.filter((p) => p.code !== node.code).slice(-1)[0] : undefined;
  return (
    <div style={{ display: 'flex', gap: 8, alignItems: 'center', minWidth: 0 }}>
      <Tag color={LEVEL_COLORS[node.level]} style={{ marginInlineEnd: 0 }}>
        {tc('level', node.level)}
      </Tag>
      <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
        {node.name}
        {parent ? <span style={{ opacity: 0.55 }}> · {parent.name}</span> : null}
      </span>
      <span className="mono" style={{ marginInlineStart: 'auto', opacity: 0.55, fontSize: 12 }}>
        {node.code}
      </span>
    </div>
  );
}

/** Find a place by code prefix or name and jump to it. */
export function TerritorySearch({ onPick }: { onPick: (code: string) => void }) {
  const { t } = useLang();
  const [text, setText] = useState('');
  const search = useTerritorySearch(text);
  const results = text.trim() ? (search.data ?? []) : [];

  const pickFromEnter = (value: string) => {
    const q = value.trim();
    if (!q) return;
    const exact = results.find((n) => n.code === q);
    if (exact) onPick(exact.code);
    else if (results.length > 0) onPick(results[0].code);
    else if (/^\d{6,}$/.test(q)) onPick(q); // a full code typed or scanned: let the detail panel say whether it exists
  };

  return (
    <AutoComplete
      style={{ width: '100%' }}
      value={text}
      onChange={setText}
      options={results.map((n) => ({ value: n.code, label: <NodeOptionLabel node={n} /> }))}
      onSelect={(code: string) => {
        onPick(code);
        setText('');
      }}
      notFoundContent={text.trim() && search.isFetched && !search.isFetching ? t('territory.searchEmpty') : null}
      popupMatchSelectWidth
    >
      <Input
        placeholder={t('territory.searchPlaceholder')}
        allowClear
        prefix={<SearchOutlined />}
        suffix={search.isFetching ? <Spin size="small" /> : <span />}
        onPressEnter={(e) => pickFromEnter((e.target as HTMLInputElement).value)}
        data-testid="territory-search"
        enterKeyHint="search"
      />
    </AutoComplete>
  );
}
