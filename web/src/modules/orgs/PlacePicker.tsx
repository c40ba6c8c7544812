import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { AutoComplete, type AutoCompleteProps } from 'antd';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { territoryApi, territoryKeys } from '../territory/api';
import { NodeOptionLabel, useTerritorySearch } from '../territory/TerritorySearch';

interface Props {
  value?: string;
  onChange?: (value: string) => void;
}

/** A territory code: one of the user's scope roots, a place found by code or name, or a code typed in full. */
export function PlacePicker({ value, onChange }: Props) {
  const { t } = useLang();
  const { can } = useAuth();
  const canRead = can('territory.read');
  const [text, setText] = useState(value ?? '');
  // the form set or cleared the value (a parent was picked, the form was reset)
  useEffect(() => {
    setText((prev) => (prev.trim() === (value ?? '') ? prev : (value ?? '')));
  }, [value]);
  const roots = useQuery({ queryKey: territoryKeys.roots, queryFn: territoryApi.roots, staleTime: 5 * 60_000, enabled: canRead });
  const q = text.trim();
  const rootItems = roots.data ?? [];
  const searching = q !== '' && !rootItems.some((r) => r.code === q);
  const search = useTerritorySearch(canRead && searching ? q : '');
  const nodes = searching ? (search.data ?? []) : rootItems;
  const options = nodes.map((n) => ({ value: n.code, label: <NodeOptionLabel node={n} /> }));
  const grouped: AutoCompleteProps['options'] =
    searching || options.length === 0 ? options : [{ label: t('orgs.myRoots'), options }];

  return (
    <AutoComplete
      value={text}
      onChange={(v: string) => {
        setText(v);
        onChange?.(v.trim());
      }}
      onSelect={(code: string) => {
        setText(code);
        onChange?.(code);
      }}
      options={grouped}
      placeholder={t('orgs.placePlaceholder')}
      data-testid="org-form-place"
    />
  );
}
